import { describe, expect, it } from "vitest";
import { syntheticSeries, SYNTHETIC_START_MS } from "./synthetic-series";
import type { Assessment, BucketObservation } from "./types";
import { upliftConfigSchema } from "./config";
import { engagedScore, marginSigmas, thresholdScore, UpliftDetector, upliftPctOf } from "./uplift";

const WINDOW_MS = 10_000;
const at = (index: number, observed: number): BucketObservation => ({
  bucketStart: SYNTHETIC_START_MS + index * WINDOW_MS,
  observed,
});
const run = (detector: UpliftDetector, series: readonly BucketObservation[]): Assessment[] =>
  series.map((bucket) => detector.assess(bucket));
const peakIndexes = (assessments: readonly Assessment[]) =>
  assessments.flatMap((assessment, index) => (assessment.isPeak ? [index] : []));

describe("thresholdScore and upliftPctOf", () => {
  it("scores 0 at or below zero, exactly 0.5 at the threshold, towards 1 above", () => {
    expect(thresholdScore(0, 40)).toBe(0);
    expect(thresholdScore(-5, 40)).toBe(0);
    expect(thresholdScore(40, 40)).toBe(0.5);
    expect(thresholdScore(39.9, 40)).toBeLessThan(0.5);
    expect(thresholdScore(400, 40)).toBeGreaterThan(0.9);
    expect(thresholdScore(1, 0)).toBe(1);
  });

  it("keeps uplift finite when nothing was expected", () => {
    expect(upliftPctOf(150, 100)).toBe(50);
    expect(upliftPctOf(5, 0)).toBe(500);
  });
});

