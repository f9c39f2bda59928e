import { describe, expect, it } from "vitest";
import type { DetectedPeak, MarketInterval } from "./evaluate";
import {
  groupCandidates,
  scoreMoments,
  type DetectedCandidate,
  type MomentIntervals,
  type MomentTruth,
} from "./evaluate-moments";

const W = 10_000;
const options = { windowMs: W, graceWindows: 2, groupingMs: 60_000 };
const peak = (
  country: string,
  sport: string,
  bucketStart: number,
  detectedAt = bucketStart,
): DetectedPeak => ({
  kind: "peak",
  country,
  sport,
  bucketStart,
  detectedAt,
  observed: 200,
  expectedViewers: 100,
  upliftPct: 100,
  score: 0.7,
});
const market = (country: string, sport: string, start: number, end: number): MarketInterval => ({
  country,
  sport,
  start,
  end,
});
const moment = (
  id: string,
  markets: MarketInterval[],
  extra: Partial<MomentIntervals> = {},
): MomentIntervals => ({
  id,
  start: Math.min(...markets.map((interval) => interval.start)),
  markets,
  weakMarkets: [],
  ...extra,
});
const truth = (parts: Partial<MomentTruth>): MomentTruth => ({
  moments: [],
  ignored: [],
  decoys: [],
  ...parts,
});
const candidate = (...peaks: DetectedPeak[]): DetectedCandidate => ({
  sport: peaks[0]!.sport,
  startedAt: Math.min(...peaks.map((one) => one.bucketStart)),
  peaks,
});

describe("groupCandidates", () => {
  it("groups one sport's peaks within the tolerance of the group's first peak (a new market: of its latest), keeping every peak", () => {
    const groups = groupCandidates(
      [
        peak("FR", "judo", 0),
        peak("BR", "judo", 50_000),
        peak("FR", "judo", 60_000),
        peak("JP", "judo", 70_000), // a market it does not hold, within 60 s of its latest peak: joins
        peak("FR", "judo", 130_000), // a market it holds, over 60 s after the first and its latest there: new
        peak("FR", "tennis", 10_000), // another sport: its own candidate
      ],
      {
        toleranceMs: 60_000,
        reactionMs: 180_000,
        minEventSignificance: 0.7,
        explainMs: 120_000,
        overlapMs: 60_000,
      },
    );
    expect(
      groups.map((group) => [
        group.sport,
        group.startedAt,
        group.peaks.map((one) => `${one.country}@${one.bucketStart}`),
      ]),
    ).toEqual([
      ["judo", 0, ["FR@0", "BR@50000", "FR@60000", "JP@70000"]],
      ["tennis", 10_000, ["FR@10000"]],
      ["judo", 130_000, ["FR@130000"]],
    ]);
  });
  it("splits one sport's simultaneous peaks by their play-by-play causes, as live grouping does", () => {
    const groups = groupCandidates(
      [peak("AU", "football", 30_000), peak("JP", "football", 60_000), peak("NZ", "football", 70_000)],
      {
        toleranceMs: 60_000,
        reactionMs: 180_000,
        minEventSignificance: 0.7,
        explainMs: 120_000,
        overlapMs: 60_000,
      },
      [
        { id: "au-goal", sport: "football", at: 0, countries: ["AU", "NZ"], significance: 0.5 },
        { id: "jp-goal", sport: "football", at: 30_000, countries: ["JP"], significance: 0.5 },
      ],
    );
    expect(groups.map((group) => group.peaks.map((one) => one.country))).toEqual([["AU", "NZ"], ["JP"]]);
  });
});

