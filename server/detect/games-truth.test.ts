import { describe, expect, it } from "vitest";
import { MarketCounter, momentRecall, truthIntervals, type TruthMoment } from "./games-truth";

const W = 10_000;

describe("MarketCounter", () => {
  it("counts actions into dense windows, zeros where nothing happened, and counts strays", () => {
    const counter = new MarketCounter([{ country: "FR", sport: "judo" }], 0, 30_000, W);
    counter.add("FR", "judo", 1_000);
    counter.add("FR", "judo", 9_999);
    counter.add("FR", "judo", 25_000);
    counter.add("FR", "judo", 30_000);
    counter.add("US", "judo", 1_000);
    expect(counter.series()).toEqual([
      {
        country: "FR",
        sport: "judo",
        buckets: [
          { bucketStart: 0, observed: 2 },
          { bucketStart: 10_000, observed: 0 },
          { bucketStart: 20_000, observed: 1 },
        ],
      },
    ]);
    expect(counter.outside).toBe(2);
  });
});

describe("truthIntervals and momentRecall", () => {
  const truth: TruthMoment[] = [
    {
      decoy: false,
      start: 0,
      peak: 20_000,
      end: 60_000,
      markets: [
        { country: "FR", sport: "judo", peakUpliftPct: 150 },
        { country: "US", sport: "judo", peakUpliftPct: 20 },
        { country: "JM", sport: "judo", peakUpliftPct: 300 },
      ],
    },
    {
      decoy: true,
      start: 100_000,
      peak: 110_000,
      end: 150_000,
      markets: [{ country: "*", sport: "*", peakUpliftPct: -80 }],
    },
  ];
  const series = [
    { country: "FR", sport: "judo", buckets: [{ bucketStart: 20_000, observed: 60 }] },
    { country: "JM", sport: "judo", buckets: [{ bucketStart: 20_000, observed: 4 }] },
  ];

  it("scores markets the rules can see, ignores weaker or smaller ones, and keeps decoys", () => {
    const intervals = truthIntervals(truth, { minUpliftPct: 40, minVolume: 20 }, series);
    expect(intervals.moments).toEqual([
      { country: "FR", sport: "judo", start: 0, peak: 20_000, end: 60_000 },
    ]);
    expect(intervals.ignored.map((interval) => interval.country)).toEqual(["US", "JM"]);
    expect(intervals.decoys).toEqual([
      { country: "*", sport: "*", start: 100_000, peak: 110_000, end: 150_000 },
    ]);
  });

  it("sees a moment when any market it moved has a peak in time", () => {
    expect(momentRecall([{ country: "US", sport: "judo", bucketStart: 10_000 }], truth, W)).toBe(1);
    expect(momentRecall([{ country: "US", sport: "judo", bucketStart: 200_000 }], truth, W)).toBe(0);
    expect(momentRecall([], [], W)).toBe(1);
  });
});