describe("UpliftDetector", () => {
  it("judges uplift against the level from before an accepted rise: a reaction on stacked tails", () => {
    // 100 a window, then 200 for ten minutes (accepted as the level), then a reaction adding 70: +35 % over
    // expected, but +70 % of the audience's normal level, and beyond the margin and the rise rule.
    const series = [
      ...Array.from({ length: 100 }, (_, index) => at(index, 100)),
      ...Array.from({ length: 60 }, (_, index) => at(100 + index, 200)),
      at(160, 270),
    ];
    const last = (detector: UpliftDetector) => run(detector, series).at(-1)!;
    const judged = last(new UpliftDetector());
    expect(judged.upliftPct).toBeCloseTo(35, 0);
    expect(judged.isPeak).toBe(true);
    expect(last(new UpliftDetector({ restMemoryBuckets: 0 })).isPeak).toBe(false);
  });

  it("fires on the first bucket of an injected peak and on nothing else", () => {
    const series = syntheticSeries({
      buckets: 600,
      baseViewers: 120,
      peaks: [{ atBucket: 400, buckets: 5, upliftPct: 80 }],
    });
    const assessments = run(new UpliftDetector(), series);
    expect(peakIndexes(assessments)).toEqual([400, 401, 402, 403, 404]);
    expect(assessments[400]!.upliftPct).toBeGreaterThan(50);
    expect(assessments.every((assessment) => assessment.isPeak === assessment.score >= 0.5)).toBe(true);
    expect(assessments.every((assessment) => assessment.score >= 0 && assessment.score <= 1)).toBe(true);
  });

  it("does not fire on a slow trend (traffic tripling over 8 hours)", () => {
    // Volume high enough that noise alone can never reach +40 %: only a lagging baseline could fire.
    const series = syntheticSeries({ buckets: 2880, baseViewers: 200, trendPerHour: 0.25, seed: 5 });
    expect(peakIndexes(run(new UpliftDetector(), series))).toEqual([]);
  });

  it("does not fire on a flat series or on zeros", () => {
    const flat = Array.from({ length: 300 }, (_, index) => at(index, 100));
    const zeros = Array.from({ length: 300 }, (_, index) => at(index, 0));
    expect(peakIndexes(run(new UpliftDetector(), flat))).toEqual([]);
    expect(peakIndexes(run(new UpliftDetector(), zeros))).toEqual([]);
  });

  it("keeps a tiny market quiet: +400 % on 3 expected viewers is under the minimum volume", () => {
    const series = Array.from({ length: 300 }, (_, index) => at(index, index >= 200 && index < 203 ? 15 : 3));
    expect(peakIndexes(run(new UpliftDetector(), series))).toEqual([]);
    const lowered = run(new UpliftDetector({}, { minVolume: 5 }), series);
    expect(peakIndexes(lowered)).toContain(200);
  });

  it("needs the relative uplift, not just the margin: +25 % on a large market is many sigmas but no peak", () => {
    const series = syntheticSeries({
      buckets: 400,
      baseViewers: 5000,
      peaks: [{ atBucket: 300, buckets: 5, upliftPct: 25 }],
    });
    const assessments = run(new UpliftDetector(), series);
    expect(
      (assessments[300]!.observed - assessments[300]!.expectedViewers) / assessments[300]!.sigma,
    ).toBeGreaterThan(5);
    expect(peakIndexes(assessments)).toEqual([]);
    expect(peakIndexes(run(new UpliftDetector({}, { minUpliftPct: 20, minRisePct: 20 }), series))).toContain(
      300,
    );
  });

  it("does not fire on a session's live ramp (traffic tripling over 10 minutes), but on a sudden rise", () => {
    // A session going live: ×3 over 60 windows, then steady, with ±√level noise. A reaction: +100 % at once.
    const level = (index: number) => 200 * (index < 200 ? 1 : index < 260 ? 1 + (2 * (index - 200)) / 60 : 3);
    const ramp = Array.from({ length: 400 }, (_, index) =>
      at(index, Math.round(level(index) + (index % 2 ? 1 : -1) * Math.sqrt(level(index)))),
    );
    expect(peakIndexes(run(new UpliftDetector(), ramp))).toEqual([]);
    const sudden = ramp.map((bucket, index) =>
      index >= 330 && index < 336 ? { ...bucket, observed: bucket.observed * 2 } : bucket,
    );
    expect(peakIndexes(run(new UpliftDetector(), sudden))[0]).toBe(330);
    // Without the rise rule the lagging baseline calls the ramp itself a peak.
    expect(peakIndexes(run(new UpliftDetector({}, { minRisePct: 0 }), ramp)).length).toBeGreaterThan(0);
  });

  it("scores the level rules apart from the rise rule (levelScore), for re-arming on a held peak's tail", () => {
    // Traffic doubled for 16 windows: a peak while it rises; a minute in, only the rise rule fails.
    const series = Array.from({ length: 360 }, (_, index) =>
      at(index, (200 + (index % 2 ? 14 : -14)) * (index >= 330 && index < 346 ? 2 : 1)),
    );
    const assessments = run(new UpliftDetector(), series);
    expect(assessments[330]).toMatchObject({ isPeak: true });
    expect(assessments[330]!.levelScore).toBe(assessments[330]!.score);
    expect(assessments[340]!.isPeak).toBe(false);
    expect(assessments[340]!.levelScore).toBeGreaterThanOrEqual(0.5);
    expect(assessments[350]!.levelScore).toBeLessThan(0.5);
  });

  it("keeps the band near count noise on a series with frequent reactions, so each one fires", () => {
    // A reaction (+50 % for 6 windows) every 3 minutes on 150 actions per window: a third of the windows.
    const peaks = Array.from({ length: 40 }, (_, k) => ({
      atBucket: 100 + 18 * k,
      buckets: 6,
      upliftPct: 50,
    }));
    const series = syntheticSeries({ buckets: 820, baseViewers: 150, peaks, seed: 12 });
    const assessments = run(new UpliftDetector(), series);
    const late = assessments.slice(410);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean(late.map((a) => a.sigma))).toBeLessThan(1.3 * Math.sqrt(150));
    expect(mean(late.map((a) => a.expectedViewers))).toBeLessThan(150 * 1.08);
    const firsts = peaks.filter((peak) => peak.atBucket >= 410).map((peak) => peak.atBucket);
    const caught = firsts.filter((index) => assessments[index]!.isPeak).length;
    expect(caught / firsts.length).toBeGreaterThan(0.8);
  });

  it("marks a drop as a drop, never as a peak", () => {
    const series = Array.from({ length: 200 }, (_, index) =>
      at(index, index >= 150 && index < 155 ? 20 : 100),
    );
    const assessments = run(new UpliftDetector(), series);
    expect(assessments[150]!.isDrop).toBe(true);
    expect(assessments[150]!.isPeak).toBe(false);
    expect(assessments[150]!.score).toBe(0);
    expect(assessments.filter((assessment) => assessment.isDrop)).toHaveLength(5);
  });

  it("still fires after a gap of missing buckets", () => {
    const before = Array.from({ length: 100 }, (_, index) => at(index, 100));
    const after = [at(130, 100), at(131, 100), at(132, 250)];
    const assessments = run(new UpliftDetector(), [...before, ...after]);
    expect(assessments.at(-2)!.isPeak).toBe(false);
    expect(assessments.at(-1)!.isPeak).toBe(true);
  });

  it("judges a sustained reaction over a trailing span: no single bucket clears the margin, two do", () => {
    // 30 a window, then +67 % for four windows: each bucket is 3.2 sigmas out (Poisson), two together 4.5.
    const series = Array.from({ length: 300 }, (_, index) =>
      at(index, index >= 200 && index < 204 ? 50 : 30),
    );
    const assessments = run(new UpliftDetector(), series);
    expect(assessments[200]!.isPeak).toBe(false);
    expect(peakIndexes(assessments)[0]).toBe(201);
    expect(peakIndexes(assessments).every((index) => index >= 201 && index < 204)).toBe(true);
  });

  it("keeps each peak bucket +40 % itself: a strong bucket before does not lend its margin to a weak one", () => {
    const series = Array.from({ length: 300 }, (_, index) =>
      at(index, index === 200 ? 80 : index === 201 ? 35 : 30),
    );
    const assessments = run(new UpliftDetector(), series);
    expect(assessments[200]!.isPeak).toBe(true);
    expect(assessments[201]!.isPeak).toBe(false);
  });

  it("keeps the uplift rule over the span: a long +30 % rise is beyond the margin but no peak", () => {
    const series = Array.from({ length: 300 }, (_, index) =>
      at(index, index >= 200 && index < 204 ? 130 : 100),
    );
    expect(peakIndexes(run(new UpliftDetector(), series))).toEqual([]);
  });

  it("uses Poisson tails for the margin: a lone blip on a 10-action series is noise, not a peak", () => {
    // 10 → 25 is 4.7 plain sigmas (√10) but only 3.7 variance-stabilised ones: a Poisson(10) count reaches 25
    // about once in 10 000 windows, which is several times a day on a busy schedule of small series.
    const blip = Array.from({ length: 300 }, (_, index) => at(index, index === 200 ? 25 : 10));
    expect(peakIndexes(run(new UpliftDetector(), blip))).toEqual([]);
    const sustained = Array.from({ length: 300 }, (_, index) =>
      at(index, index >= 200 && index < 203 ? 25 : 10),
    );
    expect(peakIndexes(run(new UpliftDetector(), sustained))[0]).toBe(201);
    expect(marginSigmas(25, 10, Math.sqrt(10))).toBeCloseTo(2 * (5 - Math.sqrt(10)), 6);
    // A scale twice Poisson's halves the margin; without a scale there is none.
    expect(marginSigmas(25, 10, 2 * Math.sqrt(10))).toBeCloseTo(5 - Math.sqrt(10), 6);
    expect(marginSigmas(25, 10, 0)).toBe(0);
  });

  it("does not call the way back from an outage a peak, even onto a level that went stale", () => {
    // 100 a window; an outage leaves 20 for 5 minutes; the audience comes back larger (150) than before.
    const series = Array.from({ length: 420 }, (_, index) =>
      at(index, index < 200 ? 100 : index < 230 ? 20 : index >= 330 && index < 334 ? 400 : 150),
    );
    const assessments = run(new UpliftDetector(), series);
    expect(peakIndexes(assessments.slice(0, 330))).toEqual([]);
    // A reaction once the series is back to normal still fires.
    expect(peakIndexes(assessments)[0]).toBe(330);
    // Without the recovery rule the return is a peak.
    const without = run(new UpliftDetector({ recoveryBuckets: 0 }), series);
    expect(peakIndexes(without)[0]).toBe(230);
  });

  it("fires nothing while warming up", () => {
    const series = [at(0, 100), at(1, 100), at(2, 900)];
    expect(
      run(new UpliftDetector(), series).map((assessment) => assessment.warmingUp && !assessment.isPeak),
    ).toEqual([true, true, true]);
  });
});