describe("scoreMoments", () => {
  it("finds a moment through a peak in any of its markets, weak ones included, and says so", () => {
    const judo = moment("judo", [market("FR", "judo", 0, 100_000)], {
      weakMarkets: [market("US", "judo", 0, 100_000)],
    });
    const viaWeak = scoreMoments(
      [candidate(peak("US", "judo", 20_000))],
      truth({ moments: [judo] }),
      options,
    );
    expect(viaWeak).toMatchObject({ detectedMoments: 1, recall: 1, precision: 1, foundOnlyInWeakMarkets: 1 });
    const viaStrong = scoreMoments(
      [candidate(peak("US", "judo", 20_000), peak("FR", "judo", 30_000))],
      truth({ moments: [judo] }),
      options,
    );
    expect(viaStrong).toMatchObject({ detectedMoments: 1, foundOnlyInWeakMarkets: 0 });
    // A market the moment did not move (or another sport) finds nothing.
    const elsewhere = scoreMoments(
      [candidate(peak("JP", "judo", 20_000)), candidate(peak("FR", "tennis", 20_000))],
      truth({ moments: [judo] }),
      options,
    );
    expect(elsewhere).toMatchObject({ detectedMoments: 0, precision: 0, otherFalseCandidates: 2 });
  });

  it("matches within each market's own interval plus the grace windows, as the per-market scoring does", () => {
    const late = moment("late", [market("FR", "judo", 100_000, 130_000)]);
    const score = (at: number) =>
      scoreMoments([candidate(peak("FR", "judo", at))], truth({ moments: [late] }), options).recall;
    expect(score(90_000)).toBe(0); // its window ends at the market's start
    expect(score(100_000)).toBe(1);
    expect(score(150_000)).toBe(1); // end + 2 windows
    expect(score(160_000)).toBe(0);
  });

  it("lets one candidate count for one moment only, and counts a second candidate for a found moment as false", () => {
    const first = moment("first", [market("FR", "judo", 0, 200_000)]);
    const second = moment("second", [market("BR", "judo", 20_000, 200_000)]);
    const merged = scoreMoments(
      [candidate(peak("FR", "judo", 10_000), peak("BR", "judo", 30_000))],
      truth({ moments: [first, second] }),
      options,
    );
    expect(merged).toMatchObject({ detectedMoments: 1, recall: 0.5, precision: 1, mergedMoments: 1 });

    const split = scoreMoments(
      [candidate(peak("FR", "judo", 10_000)), candidate(peak("FR", "judo", 120_000))],
      truth({ moments: [first] }),
      options,
    );
    expect(split).toMatchObject({ detectedMoments: 1, duplicateCandidates: 1, precision: 0.5, recall: 1 });

    // Two candidates over two overlapping moments: each takes one (the later-starting open one first).
    const both = scoreMoments(
      [
        candidate(peak("FR", "judo", 10_000), peak("BR", "judo", 30_000)),
        candidate(peak("FR", "judo", 120_000)),
      ],
      truth({ moments: [first, second] }),
      options,
    );
    expect(both).toMatchObject({ detectedMoments: 2, duplicateCandidates: 0, precision: 1, recall: 1 });
  });

  it("counts candidates outside every reaction against precision, decoys fired once per decoy", () => {
    const found = moment("found", [market("FR", "judo", 0, 100_000)]);
    const push = moment(
      "push",
      [market("CN", "judo", 300_000, 400_000), market("CN", "tennis", 300_000, 400_000)],
      {
        kind: "push_notification",
      },
    );
    const quiet = moment("quiet", [market("DE", "golf", 300_000, 400_000)]);
    const score = scoreMoments(
      [
        candidate(peak("FR", "judo", 10_000)),
        candidate(peak("CN", "judo", 310_000)),
        candidate(peak("CN", "tennis", 320_000)),
        candidate(peak("US", "golf", 900_000)),
      ],
      truth({ moments: [found], decoys: [push, quiet] }),
      options,
    );
    expect(score).toMatchObject({
      candidates: 4,
      trueCandidates: 1,
      decoyCandidates: 2,
      otherFalseCandidates: 1,
      precision: 0.25,
      decoys: 2,
      decoysFired: 1,
      decoyFiredShare: 0.5,
    });
  });

  it("fires a decoy whose peak rode in a true candidate, but not one covered by a reaction's market", () => {
    const reaction = moment("reaction", [market("FR", "judo", 0, 100_000)]);
    const bots = moment("bots", [market("ES", "judo", 0, 100_000)], { kind: "bot_burst" });
    const outage = moment("outage", [market("*", "*", 0, 100_000)], { kind: "outage" });
    const score = scoreMoments(
      [candidate(peak("FR", "judo", 10_000), peak("ES", "judo", 20_000))],
      truth({ moments: [reaction], decoys: [bots, outage] }),
      options,
    );
    // The ES peak is in both decoys and no reaction: both fired; the FR peak is the reaction's.
    expect(score).toMatchObject({ trueCandidates: 1, precision: 1, decoysFired: 2 });
    const onlyReaction = scoreMoments(
      [candidate(peak("FR", "judo", 10_000))],
      truth({ moments: [reaction], decoys: [outage] }),
      options,
    );
    expect(onlyReaction).toMatchObject({ decoysFired: 0 });
  });

  it("leaves candidates over reactions the rules cannot see out of precision", () => {
    const weak = moment("weak", [], { start: 0, weakMarkets: [market("FR", "judo", 0, 100_000)] });
    const score = scoreMoments([candidate(peak("FR", "judo", 10_000))], truth({ ignored: [weak] }), options);
    expect(score).toMatchObject({ candidates: 1, ignoredCandidates: 1, precision: 1, recall: 1, moments: 0 });
  });

  it("measures lag from the moment's start and from its first visible window to the candidate's first peak in its markets", () => {
    const judo = moment(
      "judo",
      [market("FR", "judo", 105_000, 300_000), market("BR", "judo", 125_000, 300_000)],
      { visible: 131_000 },
    );
    const score = scoreMoments(
      [
        candidate(
          peak("JP", "judo", 100_000), // in the candidate but not a market of the moment: no lag from it
          peak("BR", "judo", 130_000, 140_000), // confirmed one window later: raised at 140 s
          peak("FR", "judo", 150_000),
        ),
      ],
      truth({ moments: [judo] }),
      options,
    );
    // Start window 100 s → raised in window 140 s: 4 windows; first visible window 130 s → 1 window.
    expect(score).toMatchObject({ lagsWindows: [4], medianLagWindows: 4, medianLagFromVisibleWindows: 1 });
  });
});
