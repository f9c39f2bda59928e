import { describe, expect, it } from "vitest";
import { planGames } from "../simulator/games";
import {
  foldRisingReactions,
  MarketCounter,
  reactionMarketTimes,
  truthIntervals,
  type TruthMoment,
} from "./games-truth";

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

describe("truthIntervals", () => {
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
});

describe("foldRisingReactions", () => {
  const reaction = (country: string, start: number, peak: number, end: number) => ({
    country,
    sport: "judo",
    start,
    peak,
    end,
  });

  it("folds a reaction that begins while an earlier one in the market is still rising, not a later one", () => {
    const folded = foldRisingReactions(
      {
        moments: [
          reaction("FR", 0, 40_000, 200_000),
          reaction("FR", 30_000, 60_000, 250_000),
          reaction("FR", 300_000, 330_000, 400_000),
        ],
        ignored: [reaction("US", 0, 40_000, 100_000)],
        decoys: [],
      },
      W,
    );
    expect(folded.folded).toBe(1);
    expect(folded.moments).toEqual([
      reaction("FR", 0, 60_000, 250_000),
      reaction("FR", 300_000, 330_000, 400_000),
    ]);
    expect(folded.ignored).toEqual([reaction("US", 0, 40_000, 100_000)]);
  });

  it("scores a folded rise when any of its reactions was to be found", () => {
    const folded = foldRisingReactions(
      {
        moments: [reaction("FR", 20_000, 50_000, 90_000)],
        ignored: [reaction("FR", 0, 40_000, 80_000)],
        decoys: [],
      },
      W,
    );
    expect(folded.moments).toEqual([reaction("FR", 0, 50_000, 90_000)]);
    expect(folded.ignored).toEqual([]);
  });
});

describe("reactionMarketTimes", () => {
  it("gives each market of a reaction its own start, within the moment's overall interval", () => {
    const plan = planGames({ seed: 1, size: "small" });
    const timed = reactionMarketTimes(plan.manifest, plan.groundTruth)!;
    const reactions = timed.filter((moment) => !moment.decoy);
    const markets = reactions.flatMap((moment) => moment.markets.map((market) => ({ moment, market })));
    expect(markets.every(({ market }) => market.start !== undefined)).toBe(true);
    expect(
      markets.every(({ moment, market }) => market.start! >= moment.start && market.end! <= moment.end),
    ).toBe(true);
    // Markets react 15–45 s after the event, so some start later than the moment's earliest market.
    expect(markets.some(({ moment, market }) => market.start! > moment.start)).toBe(true);
    expect(reactionMarketTimes({ ...plan.manifest, seed: 2 }, plan.groundTruth)).toBeNull();
  });
});