describe("the action-mix rule", () => {
  // 100 actions a window, 40 of them engaged (video starts, live-blog opens, shares), with count noise.
  const quiet = (index: number): BucketObservation => {
    const noise = [0, 6, -5, 9, -8, 3, -2][index % 7]!;
    return { ...at(index, 100 + noise), engaged: 40 + Math.round(noise / 2) };
  };
  const withBurst = (extra: (index: number) => { pageViews: number; engaged: number }) =>
    Array.from({ length: 500 }, (_, index) => {
      const bucket = quiet(index);
      if (index < 400 || index >= 406) return bucket;
      const added = extra(index);
      return {
        ...bucket,
        observed: bucket.observed + added.pageViews + added.engaged,
        engaged: bucket.engaged! + added.engaged,
      };
    });
  const counts = (series: readonly BucketObservation[]) =>
    series.map(({ bucketStart, observed }) => ({ bucketStart, observed }));

  it("keeps a burst of page views alone (a bot) from firing, but only when the mix is known", () => {
    const bots = withBurst(() => ({ pageViews: 150, engaged: 0 }));
    expect(peakIndexes(run(new UpliftDetector(), counts(bots)))).toContain(400);
    expect(peakIndexes(run(new UpliftDetector(), bots))).toEqual([]);
  });

  it("still fires on an audience reacting, which watches and shares", () => {
    const reaction = withBurst(() => ({ pageViews: 50, engaged: 100 }));
    expect(peakIndexes(run(new UpliftDetector(), reaction))).toContain(400);
  });

  it("keeps a push notification (extra actions mostly page views) from firing", () => {
    // 150 extra actions of which 20 % are engaged: fewer than a usual audience's 40 %.
    const push = withBurst(() => ({ pageViews: 120, engaged: 30 }));
    expect(peakIndexes(run(new UpliftDetector(), counts(push)))).toContain(400);
    expect(peakIndexes(run(new UpliftDetector(), push))).toEqual([]);
  });

  it("scores a clearly engaged excess well above the threshold, so a clear rise does not wait a window", () => {
    const rules = upliftConfigSchema.parse({});
    const score = (engagedExtra: number) =>
      engagedScore({ bucketStart: 0, observed: 200, engaged: 40 + engagedExtra }, 100, 0.4, rules);
    expect(score(40)).toBeCloseTo(0.5, 6);
    expect(score(39)).toBeLessThan(0.5);
    // 55 % of the excess engaged (a reaction's mix is about 65 %): a confident yes, above the 0.6 of a weak crossing.
    expect(score(55)).toBeGreaterThan(0.6);
    expect(score(0)).toBe(0);
  });

  it("reports the mix rule's own score with each assessment, for the confirmation of a weak crossing", () => {
    const bots = run(
      new UpliftDetector(),
      withBurst(() => ({ pageViews: 150, engaged: 0 })),
    );
    expect(bots[400]!.mixScore).toBeLessThan(0.01);
    const reaction = run(
      new UpliftDetector(),
      withBurst(() => ({ pageViews: 50, engaged: 100 })),
    );
    expect(reaction[400]!.mixScore).toBeGreaterThan(0.5);
    expect(
      run(new UpliftDetector(), counts(withBurst(() => ({ pageViews: 150, engaged: 0 }))))[400]!.mixScore,
    ).toBe(1);
  });

  it("judges the mix over the bucket before too, so one bucket's count noise does not let a push through", () => {
    const rules = upliftConfigSchema.parse({});
    // 50 extra actions, 25 of them engaged beyond the usual 40 %: alone, an engaged audience…
    const bucket = { bucketStart: 10_000, observed: 150, engaged: 65 };
    expect(engagedScore(bucket, 100, 0.4, rules)).toBeGreaterThan(0.5);
    // …but the bucket before added 50 page views with 10 engaged: 35 of 100 extra actions together, a push.
    const before = { bucketStart: 0, observed: 150, engaged: 50, expectedViewers: 100 };
    expect(engagedScore(bucket, 100, 0.4, rules, before)).toBeLessThan(0.5);
    // A bucket before with the usual audience and its usual mix (the rise starting now) still lets it pass.
    const quietBefore = { bucketStart: 0, observed: 95, engaged: 38, expectedViewers: 100 };
    expect(engagedScore(bucket, 100, 0.4, rules, quietBefore)).toBeGreaterThan(0.5);
  });

  it("turns off at 0", () => {
    const bots = withBurst(() => ({ pageViews: 150, engaged: 0 }));
    expect(peakIndexes(run(new UpliftDetector({}, { minEngagedSharePct: 0 }), bots))).toContain(400);
  });
});
