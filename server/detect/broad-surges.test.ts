import { describe, expect, it } from "vitest";
import { splitBroadSurges } from "./broad-surges";
import type { MarketPeak } from "./grouping";

const peak = (
  country: string,
  sport: string,
  seconds: number,
  kind: MarketPeak["kind"] = "peak",
): MarketPeak => ({
  kind,
  country,
  sport,
  bucketStart: seconds * 1000,
  detectedAt: seconds * 1000,
  observed: 200,
  expectedViewers: 100,
  upliftPct: 100,
  score: 0.7,
});
const options = { toleranceMs: 60_000, minSports: 3 };

describe("splitBroadSurges", () => {
  it("sets apart peaks of three sports in one country at once (a push notification)", () => {
    const push = [peak("US", "athletics", 100), peak("US", "swimming", 110), peak("US", "football", 130)];
    const sportMoment = peak("FR", "athletics", 100);
    const split = splitBroadSurges([...push, sportMoment], options);
    expect(split.broadPeaks).toEqual(push);
    expect(split.sportPeaks).toEqual([sportMoment]);
  });

  it("keeps one sport across many countries, two sports in one country, and peaks far apart in time", () => {
    const peaks = [
      peak("US", "athletics", 100),
      peak("FR", "athletics", 100),
      peak("GB", "athletics", 100),
      peak("US", "swimming", 120),
      peak("US", "football", 400),
    ];
    expect(splitBroadSurges(peaks, options).broadPeaks).toEqual([]);
  });

  it("lets drops through untouched", () => {
    const drops = [
      peak("US", "athletics", 100, "drop"),
      peak("US", "swimming", 100, "drop"),
      peak("US", "judo", 100, "drop"),
    ];
    expect(splitBroadSurges(drops, options)).toEqual({ sportPeaks: drops, broadPeaks: [] });
  });

  it("never sets apart a peak that play-by-play explains, nor counts it towards a surge", () => {
    // A goal in FR football while FR tennis and swimming also rise: the goal is a moment; the other two are
    // the surge (a push notification in the same minute) only if enough unexplained sports remain.
    const goal = peak("FR", "football", 100);
    const tennis = peak("FR", "tennis", 105);
    const swimming = peak("FR", "swimming", 110);
    const explained = (candidate: MarketPeak) => candidate === goal;
    const twoOthers = splitBroadSurges([goal, tennis, swimming], { ...options, minSports: 2, explained });
    expect(twoOthers.sportPeaks).toEqual([goal]);
    expect(twoOthers.broadPeaks).toEqual([tennis, swimming]);
    const threeNeeded = splitBroadSurges([goal, tennis, swimming], { ...options, explained });
    expect(threeNeeded.broadPeaks).toEqual([]);
    // Without the explanation all three are one surge.
    expect(splitBroadSurges([goal, tennis, swimming], options).broadPeaks).toEqual([goal, tennis, swimming]);
  });
});
