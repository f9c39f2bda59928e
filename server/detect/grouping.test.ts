import { describe, expect, it } from "vitest";
import {
  groupPeakMembers,
  groupPeaks,
  pickGroup,
  possibleCauses,
  type CauseEvent,
  type MarketPeak,
} from "./grouping";

const RULE = { toleranceMs: 60_000, reactionMs: 180_000, minEventSignificance: 0.7 };

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
      RULE,
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
      RULE,
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
        peak("NL", "f1", 100, 60),
        peak("BE", "f1", 150, 55),
        peak("IT", "f1", 200, 70),
      ],
      RULE,
    );
    // Markets it does not hold join within the tolerance of its latest peak, up to reactionMs after its start.
    expect(moments).toHaveLength(2);
    expect(moments[0]!.markets.map((market) => [market.country, market.upliftPct])).toEqual([
      ["FR", 90],
      ["DE", 70],
      ["NL", 60],
      ["BE", 55],
    ]);
    expect(moments[1]!.markets.map((market) => market.country)).toEqual(["IT"]);
  });

  it("returns nothing for no peaks", () => {
    expect(groupPeaks([], RULE)).toEqual([]);
  });
});

const event = (
  id: string,
  sport: string,
  seconds: number,
  countries: string[],
  significance = 0.5,
): CauseEvent => ({
  id,
  sport,
  at: seconds * 1000,
  countries,
  significance,
});

