// Cross-market grouping: peaks of the same sport in several countries within a short time of each other are
// one candidate moment, with each market's uplift. Streaming: each peak, in time order, joins one of the
// groups open when it is recorded or opens one, so the live path (candidate-store.ts, against Postgres) and
// the evaluation (evaluate-moments.ts) take the same decisions with the same functions.
//
// Time alone merges distinct reactions of one sport (two matches of a sport at once, two plays 40 s apart),
// so play-by-play narrows it: a peak's possible causes are the events of its sport involving its country (or
// significant enough to be followed everywhere) in the reaction time before it, and a group keeps the causes
// all its members share. A peak whose causes share
// none with a group's is a different moment; a peak with no known cause (a country that only follows the
// sport, no play-by-play loaded) is judged on time alone.
//
// A reaction reaches markets over a minute or more (a country whose audience follows it later, on a replay):
// so a group also takes a peak in a market it does not hold yet when that peak is within the tolerance of the
// group's latest peak, up to the play-by-play window (max(tolerance, reactionMs)) after its start. A market
// it already holds gets a new group instead (a second reaction there), unless it is within the start's
// tolerance as before.
//
// Two plays moving one country within overlapMs of each other (a race's start and its finish) give one rise
// there: the second reaction begins before the first has peaked, so editors see one moment. A peak caused by
// the later play may therefore join the earlier play's group: its causes include the plays overlapping them.
//
// Nor does a market's second peak on one rise open a group (the tracker re-arms on a wobble of the tail, or on
// the later of two overlapping plays): within the tolerance of that market's latest peak in a group, and with
// no play of its own later than overlapMs after the group's latest cause, it joins that group whatever its
// causes (sameRise).
//
// A peak that play-by-play does not explain (no event of its sport for its country, or followed everywhere,
// in the explainMs before it) while that sport's play-by-play is loaded is not a moment on its own (a session's
// audience arriving, a bot, an outage's way back): it may join a group but does not open one.
import type { PeakEvent } from "./peak-tracker";

export interface MarketPeak extends PeakEvent {
  country: string;
  sport: string;
}

export interface MarketUplift {
  country: string;
  bucketStart: number;
  observed: number;
  expectedViewers: number;
  upliftPct: number;
  score: number;
}

export interface CandidateMoment {
  /** Natural key: sport and the first market's peak bucket, stable across retries. */
  key: string;
  sport: string;
  startedAt: number;
  lastPeakAt: number;
  /** One entry per country (its strongest peak in the group), largest uplift first. */
  markets: MarketUplift[];
  /** Viewers above expected, summed over markets. */
  extraViewers: number;
  score: number;
}

/** A play-by-play event as grouping sees it. */
export interface CauseEvent {
  /** Unique across games (live: games id and event id). */
  id: string;
  sport: string;
  at: number;
  countries: readonly string[];
  /** 0–1: an event at least minEventSignificance is followed in every market, not only its countries'. */
  significance: number;
}

export interface GroupingRule {
  /**
   * A peak joins a group whose start is within this of it (PEAK_GROUPING_SECONDS), or, in a market the group
   * does not hold yet, whose latest peak is.
   */
  toleranceMs: number;
  /** An event can cause peaks up to this long after it; a play-by-play group catches peaks this long. */
  reactionMs: number;
  /** An event this significant (the one that opens a candidate on its own) can cause a peak in any country. */
  minEventSignificance: number;
  /** A peak opens a group only when an event of its possible causes is this recent (play-by-play loaded). */
  explainMs: number;
  /** Plays of one sport this close that share a country are one rise there (see groupingCauses). */
  overlapMs: number;
}

/** An open group (a candidate) as the streaming rule needs it. */
export interface OpenGroup {
  sport: string;
  startedAt: number;
  /** The play-by-play event that opened it, if any: it starts at the event and waits for the reaction. */
  causeEventId?: string | null;
  /** Events every member could be a reaction to; null when no member (nor the opening event) names one. */
  causes: readonly string[] | null;
  /** Its latest member peak's bucket (none yet: a play-by-play group waiting for traffic). */
  lastPeakAt?: number | null;
  /** The countries of its member peaks, each with its latest peak bucket. */
  latestByCountry?: Readonly<Record<string, number>>;
}

