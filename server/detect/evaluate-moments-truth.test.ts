import { describe, expect, it } from "vitest";
import type { MarketInterval } from "./evaluate";
import type { MomentIntervals } from "./evaluate-moments";
import { foldRisingMoments, truthMoments } from "./evaluate-moments-truth";
import { truthIntervals, type TruthMoment } from "./games-truth";

const W = 10_000;

describe("truthMoments", () => {
  const truth: TruthMoment[] = [
    {
      id: "reaction-1",
      kind: "reaction",
      decoy: false,
      start: 0,
      peak: 20_000,
      end: 60_000,
      markets: [
        { country: "FR", sport: "judo", peakUpliftPct: 150, visible: 15_000 },
        { country: "US", sport: "judo", peakUpliftPct: 20 },
        { country: "JM", sport: "judo", peakUpliftPct: 300, visible: 5_000 }, // too few actions
      ],
    },
    {
      id: "decoy-1",
      kind: "outage",
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

  it("keeps a reaction whole when the rules see one of its markets, its weaker markets with it", () => {
    const moments = truthMoments(truth, { minUpliftPct: 40, minVolume: 20 }, series);
    expect(moments.moments).toHaveLength(1);
    const [reaction] = moments.moments;
    expect(reaction).toMatchObject({ id: "reaction-1", start: 0, visible: 15_000 });
    expect(reaction!.markets.map((market) => market.country)).toEqual(["FR"]);
    expect(reaction!.weakMarkets.map((market) => market.country)).toEqual(["US", "JM"]);
    expect(moments.ignored).toEqual([]);
    expect(moments.decoys.map((decoy) => [decoy.id, decoy.markets[0]!.country])).toEqual([["decoy-1", "*"]]);
  });

  it("ignores a reaction the rules can see in none of its markets, as the per-market scoring does", () => {
    const rules = { minUpliftPct: 400, minVolume: 20 };
    expect(truthIntervals(truth, rules, series).moments).toEqual([]);
    const moments = truthMoments(truth, rules, series);
    expect(moments.moments).toEqual([]);
    expect(moments.ignored.map((moment) => moment.weakMarkets.length)).toEqual([3]);
  });
});

describe("foldRisingMoments", () => {
  const market = (country: string, start: number, peak: number, end: number): MarketInterval => ({
    country,
    sport: "judo",
    start,
    peak,
    end,
  });
  const moment = (id: string, markets: MarketInterval[], weakMarkets: MarketInterval[] = []) => ({
    id,
    start: Math.min(...[...markets, ...weakMarkets].map((interval) => interval.start)),
    markets,
    weakMarkets,
  });
  const ids = (moments: MomentIntervals[]) => moments.map((one) => one.id);

  it("folds a reaction that begins in a market while an earlier one is still rising there, not a later one", () => {
    const folded = foldRisingMoments(
      {
        moments: [
          moment("first", [market("FR", 0, 40_000, 200_000)]),
          moment("second", [market("FR", 30_000, 60_000, 250_000), market("BR", 35_000, 60_000, 240_000)]),
          moment("later", [market("FR", 300_000, 330_000, 400_000)]),
          // Same time, but no market in common: a different rise.
          moment("elsewhere", [market("JP", 10_000, 40_000, 100_000)]),
        ],
        ignored: [],
        decoys: [],
      },
      W,
    );
    expect(folded.folded).toBe(1);
    expect(ids(folded.moments)).toEqual(["first", "elsewhere", "later"]);
    expect(folded.moments[0]).toMatchObject({
      start: 0,
      markets: [market("FR", 0, 60_000, 250_000), market("BR", 35_000, 60_000, 240_000)],
    });
  });

  it("scores a folded rise when any of its reactions was to be found, keeping which markets the rules see", () => {
    const folded = foldRisingMoments(
      {
        moments: [moment("seen", [market("FR", 20_000, 50_000, 90_000)])],
        ignored: [moment("weak", [], [market("FR", 0, 40_000, 80_000), market("US", 0, 40_000, 80_000)])],
        decoys: [],
      },
      W,
    );
    expect(folded.ignored).toEqual([]);
    expect(folded.moments).toHaveLength(1);
    expect(folded.moments[0]).toMatchObject({
      id: "weak",
      markets: [market("FR", 0, 50_000, 90_000)],
      weakMarkets: [market("US", 0, 40_000, 80_000)],
    });
  });
});
