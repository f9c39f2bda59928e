import { describe, expect, it } from "vitest";
import {
  groupingCauses,
  groupPeakMembers,
  groupPeaks,
  opensGroup,
  pickGroup,
  possibleCauses,
  type CauseEvent,
  type MarketPeak,
} from "./grouping";

const RULE = {
  toleranceMs: 60_000,
  reactionMs: 180_000,
  minEventSignificance: 0.7,
  explainMs: 120_000,
  overlapMs: 60_000,
};

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
    // (The plays are more than overlapMs apart: one rise of FR could not hold both.)
    const events = [event("first", "football", 0, ["FR"]), event("second", "football", 70, ["FR", "ES"])];
    const groups = groupPeakMembers(
      [peak("FR", "football", 90, 100), peak("ES", "football", 95, 100), peak("IT", "football", 100, 60)],
      RULE,
      events,
    );
    expect(groups).toHaveLength(1);
    const open = [{ sport: "football", startedAt: 90_000, causes: ["second"] }];
    expect(pickGroup(open, { sport: "football", bucketStart: 110_000 }, ["first"], RULE)).toBeUndefined();
    expect(pickGroup(open, { sport: "football", bucketStart: 110_000 }, ["first", "second"], RULE)).toBe(
      open[0],
    );
    expect(pickGroup(open, { sport: "football", bucketStart: 110_000 }, [], RULE)).toBe(open[0]);
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
      {
        sport: "football",
        startedAt: 0,
        causes: null,
        lastPeakAt: 50_000,
        latestByCountry: { FR: 10_000, ES: 50_000 },
      },
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

  it("counts the plays just before a cause that share a country with it as one rise with it", () => {
    // A race's start (US, AU) then its finish 40 s later (US, followed everywhere): GB reacts to the finish
    // only, on the same rise as the start's reaction; a Japanese play 30 s before shares no country.
    const events = [
      event("jp-routine", "swimming", 10, ["JP"]),
      event("start", "swimming", 0, ["US", "AU"], 0.35),
      event("finish", "swimming", 40, ["US"], 0.94),
    ];
    expect(possibleCauses({ sport: "swimming", country: "GB", bucketStart: 80_000 }, events, RULE)).toEqual([
      "finish",
    ]);
    expect(
      groupingCauses({ sport: "swimming", country: "GB", bucketStart: 80_000 }, events, RULE).sort(),
    ).toEqual(["finish", "start"]);
    // US peaks on the start's reaction, GB 40 s later on the finish's: one candidate, not two.
    const groups = groupPeakMembers(
      [peak("US", "swimming", 40, 100), peak("GB", "swimming", 80, 80)],
      RULE,
      events,
    );
    expect(groups.map((group) => group.peaks.map((member) => member.country))).toEqual([["US", "GB"]]);
    // Plays further apart than overlapMs stay two moments.
    const apart = [
      event("start", "swimming", 0, ["US", "AU"], 0.35),
      event("final", "swimming", 70, ["US"], 0.94),
    ];
    expect(
      groupPeakMembers([peak("US", "swimming", 40, 100), peak("GB", "swimming", 100, 80)], RULE, apart).map(
        (group) => group.peaks.map((member) => member.country),
      ),
    ).toEqual([["US"], ["GB"]]);
  });

  it("opens no group for a peak play-by-play does not explain while its sport has play-by-play", () => {
    const events = [event("goal", "football", 0, ["FR"]), event("late", "football", 400, ["FR"])];
    // The FR peak 30 s after the goal opens a group; ES (no event of its country) joins it on time alone.
    // Five minutes on, an FR peak 150 s after the last FR play (older than explainMs) opens nothing.
    const groups = groupPeakMembers(
      [peak("FR", "football", 30, 100), peak("ES", "football", 50, 60), peak("FR", "football", 330, 90)],
      RULE,
      events,
    );
    expect(
      groups.map((group) => group.peaks.map((member) => `${member.country}@${member.bucketStart}`)),
    ).toEqual([["FR@30000", "ES@50000"]]);
    expect(opensGroup({ sport: "football", country: "FR", bucketStart: 330_000 }, events, RULE)).toBe(false);
    expect(opensGroup({ sport: "football", country: "FR", bucketStart: 100_000 }, events, RULE)).toBe(true);
    // No play-by-play of the sport up to the peak (none loaded): time alone, as before.
    expect(opensGroup({ sport: "tennis", country: "FR", bucketStart: 330_000 }, events, RULE)).toBe(true);
    expect(opensGroup({ sport: "football", country: "FR", bucketStart: -10_000 }, events, RULE)).toBe(true);
    expect(groupPeakMembers([peak("FR", "football", 330, 90)], RULE)).toHaveLength(1);
    // PEAK_EXPLAIN_SECONDS=0: every peak may open a group.
    const anyPeak = { ...RULE, explainMs: 0 };
    expect(opensGroup({ sport: "football", country: "FR", bucketStart: 330_000 }, events, anyPeak)).toBe(
      true,
    );
  });

  it("keeps a market's second peak on one rise in its group unless play-by-play names a newer play", () => {
    // A French goal; DE, which only follows the sport, peaks 40 s on and again 50 s later (past the start's
    // tolerance, a market the group holds): the same rise, one candidate.
    const goal = event("goal", "football", -30, ["FR"]);
    const peaks = [
      peak("FR", "football", 0, 100),
      peak("DE", "football", 40, 60),
      peak("DE", "football", 90, 70),
    ];
    const countries = (groups: ReturnType<typeof groupPeakMembers>) =>
      groups.map((group) => group.peaks.map((member) => member.country));
    expect(countries(groupPeakMembers(peaks, RULE, [goal]))).toEqual([["FR", "DE", "DE"]]);
    // A German play 80 s after the goal (more than overlapMs) is a new reaction: its own candidate.
    const chance = event("de-chance", "football", 50, ["DE"]);
    expect(countries(groupPeakMembers(peaks, RULE, [goal, chance]))).toEqual([["FR", "DE"], ["DE"]]);
    // A play no later than overlapMs after the group's cause joins the rise even with no cause in common.
    const open = [
      {
        sport: "football",
        startedAt: 0,
        causes: ["goal"],
        lastPeakAt: 40_000,
        latestByCountry: { FR: 0, DE: 40_000 },
      },
    ];
    const early = event("de-early", "football", 20, ["DE"]);
    const de = { sport: "football", country: "DE", bucketStart: 90_000 };
    expect(pickGroup(open, de, ["de-early"], RULE, [goal, early])).toBe(open[0]);
    expect(pickGroup(open, de, ["de-chance"], RULE, [goal, chance])).toBeUndefined();
    // Undated plays count as new; more than the tolerance after the market's latest peak, a new rise.
    expect(pickGroup(open, de, ["de-early"], RULE)).toBeUndefined();
    expect(pickGroup(open, { ...de, bucketStart: 110_000 }, [], RULE)).toBeUndefined();
  });
});