/**
 * The events of the peak's sport from reactionMs before its window up to it that involve its country, or
 * that are significant enough to be followed everywhere.
 */
export function possibleCauses(
  peak: Pick<MarketPeak, "sport" | "country" | "bucketStart">,
  events: readonly CauseEvent[],
  rule: Pick<GroupingRule, "reactionMs" | "minEventSignificance">,
): string[] {
  return events
    .filter(
      (event) =>
        event.sport === peak.sport &&
        event.at <= peak.bucketStart &&
        event.at >= peak.bucketStart - rule.reactionMs &&
        (event.countries.includes(peak.country) || event.significance >= rule.minEventSignificance),
    )
    .map((event) => event.id);
}

/**
 * The peak's possible causes and, for each, the earlier plays of its sport up to overlapMs before it that share
 * a country with it: the audience there was still rising from those when it came, so it can be their moment.
 */
export function groupingCauses(
  peak: Pick<MarketPeak, "sport" | "country" | "bucketStart">,
  events: readonly CauseEvent[],
  rule: Pick<GroupingRule, "reactionMs" | "minEventSignificance" | "overlapMs">,
): string[] {
  const causes = possibleCauses(peak, events, rule);
  if (causes.length === 0 || rule.overlapMs <= 0) return causes;
  const ids = new Set(causes);
  for (const cause of events.filter((event) => ids.has(event.id))) {
    for (const event of events) {
      if (
        event.sport === cause.sport &&
        event.at <= cause.at &&
        event.at >= cause.at - rule.overlapMs &&
        event.countries.some((country) => cause.countries.includes(country))
      )
        ids.add(event.id);
    }
  }
  return [...ids];
}

/**
 * Whether a peak may open a group: play-by-play of its sport is not loaded (no event of it up to the peak), or
 * names a possible cause in the explainMs before it; always when explainMs is 0 (PEAK_EXPLAIN_SECONDS).
 */
export function opensGroup(
  peak: Pick<MarketPeak, "sport" | "country" | "bucketStart">,
  events: readonly CauseEvent[],
  rule: Pick<GroupingRule, "explainMs" | "minEventSignificance">,
): boolean {
  if (rule.explainMs <= 0) return true;
  const sport = events.filter((event) => event.sport === peak.sport && event.at <= peak.bucketStart);
  if (sport.length === 0) return true;
  return possibleCauses(peak, sport, { ...rule, reactionMs: rule.explainMs }).length > 0;
}

/** Whether play-by-play explains a peak: it has a possible cause (what sets it apart from a country-wide surge). */
export function explainedBy(
  events: readonly CauseEvent[],
  rule: Pick<GroupingRule, "reactionMs" | "minEventSignificance">,
): (peak: Pick<MarketPeak, "sport" | "country" | "bucketStart">) => boolean {
  return (peak) => possibleCauses(peak, events, rule).length > 0;
}

/** The group's causes once a peak with these causes joined it (compatible ones: see pickGroup). */
export function joinCauses(group: readonly string[] | null, peak: readonly string[]): string[] | null {
  if (peak.length === 0) return group === null ? null : [...group];
  if (group === null) return [...peak];
  return group.filter((id) => peak.includes(id));
}

/** How long after its start a group can take a peak at all (see pickGroup). */
export function groupOpenMs(rule: Pick<GroupingRule, "toleranceMs" | "reactionMs">): number {
  return Math.max(rule.toleranceMs, rule.reactionMs);
}

/**
 * Whether a group reaching further than the tolerance from its start takes a peak: one of a market the group
 * does not hold yet, within the tolerance after the group's latest peak and the play-by-play window after
 * its start (the same reaction reaching another market later).
 */