describe("grouping with play-by-play causes", () => {
  it("lists the events of the peak's sport involving its country in the reaction time before it", () => {
    const events = [
      event("early", "football", -200, ["FR"]),
      event("goal", "football", 60, ["FR", "ES"]),
      event("other-match", "football", 70, ["AU"]),
      event("later", "football", 120, ["FR"]),
      event("tennis", "tennis", 80, ["FR"]),
    ];
    expect(possibleCauses({ sport: "football", country: "FR", bucketStart: 100_000 }, events, RULE)).toEqual([
      "goal",
    ]);
    expect(possibleCauses({ sport: "football", country: "KE", bucketStart: 100_000 }, events, RULE)).toEqual(
      [],
    );
  });

  it("keeps two matches of one sport apart when their peaks come within the tolerance", () => {
    // Two football matches at once: a goal for Australia, then 30 s later one for Japan.
    const events = [
      event("au-goal", "football", 0, ["AU", "NZ"]),
      event("jp-goal", "football", 30, ["JP", "KR"]),
    ];
    const groups = groupPeakMembers(
      [
        peak("AU", "football", 30, 300),
        peak("NZ", "football", 50, 80),
        peak("JP", "football", 60, 200),
        peak("KR", "football", 70, 90),
      ],
      RULE,
      events,
    );
    expect(groups.map((group) => group.peaks.map((one) => one.country))).toEqual([
      ["AU", "NZ"],
      ["JP", "KR"],
    ]);
    // Without play-by-play, time alone puts the four into one candidate.
    expect(
      groupPeaks(
        groups.flatMap((group) => group.peaks),
        RULE,
      ),
    ).toHaveLength(1);
  });

  it("lets a peak with no known cause (a country that only follows the sport) join on time alone", () => {
    const events = [event("au-goal", "football", 0, ["AU"]), event("jp-goal", "football", 30, ["JP"])];
    const groups = groupPeakMembers(
      [peak("AU", "football", 30, 300), peak("JP", "football", 60, 200), peak("GB", "football", 65, 50)],
      RULE,
      events,
    );
    // GB names no event: it joins the group whose start is nearest (JP's, 5 s away).
    expect(groups.map((group) => group.peaks.map((one) => one.country))).toEqual([["AU"], ["JP", "GB"]]);
  });

  it("counts an event significant enough to open a candidate as a possible cause in every country", () => {
    // A medal decided for Japan, followed everywhere; the US also has a minor play of another session.
    const events = [
      event("jp-medal", "gymnastics", 0, ["JP"], 0.95),
      event("us-routine", "gymnastics", 10, ["US"], 0.2),
    ];
    expect(possibleCauses({ sport: "gymnastics", country: "US", bucketStart: 40_000 }, events, RULE)).toEqual(
      ["jp-medal", "us-routine"],
    );
    const groups = groupPeakMembers(
      [peak("JP", "gymnastics", 30, 300), peak("US", "gymnastics", 40, 80)],
      RULE,
      events,
    );
    expect(groups.map((group) => group.peaks.map((one) => one.country))).toEqual([["JP", "US"]]);
  });

  it("narrows a group's causes to those every member shares", () => {
    // FR reacts to either of two FR plays; ES only to the second: the group is the second play's, so a later
    // FR peak that can only be the first play's opens its own group.
    const events = [event("first", "football", 0, ["FR"]), event("second", "football", 20, ["FR", "ES"])];
    const groups = groupPeakMembers(
      [peak("FR", "football", 40, 100), peak("ES", "football", 45, 100), peak("IT", "football", 50, 60)],
      RULE,
      events,
    );
    expect(groups).toHaveLength(1);
    const open = [{ sport: "football", startedAt: 40_000, causes: ["second"] }];
    expect(pickGroup(open, { sport: "football", bucketStart: 60_000 }, ["first"], RULE)).toBeUndefined();
    expect(pickGroup(open, { sport: "football", bucketStart: 60_000 }, ["first", "second"], RULE)).toBe(
      open[0],
    );
    expect(pickGroup(open, { sport: "football", bucketStart: 60_000 }, [], RULE)).toBe(open[0]);
  });

  it("lets a candidate opened by a play-by-play event catch its reaction up to reactionMs after it", () => {
    const opened = { sport: "football", startedAt: 0, causeEventId: "goal", causes: ["goal"] };
    expect(pickGroup([opened], { sport: "football", bucketStart: 150_000 }, ["goal"], RULE)).toBe(opened);
    expect(pickGroup([opened], { sport: "football", bucketStart: 150_000 }, ["other"], RULE)).toBeUndefined();
    expect(pickGroup([opened], { sport: "football", bucketStart: 200_000 }, ["goal"], RULE)).toBeUndefined();
    const traffic = { sport: "football", startedAt: 0, causes: null };
    expect(pickGroup([traffic], { sport: "football", bucketStart: 150_000 }, [], RULE)).toBeUndefined();
  });

  it("lets a group take a market it does not hold yet within the tolerance of its latest peak", () => {
    // ES joins FR's group 50 s in, IT 100 s in (50 s after ES): one reaction reaching markets in turn.
    const groups = groupPeakMembers(
      [peak("FR", "football", 100, 60), peak("ES", "football", 150, 80), peak("IT", "football", 200, 70)],
      RULE,
    );
    expect(groups.map((group) => group.peaks.map((member) => member.country))).toEqual([["FR", "ES", "IT"]]);
    expect(groups[0]!.moment).toMatchObject({ startedAt: 100_000, lastPeakAt: 200_000 });
  });

  it("gives a later peak of a market the group already holds its own group, past the start's tolerance", () => {
    const groups = groupPeakMembers(
      [peak("FR", "football", 100, 60), peak("ES", "football", 150, 80), peak("FR", "football", 200, 70)],
      RULE,
    );
    expect(groups.map((group) => group.peaks.map((member) => member.country))).toEqual([
      ["FR", "ES"],
      ["FR"],
    ]);
  });

  it("stops extending a group past the play-by-play window after its start, and keeps causes apart", () => {
    const chain = ["FR", "ES", "IT", "DE", "GB"].map((country, index) =>
      peak(country, "football", index * 50, 60),
    );
    expect(groupPeakMembers(chain, RULE).map((group) => group.peaks.length)).toEqual([4, 1]);
    const events = [event("first", "football", 0, ["FR", "ES"]), event("second", "football", 60, ["IT"])];
    const split = groupPeakMembers(
      [peak("FR", "football", 10, 60), peak("ES", "football", 50, 60), peak("IT", "football", 90, 60)],
      RULE,
      events,
    );
    expect(split.map((group) => group.peaks.map((member) => member.country))).toEqual([["FR", "ES"], ["IT"]]);
  });

  it("picks a group through its latest peak only for a market it does not hold", () => {
    const open = [
      { sport: "football", startedAt: 0, causes: null, lastPeakAt: 50_000, countries: ["FR", "ES"] },
    ];
    expect(pickGroup(open, { sport: "football", country: "IT", bucketStart: 100_000 }, [], RULE)).toBe(
      open[0],
    );
    expect(
      pickGroup(open, { sport: "football", country: "FR", bucketStart: 100_000 }, [], RULE),
    ).toBeUndefined();
    expect(
      pickGroup(open, { sport: "football", country: "IT", bucketStart: 120_000 }, [], RULE),
    ).toBeUndefined();
  });
});
