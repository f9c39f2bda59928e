import { describe, expect, it } from "vitest";
import { forestConfigSchema } from "./config";
import { ForestDetector } from "./forest-detector";
import { HalfSpaceForest } from "./half-space-trees";
import { restoreDetector } from "./detectors";
import { syntheticSeries } from "./synthetic-series";

describe("HalfSpaceForest", () => {
  it("finds mass where the reference window put it and none far away", () => {
    const forest = new HalfSpaceForest(forestConfigSchema.parse({ referenceWindow: 64 }), 2);
    expect(forest.ready).toBe(false);
    for (let index = 0; index < 64; index += 1) forest.learn([0.5 + (index % 8) * 0.005, 0.5]);
    expect(forest.ready).toBe(true);
    expect(forest.density([0.52, 0.5])).toBeGreaterThan(5);
    expect(forest.density([0.95, 0.95])).toBeLessThan(0.5);
  });

  it("scores the same in the one-walk hot path as in density()", () => {
    const forest = new HalfSpaceForest(forestConfigSchema.parse({ referenceWindow: 32 }), 2);
    for (let index = 0; index < 40; index += 1) forest.learn([(index % 10) / 10, 0.3]);
    for (const point of [
      [0.2, 0.3],
      [0.9, 0.9],
      [0.55, 0.31],
    ]) {
      const expected = forest.density(point);
      expect(forest.densityThenLearn(point)).toBe(expected);
    }
  });
});

describe("ForestDetector", () => {
  const series = syntheticSeries({
    buckets: 2000,
    baseViewers: 150,
    trendPerHour: 0.1,
    peaks: [
      { atBucket: 900, buckets: 6, upliftPct: 70 },
      { atBucket: 1600, buckets: 4, upliftPct: 120 },
    ],
    seed: 11,
  });

  it("fires on injected peaks once the forest has a reference window, not on noise or the trend", () => {
    const detector = new ForestDetector();
    const fired = series.flatMap((bucket, index) => (detector.assess(bucket).isPeak ? [index] : []));
    expect(fired).toContain(900);
    expect(fired).toContain(1600);
    expect(fired.every((index) => (index >= 900 && index < 906) || (index >= 1600 && index < 1604))).toBe(
      true,
    );
  });

  it("round-trips its state through JSON and scores the rest identically", () => {
    const original = new ForestDetector();
    series.slice(0, 1000).forEach((bucket) => original.assess(bucket));
    const restored = restoreDetector(JSON.parse(JSON.stringify(original.toJSON())));
    expect(restored.name).toBe("forest");
    const rest = series.slice(1000);
    expect(rest.map((bucket) => restored.assess(bucket))).toEqual(
      rest.map((bucket) => original.assess(bucket)),
    );
  });
});