function extendsTo(
  group: OpenGroup,
  peak: Pick<MarketPeak, "bucketStart"> & { country?: string },
  rule: GroupingRule,
): boolean {
  if (peak.country === undefined || group.lastPeakAt == null || !group.latestByCountry) return false;
  if (Object.hasOwn(group.latestByCountry, peak.country)) return false;
  const after = peak.bucketStart - group.startedAt;
  return (
    after > 0 &&
    after <= groupOpenMs(rule) &&
    Math.abs(peak.bucketStart - group.lastPeakAt) <= rule.toleranceMs
  );
}

/** The latest of these events (by id), if any is listed. */
function latestOf(ids: readonly string[], events: readonly CauseEvent[]): number | undefined {
  let latest: number | undefined;
  for (const event of events) {
    if (ids.includes(event.id) && (latest === undefined || event.at > latest)) latest = event.at;
  }
  return latest;
}

/**
 * Whether a peak is a market's second peak on a rise the group holds there: within the tolerance after that
 * market's latest peak in the group, and play-by-play names no play for it later than overlapMs after the
 * group's latest cause (any play is new to a group that names none; a peak naming none is no new reaction).
 */
function sameRise(
  group: OpenGroup,
  peak: Pick<MarketPeak, "bucketStart"> & { country?: string },
  causes: readonly string[],
  events: readonly CauseEvent[],
  rule: GroupingRule,
): boolean {
  const latest = peak.country === undefined ? undefined : group.latestByCountry?.[peak.country];
  if (latest === undefined || peak.bucketStart < latest || peak.bucketStart - latest > rule.toleranceMs)
    return false;
  if (causes.length === 0) return true;
  // Plays not dated in `events` count as new.
  const peakCause = latestOf(causes, events);
  const groupCause = group.causes === null ? undefined : latestOf(group.causes, events);
  return peakCause !== undefined && groupCause !== undefined && peakCause <= groupCause + rule.overlapMs;
}

/**
 * The group a peak joins: of its sport, starting within the tolerance of it (a play-by-play group: from the
 * tolerance before up to reactionMs after its event) or, for a market the group does not hold yet, within the
 * tolerance of its latest peak (see extendsTo), whose causes share one with the peak's when both name some;
 * or one holding the peak's rise in its market (see sameRise; `events`, the play-by-play the causes name, dates
 * them). The nearest start wins, the earlier listed on a tie. Undefined: the peak opens a group.
 */
export function pickGroup<G extends OpenGroup>(
  groups: readonly G[],
  peak: Pick<MarketPeak, "sport" | "bucketStart"> & { country?: string },
  causes: readonly string[],
  rule: GroupingRule,
  events: readonly CauseEvent[] = [],
): G | undefined {
  let best: G | undefined;
  for (const group of groups) {
    if (group.sport !== peak.sport) continue;
    const after = peak.bucketStart - group.startedAt;
    const within = group.causeEventId
      ? after >= -rule.toleranceMs && after <= groupOpenMs(rule)
      : Math.abs(after) <= rule.toleranceMs;
    const again = sameRise(group, peak, causes, events, rule);
    if (!within && !again && !extendsTo(group, peak, rule)) continue;
    const shared =
      group.causes === null || causes.length === 0 || causes.some((id) => group.causes!.includes(id));
    if (!shared && !again) continue;
    if (!best || Math.abs(after) < Math.abs(peak.bucketStart - best.startedAt)) best = group;
  }
  return best;
}

/** Records a peak (with its possible causes) joining a group: its causes, latest peak and its country's. */
export function joinGroup(
  group: {
    causes: string[] | null;
    lastPeakAt?: number | null;
    latestByCountry?: Readonly<Record<string, number>>;
  },
  peak: Pick<MarketPeak, "country" | "bucketStart">,
  causes: readonly string[],
): void {
  group.causes = joinCauses(group.causes, causes);
  group.lastPeakAt = Math.max(group.lastPeakAt ?? peak.bucketStart, peak.bucketStart);
  const latest = group.latestByCountry?.[peak.country];
  group.latestByCountry = {
    ...group.latestByCountry,
    [peak.country]: Math.max(latest ?? peak.bucketStart, peak.bucketStart),
  };
}

