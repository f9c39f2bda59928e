import { describe, expect, it } from "vitest";
import { groupPeaks, type MarketPeak } from "./grouping";

const peak = (
  country: string,
  sport: string,
  seconds: number,
  upliftPct: number,
  kind: MarketPeak["kind"] = "peak",
): MarketPeak => ({
  kind,
  country,
  sport,
  bucketStart: seconds * 1000,
  detectedAt: seconds * 1000,
  observed: 100 + upliftPct,
  expectedViewers: 100,
  upliftPct,
  score: 0.5 + upliftPct / 1000,
});

describe("groupPeaks", () => {
  it("turns simultaneous peaks of one sport in several countries into one moment, markets by uplift", () => {
    const moments = groupPeaks(
      [peak("FR", "football", 100, 60), peak("ES", "football", 110, 150), peak("IT", "football", 130, 80)],
      60_000,
    );
    expect(moments).toHaveLength(1);
    expect(moments[0]).toMatchObject({
      key: "football|100000",
      sport: "football",
      startedAt: 100_000,
      lastPeakAt: 130_000,
    });
    expect(moments[0]!.markets.map((market) => [market.country, market.upliftPct])).toEqual([
      ["ES", 150],
      ["IT", 80],
      ["FR", 60],
    ]);
    expect(moments[0]!.extraViewers).toBe(290);
    expect(moments[0]!.score).toBeCloseTo(0.65);
  });

  it("keeps sports apart, splits peaks further apart than the tolerance, and ignores drops", () => {
    const moments = groupPeaks(
      [
        peak("FR", "football", 100, 60),
        peak("FR", "tennis", 100, 60),
        peak("ES", "football", 200, 60),
        peak("IT", "football", 110, -70, "drop"),
      ],
      60_000,
    );
    expect(moments.map((moment) => [moment.sport, moment.startedAt, moment.markets.length])).toEqual([
      ["football", 100_000, 1],
      ["tennis", 100_000, 1],
      ["football", 200_000, 1],
    ]);
  });

  it("lists a country once, with its strongest peak, and does not chain staggered peaks forever", () => {
    const moments = groupPeaks(
      [
        peak("FR", "f1", 0, 50),
        peak("FR", "f1", 20, 90),
        peak("DE", "f1", 50, 70),
        peak("NL", "f1", 100, 70),
      ],
      60_000,
    );
    expect(moments).toHaveLength(2);
    expect(moments[0]!.markets.map((market) => [market.country, market.upliftPct])).toEqual([
      ["FR", 90],
      ["DE", 70],
    ]);
    expect(moments[1]!.markets.map((market) => market.country)).toEqual(["NL"]);
  });

  it("returns nothing for no peaks", () => {
    expect(groupPeaks([], 60_000)).toEqual([]);
  });
});
