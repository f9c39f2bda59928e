import { describe, expect, it } from "vitest";
import { evaluateDetector, scorePeaks, type MarketInterval } from "./evaluate";
import type { MarketPeak } from "./grouping";
import { syntheticSeries, SYNTHETIC_START_MS } from "./synthetic-series";

const W = 10_000;
const peak = (country: string, sport: string, bucketStart: number): MarketPeak => ({
  kind: "peak",
  country,
  sport,
  bucketStart,
  detectedAt: bucketStart,
  observed: 200,
  expectedViewers: 100,
  upliftPct: 100,
  score: 0.7,
});
const interval = (country: string, sport: string, start: number, end: number): MarketInterval => ({
  country,
  sport,
  start,
  end,
});

describe("scorePeaks", () => {
  it("computes precision, recall, F1, lag in windows and decoys fired on hand-made data", () => {
    const moments = [
      interval("FR", "football", 100_000, 160_000),
      interval("ES", "football", 105_000, 160_000), // starts mid-bucket: the bucket at 100 s holds it
      interval("IT", "tennis", 500_000, 520_000), // missed
    ];
    const decoys = [interval("FR", "tennis", 300_000, 330_000), interval("DE", "golf", 300_000, 330_000)];
    const peaks = [
      peak("FR", "football", 110_000), // lag 1
      peak("FR", "football", 140_000), // duplicate
      peak("ES", "football", 100_000), // lag 0
      peak("FR", "tennis", 310_000), // decoy fired
      peak("US", "golf", 900_000), // plain false alarm
    ];
    const score = scorePeaks(peaks, moments, decoys, { windowMs: W });
    expect(score).toMatchObject({
      peaks: 5,
      truePeaks: 2,
      duplicatePeaks: 1,
      moments: 3,
      detectedMoments: 2,
      precision: 0.4,
      decoys: 2,
      decoysFired: 1,
      decoyFiredShare: 0.5,
    });
    expect(score.recall).toBeCloseTo(2 / 3);
    expect(score.f1).toBeCloseTo((2 * 0.4 * (2 / 3)) / (0.4 + 2 / 3));
    expect(score.lagsWindows.sort()).toEqual([0, 1]);
    expect(score.medianLagWindows).toBe(0.5);
  });

  it("counts a peak shortly after a moment's end within the grace windows, not later", () => {
    const moments = [interval("FR", "football", 0, 30_000)];
    expect(scorePeaks([peak("FR", "football", 50_000)], moments, [], { windowMs: W }).recall).toBe(1);
    expect(scorePeaks([peak("FR", "football", 60_000)], moments, [], { windowMs: W }).recall).toBe(0);
  });

  it("gives each moment one peak and each peak one moment: the later of two overlapping moments gets the later peak", () => {
    const first = interval("FR", "football", 0, 300_000);
    const second = interval("FR", "football", 120_000, 400_000);
    const score = scorePeaks(
      [peak("FR", "football", 10_000), peak("FR", "football", 130_000), peak("FR", "football", 200_000)],
      [first, second],
      [],
      { windowMs: W },
    );
    expect(score).toMatchObject({ truePeaks: 2, duplicatePeaks: 1, recall: 1 });
    expect(score.lagsWindows.sort()).toEqual([1, 1]);
  });

  it("measures lag to the window that raised the peak (a confirmation's extra window counts)", () => {
    const confirmed = { ...peak("FR", "football", 100_000), detectedAt: 110_000 };
    const score = scorePeaks([confirmed], [interval("FR", "football", 100_000, 200_000)], [], {
      windowMs: W,
    });
    expect(score.medianLagWindows).toBe(1);
  });

  it("lets a decoy on market * (a site-wide outage) cover every market", () => {
    const outage = [interval("*", "*", 0, 60_000)];
    expect(scorePeaks([peak("JP", "judo", 30_000)], [], outage, { windowMs: W })).toMatchObject({
      decoysFired: 1,
      precision: 0,
    });
  });

  it("leaves peaks inside ignored intervals out of precision", () => {
    const ignored = [interval("FR", "football", 0, 30_000)];
    const score = scorePeaks([peak("FR", "football", 10_000)], [], [], { windowMs: W, ignored });
    expect(score).toMatchObject({ peaks: 1, ignoredPeaks: 1, precision: 1 });
  });

  it("treats no peaks and no moments as perfect precision and recall, with no lag", () => {
    expect(scorePeaks([], [], [], { windowMs: W })).toMatchObject({
      precision: 1,
      recall: 1,
      f1: 1,
      medianLagWindows: null,
    });
  });
});

describe("evaluateDetector", () => {
  it("finds injected peaks in synthetic markets and leaves a small decoy alone", () => {
    const truthAt = (index: number) => SYNTHETIC_START_MS + index * W;
    const series = [
      {
        country: "FR",
        sport: "football",
        buckets: syntheticSeries({
          buckets: 800,
          baseViewers: 150,
          peaks: [{ atBucket: 500, buckets: 6, upliftPct: 90 }],
        }),
      },
      {
        country: "ES",
        sport: "football",
        buckets: syntheticSeries({
          buckets: 800,
          baseViewers: 150,
          peaks: [{ atBucket: 600, buckets: 6, upliftPct: 15 }],
          seed: 2,
        }),
      },
    ];
    const moments = [interval("FR", "football", truthAt(500), truthAt(505))];
    const decoys = [interval("ES", "football", truthAt(600), truthAt(605))];
    for (const detector of ["uplift", "forest"] as const) {
      const score = evaluateDetector(series, moments, decoys, { windowMs: W, config: { detector } });
      expect(score).toMatchObject({ recall: 1, precision: 1, medianLagWindows: 0, decoysFired: 0 });
    }
  });
});
