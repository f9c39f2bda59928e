import { describe, expect, it } from "vitest";
import { SeriesDetection } from "./series-detection";
import { syntheticSeries } from "./synthetic-series";

describe("SeriesDetection", () => {
  const series = syntheticSeries({
    buckets: 1500,
    baseViewers: 100,
    peaks: [
      { atBucket: 600, buckets: 8, upliftPct: 100 },
      { atBucket: 1200, buckets: 5, upliftPct: 70 },
    ],
    seed: 8,
  });

  for (const detector of ["uplift", "forest"] as const) {
    it(`${detector}: raises one peak and one peak-end per injected peak`, () => {
      const detection = new SeriesDetection({ detector });
      expect(detection.detectorName).toBe(detector);
      const events = series.flatMap((bucket) => detection.update(bucket).events);
      const peaks = events.flatMap((event) => (event.kind === "peak" ? [event] : []));
      const indexOf = (time: number) => (time - series[0]!.bucketStart) / 10_000;
      expect(peaks.map((peak) => indexOf(peak.bucketStart))).toEqual([600, 1200]);
      // A weak first crossing is confirmed by the next bucket: at most one window late.
      expect(peaks.every((peak) => peak.detectedAt - peak.bucketStart <= 10_000)).toBe(true);
      expect(events.filter((event) => event.kind === "peak-end")).toHaveLength(2);
    });

    it(`${detector}: resumes from persisted JSON and produces the same events`, () => {
      const original = new SeriesDetection({ detector });
      series.slice(0, 603).forEach((bucket) => original.update(bucket));
      const resumed = new SeriesDetection({ detector }, JSON.parse(JSON.stringify(original.toJSON())));
      const rest = series.slice(603);
      expect(rest.map((bucket) => resumed.update(bucket))).toEqual(
        rest.map((bucket) => original.update(bucket)),
      );
    });
  }

  it("resumes with the rules configured now, keeping what it learned", () => {
    const saved = new SeriesDetection({ detector: "uplift" });
    series.slice(0, 1100).forEach((bucket) => saved.update(bucket));
    const state = JSON.parse(JSON.stringify(saved.toJSON())) as ReturnType<SeriesDetection["toJSON"]>;
    const peaksWith = (detection: SeriesDetection) =>
      series
        .slice(1100)
        .flatMap((bucket) => detection.update(bucket).events.filter((e) => e.kind === "peak"));
    // The +70 % peak at bucket 1200 fires under the +40 % rule it was saved with…
    expect(peaksWith(new SeriesDetection({ detector: "uplift" }, state))).toHaveLength(1);
    // …and not once the rule is +150 %: a changed setting applies to a series already learning, at once
    // (no warm-up: the learned level carries over).
    const stricter = new SeriesDetection({ detector: "uplift", uplift: { minUpliftPct: 150 } }, state);
    expect(peaksWith(stricter)).toHaveLength(0);
    const afterSwitch = new SeriesDetection({ detector: "forest" }, state);
    expect(afterSwitch.detectorName).toBe("forest");
  });

  it("starts afresh when the saved state cannot carry over (another window length)", () => {
    const saved = new SeriesDetection({ detector: "uplift" });
    series.slice(0, 1100).forEach((bucket) => saved.update(bucket));
    const state = JSON.parse(JSON.stringify(saved.toJSON())) as ReturnType<SeriesDetection["toJSON"]>;
    const longer = new SeriesDetection({ detector: "uplift", baseline: { windowSeconds: 60 } }, state);
    // A fresh detector warms up before judging anything.
    const first = longer.update({ bucketStart: series[1100]!.bucketStart, observed: 500 });
    expect(first.assessment.warmingUp).toBe(true);
  });
});