export interface PeakGroup<P extends MarketPeak = MarketPeak> {
  moment: CandidateMoment;
  /** Every peak in the group, in time order. */
  peaks: P[];
}

/**
 * Groups peaks (drops are ignored) as the live path does, one peak at a time in time order: pickGroup among
 * the groups opened so far, or a new group when opensGroup lets it (a peak it does not is left out).
 * `events` is the play-by-play known to the path (none: time only).
 */
export function groupPeakMembers<P extends MarketPeak>(
  peaks: readonly P[],
  rule: GroupingRule,
  events: readonly CauseEvent[] = [],
): PeakGroup<P>[] {
  const eventsBySport = new Map<string, CauseEvent[]>();
  for (const event of events) {
    const list = eventsBySport.get(event.sport) ?? [];
    list.push(event);
    eventsBySport.set(event.sport, list);
  }
  const ordered = peaks
    .filter((peak) => peak.kind === "peak")
    .sort((a, b) => a.bucketStart - b.bucketStart || a.country.localeCompare(b.country));
  const open = new Map<string, (OpenGroup & { causes: string[] | null; peaks: P[] })[]>();
  const all: (OpenGroup & { peaks: P[] })[] = [];
  for (const peak of ordered) {
    const sportEvents = eventsBySport.get(peak.sport) ?? [];
    const causes = groupingCauses(peak, sportEvents, rule);
    // Groups too old to take this peak (or any later one) are closed.
    const groups = (open.get(peak.sport) ?? []).filter(
      (group) => peak.bucketStart - group.startedAt <= groupOpenMs(rule),
    );
    let group = pickGroup(groups, peak, causes, rule, sportEvents);
    if (!group) {
      if (!opensGroup(peak, sportEvents, rule)) continue;
      group = { sport: peak.sport, startedAt: peak.bucketStart, causes: null, peaks: [] };
      groups.push(group);
      all.push(group);
    }
    group.peaks.push(peak);
    joinGroup(group, peak, causes);
    open.set(peak.sport, groups);
  }
  return all
    .map((group) => ({ moment: momentOf(group.sport, group.peaks), peaks: group.peaks }))
    .sort((a, b) => a.moment.startedAt - b.moment.startedAt || a.moment.sport.localeCompare(b.moment.sport));
}

/** The candidate moments of groupPeakMembers. */
export function groupPeaks(
  peaks: readonly MarketPeak[],
  rule: GroupingRule,
  events: readonly CauseEvent[] = [],
): CandidateMoment[] {
  return groupPeakMembers(peaks, rule, events).map((group) => group.moment);
}

function momentOf(sport: string, group: readonly MarketPeak[]): CandidateMoment {
  const strongest = new Map<string, MarketPeak>();
  for (const peak of group) {
    const current = strongest.get(peak.country);
    if (!current || peak.upliftPct > current.upliftPct) strongest.set(peak.country, peak);
  }
  const markets = [...strongest.values()]
    .map(({ country, bucketStart, observed, expectedViewers, upliftPct, score }) => ({
      country,
      bucketStart,
      observed,
      expectedViewers,
      upliftPct,
      score,
    }))
    .sort((a, b) => b.upliftPct - a.upliftPct || a.country.localeCompare(b.country));
  const startedAt = group[0]!.bucketStart;
  return {
    key: `${sport}|${startedAt}`,
    sport,
    startedAt,
    lastPeakAt: group[group.length - 1]!.bucketStart,
    markets,
    extraViewers: markets.reduce(
      (sum, market) => sum + Math.max(0, market.observed - market.expectedViewers),
      0,
    ),
    score: Math.max(...markets.map((market) => market.score)),
  };
}
