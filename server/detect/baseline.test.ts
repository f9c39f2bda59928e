import { describe, expect, it } from "vitest";
import { Baseline } from "./baseline";
import { syntheticSeries, SYNTHETIC_START_MS } from "./synthetic-series";
import { DetectorInputError, type BucketObservation } from "./types";

const WINDOW_MS = 10_000;
const flat = (count: number, observed: number, from = 0): BucketObservation[] =>
  Array.from({ length: count }, (_, index) => ({
    bucketStart: SYNTHETIC_START_MS + (from + index) * WINDOW_MS,
    observed,
  }));

function feed(baseline: Baseline, buckets: readonly BucketObservation[]) {
  return buckets.map((bucket) => baseline.update(bucket));
}

describe("Baseline", () => {
  it("expects a flat series to stay flat, with a band no narrower than count noise", () => {
    const steps = feed(new Baseline({ bandSigmas: 3 }), flat(200, 100));
    const last = steps.at(-1)!;
    expect(last.expectation.expectedViewers).toBeCloseTo(100, 6);
    expect(last.expectation.sigma).toBeCloseTo(10, 6);
    expect(last.expectation.upperViewers).toBeCloseTo(130, 6);
    expect(steps.some((step) => step.isOutlier)).toBe(false);
  });

  it("handles a series of zeros without NaN and with a finite band", () => {
    const last = feed(new Baseline({ bandSigmas: 3 }), flat(100, 0)).at(-1)!;
    expect(last.expectation).toEqual({ expectedViewers: 0, lowerViewers: 0, upperViewers: 3, sigma: 1 });
  });

  it("warms up on the first buckets and expects nothing for the very first", () => {
    const steps = feed(new Baseline({ warmupBuckets: 6 }), flat(8, 50));
    expect(steps.map((step) => step.warmingUp)).toEqual([true, true, true, true, true, true, false, false]);
    expect(steps[0]!.expectation.expectedViewers).toBe(0);
    expect(steps[1]!.expectation.expectedViewers).toBe(50);
  });

  it("is not dragged up by a peak: expected after a 12-bucket doubling stays near the level before", () => {
    const series = syntheticSeries({
      buckets: 400,
      baseViewers: 200,
      peaks: [{ atBucket: 300, buckets: 12, upliftPct: 100 }],
    });
    const steps = feed(new Baseline(), series);
    expect(steps[311]!.expectation.expectedViewers).toBeGreaterThan(190);
    expect(steps[311]!.expectation.expectedViewers).toBeLessThan(215);
    expect(steps.slice(300, 312).every((step) => step.isOutlier)).toBe(true);
  });

  it("follows a slow trend (level doubling over 5 hours) within a few percent", () => {
    const series = syntheticSeries({ buckets: 1800, baseViewers: 100, trendPerHour: 0.2 });
    const last = feed(new Baseline(), series).at(-1)!;
    expect(last.expectation.expectedViewers).toBeGreaterThan(190);
    expect(last.expectation.expectedViewers).toBeLessThan(210);
  });

  it("accepts a lasting level shift as the new normal after maxOutlierBuckets", () => {
    const baseline = new Baseline({ maxOutlierBuckets: 30 });
    feed(baseline, flat(100, 100));
    const steps = feed(baseline, flat(60, 300, 100));
    expect(steps[10]!.isOutlier).toBe(true);
    expect(steps.at(-1)!.isOutlier).toBe(false);
    expect(steps.at(-1)!.expectation.expectedViewers).toBeCloseTo(300, 0);
  });

  it("undoes an accepted rise when the series falls back to where it was (a long bot burst ending)", () => {
    const baseline = new Baseline();
    feed(baseline, flat(100, 100));
    const burst = feed(baseline, flat(60, 500, 100));
    expect(burst.at(-1)!.expectation.expectedViewers).toBeCloseTo(500, 0);
    const after = feed(baseline, flat(20, 100, 160));
    // Back at the old level after three buckets, rather than held as an outage for maxDropBuckets.
    expect(after[5]!.expectation.expectedViewers).toBeGreaterThan(95);
    expect(after[5]!.expectation.expectedViewers).toBeLessThan(105);
    expect(after.at(-1)!.isOutlier).toBe(false);
  });

  it("keeps a real outage after an accepted rise a drop (it falls below half the old level)", () => {
    const baseline = new Baseline();
    feed(baseline, flat(100, 100));
    feed(baseline, flat(60, 500, 100));
    const outage = feed(baseline, flat(20, 30, 160));
    expect(outage.at(-1)!.expectation.expectedViewers).toBeGreaterThan(450);
  });

  it("caps the measured scale at maxScaleMultiple times count noise", () => {
    const baseline = new Baseline();
    feed(baseline, flat(100, 100));
    const inflated = new Baseline({}, { ...baseline.toJSON(), sigma: 60 });
    const step = inflated.update({ bucketStart: SYNTHETIC_START_MS + 100 * WINDOW_MS, observed: 100 });
    // 1.5× count noise: a scale measured wider than that is a level off after a reaction, not noise.
    expect(step.expectation.sigma).toBeCloseTo(1.5 * Math.sqrt(100), 6);
    const uncapped = new Baseline({ maxScaleMultiple: 0 }, { ...baseline.toJSON(), sigma: 60 });
    expect(
      uncapped.update({ bucketStart: SYNTHETIC_START_MS + 100 * WINDOW_MS, observed: 100 }).expectation.sigma,
    ).toBeCloseTo(60, 0);
  });

  it("after an accepted rise, hands the uplift rule the level from before it until the level is back", () => {
    const baseline = new Baseline();
    feed(baseline, flat(100, 100));
    // Stacked reactions hold the series at 200 past maxOutlierBuckets: the level accepts 200…
    const risen = feed(baseline, flat(60, 200, 100)).at(-1)!;
    expect(risen.expectation.expectedViewers).toBeCloseTo(200, 0);
    // …while the uplift rule still measures against the ~100 from before (the level learned the run a little).
    expect(risen.referenceViewers).toBeGreaterThan(99);
    expect(risen.referenceViewers).toBeLessThan(105);
    const off = new Baseline({ restMemoryBuckets: 0 });
    feed(off, flat(100, 100));
    expect(feed(off, flat(60, 200, 100)).at(-1)!.referenceViewers).toBeCloseTo(200, 0);
    // Back at 100, the level comes down and the reference is expected again.
    const back = feed(baseline, flat(200, 100, 160)).at(-1)!;
    expect(back.referenceViewers).toBe(back.expectation.expectedViewers);
  });

  it("hands the rules the buckets before this one, none across a gap", () => {
    const baseline = new Baseline();
    const steps = feed(baseline, [...flat(20, 100), ...flat(3, 50, 20)]);
    expect(steps.at(-1)!.previousViewers).toEqual([50, 50]);
    const afterGap = baseline.update({ bucketStart: SYNTHETIC_START_MS + 30 * WINDOW_MS, observed: 100 });
    expect(afterGap.previousViewers).toEqual([]);
  });

  it("treats an outage as a drop, not a new normal, so the recovery is expected", () => {
    const baseline = new Baseline({ maxDropBuckets: 360 });
    feed(baseline, flat(200, 15));
    // Small counts: 15 → 3 stays inside ±4 sigma but is an 80 % fall, so it is not learned at full gain.
    const outage = feed(baseline, flat(60, 3, 200));
    expect(outage.every((step) => step.isOutlier)).toBe(true);
    const recovery = baseline.update({ bucketStart: SYNTHETIC_START_MS + 260 * WINDOW_MS, observed: 15 });
    expect(recovery.expectation.expectedViewers).toBeGreaterThan(12);
  });

  it("falls no faster than an audience leaves when the series suddenly drops (an outage), count noise aside", () => {
    // A noisy 25 a window (its band, the scale allowed 2× count noise, wide enough that 14 stays inside it),
    // then an outage leaving 14.
    const noise = [0, 12, -10, 5, -12, 9, -4, 11, -6, 3, -11, 7];
    const outage = [0, 2, -2, 1, -1, 3, -3, 0, 2, -2];
    const series = Array.from({ length: 310 }, (_, index) => ({
      bucketStart: SYNTHETIC_START_MS + index * WINDOW_MS,
      observed: index >= 300 ? 14 + outage[index % outage.length]! : 25 + noise[index % noise.length]!,
    }));
    const expectedAfter = (baseline: Baseline) => feed(baseline, series).at(-1)!.expectation.expectedViewers;
    // Held at 1 % a bucket, the level is still near the audience from before a minute and a half in…
    expect(expectedAfter(new Baseline({ maxScaleMultiple: 2 }))).toBeGreaterThan(20.5);
    // …where it would follow the outage down (and call the way back a peak) without the limit.
    expect(expectedAfter(new Baseline({ maxScaleMultiple: 2, maxFallPctPerBucket: 0 }))).toBeLessThan(19.5);
  });

  it("projects over a short gap and restarts after a long one, keeping order strict", () => {
    const baseline = new Baseline({ restartAfterGapBuckets: 50 });
    feed(baseline, flat(100, 100));
    const afterShortGap = baseline.update({
      bucketStart: SYNTHETIC_START_MS + 130 * WINDOW_MS,
      observed: 100,
    });
    expect(afterShortGap.warmingUp).toBe(false);
    expect(afterShortGap.expectation.expectedViewers).toBeCloseTo(100, 6);
    const afterLongGap = baseline.update({
      bucketStart: SYNTHETIC_START_MS + 500 * WINDOW_MS,
      observed: 100,
    });
    expect(afterLongGap.warmingUp).toBe(true);
    expect(() => baseline.update({ bucketStart: SYNTHETIC_START_MS, observed: 1 })).toThrow(
      DetectorInputError,
    );
    expect(() =>
      baseline.update({ bucketStart: SYNTHETIC_START_MS + 501 * WINDOW_MS, observed: -1 }),
    ).toThrow(/finite number ≥ 0/);
  });

  it("learns a daily step (prime time doubles traffic) so that it is expected after a few days", () => {
    const primeTime = (bucketStart: number) => {
      const hour = new Date(bucketStart).getUTCHours();
      return hour >= 19 && hour < 21 ? 2 : 1;
    };
    const bucketsPerDay = 8640;
    const noise = syntheticSeries({ buckets: bucketsPerDay * 5, baseViewers: 150, seed: 4 });
    const series = noise.map((bucket) => ({
      ...bucket,
      observed: bucket.observed * primeTime(bucket.bucketStart),
    }));
    const steps = feed(new Baseline(), series);
    const stepStart = (day: number) => day * bucketsPerDay + (19 * 3600) / 10 + 1;
    // Day 1: the step is a surprise; day 5: the profile expects it.
    expect(steps[stepStart(0)]!.isOutlier).toBe(true);
    const expectedOnDay5 = steps[stepStart(4)]!.expectation.expectedViewers;
    expect(expectedOnDay5).toBeGreaterThan(250);
    expect(steps[stepStart(4)]!.isOutlier).toBe(false);
  });

  it("round-trips its state through JSON and continues identically", () => {
    const series = syntheticSeries({ buckets: 600, baseViewers: 80, trendPerHour: 0.1 });
    const original = new Baseline();
    feed(original, series.slice(0, 300));
    const restored = new Baseline({}, JSON.parse(JSON.stringify(original.toJSON())));
    expect(feed(restored, series.slice(300))).toEqual(feed(original, series.slice(300)));
  });
});

describe("Baseline through a long excursion", () => {
  // An audience growing by 1 a window (a session filling up), then a five-minute outage, then back.
  const noise = [0, 6, -5, 9, -8, 3, -2];
  const observed = (index: number) => {
    if (index < 200) return 100 + noise[index % 7]!;
    if (index < 300) return 100 + (index - 200) + noise[index % 7]!;
    return index < 330 ? 15 + noise[index % 7]! : 200 + noise[index % 7]!;
  };

  it("holds its level where the excursion began instead of carrying on along the trend", () => {
    const baseline = new Baseline();
    const expected: number[] = [];
    for (let index = 0; index < 331; index += 1) {
      expected.push(
        baseline.update({ bucketStart: index * 10_000, observed: observed(index) }).expectation
          .expectedViewers,
      );
    }
    // The level the outage found, against what is expected when it ends: the trend did not run on under it.
    expect(Math.abs(expected[330]! / expected[300]! - 1)).toBeLessThan(0.03);
  });
});
