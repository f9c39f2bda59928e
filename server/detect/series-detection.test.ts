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
});
