// Scores detection the way editors receive it: peaks grouped across markets into candidate moments (as live
// grouping does), matched one-to-one to the simulator's moments. Beside the per-market scoring, not instead.
//
// Matching rule: peaks (country-wide surges already set apart) are grouped with groupPeakMembers, the live
// rule: one sport, within the grouping tolerance of a group's first peak (a market it does not hold yet: of
// its latest peak, up to the reaction time after its start; see grouping.ts for a market's second peak on one
// rise and for peaks play-by-play does not explain), sharing a possible play-by-play cause. A candidate overlaps a truth moment when one of its peaks falls in one of the moment's markets, in
// that market's interval [start, end + grace] (the per-market tolerance). Candidates are taken in time order; each takes the unmatched overlapping moment that began
// last, and one whose overlapping moments are all taken is a duplicate (against precision). A moment counts
// when the rules can see at least one of its markets; one they can see in none is ignored, and a candidate
// overlapping only such moments is left out of precision. A candidate overlapping no reaction is false (a
// decoy's when it overlaps one). A decoy fired when any candidate holds a peak inside it that no reaction
// market covers. Lag: from the window holding the moment's start (and the one in which its first market
// reached the uplift rule) to the window that raised the candidate's first peak in the moment's markets.
import { intervalCovers, type DetectedPeak, type MarketInterval, type ScoreOptions } from "./evaluate";
import { groupPeakMembers, type CauseEvent, type GroupingRule } from "./grouping";
import { median } from "./robust-stats";

/** A reaction (or decoy) of the simulator across every market it moved, each with its own interval. */
export interface MomentIntervals {
  id: string;
  kind?: string;
  /** The moment's overall start: its earliest market's. */
  start: number;
  /** The earliest time one of `markets` reached the rules' uplift, if known. */
  visible?: number;
  /** Markets the rules can see (each one scored per market). */
  markets: MarketInterval[];
  /** Markets it moved less than the rules ask: a peak there still belongs to the moment. */
  weakMarkets: MarketInterval[];
}

export interface MomentTruth {
  /** Reactions with at least one market the rules can see: each should reach editors. */
  moments: MomentIntervals[];
  /** Reactions the rules can see in no market: a candidate there is neither right nor wrong. */
  ignored: MomentIntervals[];
  decoys: MomentIntervals[];
}

/** A group of peaks as live grouping forms it, with every peak in it. */
export interface DetectedCandidate {
  sport: string;
  startedAt: number;
  peaks: DetectedPeak[];
}

export interface MomentScore {
  candidates: number;
  /** Candidates overlapping only ignored reactions, left out of precision. */
  ignoredCandidates: number;
  trueCandidates: number;
  /** Extra candidates overlapping moments that all had one already: split moments, against precision. */
  duplicateCandidates: number;
  /** Candidates overlapping a decoy and no reaction. */
  decoyCandidates: number;
  /** Candidates overlapping nothing. */
  otherFalseCandidates: number;
  moments: number;
  detectedMoments: number;
  /** Found moments whose candidate had peaks only in markets the rules cannot see. */
  foundOnlyInWeakMarkets: number;
  /** Missed moments with a peak in their markets whose candidate went to another moment. */
  mergedMoments: number;
  precision: number;
  recall: number;
  f1: number;
  lagsWindows: number[];
  /** Windows from the window holding the moment's start to the one that raised its first peak. */
  medianLagWindows: number | null;
  /** Windows from the window in which the moment first reached the uplift rule in a market. */
  medianLagFromVisibleWindows: number | null;
  decoys: number;
  decoysFired: number;
  decoyFiredShare: number;
}

export interface MomentScoreOptions extends Omit<ScoreOptions, "ignored"> {
  /** Peaks of one sport within this of a group's first peak are one candidate (PEAK_GROUPING_SECONDS). */
  groupingMs: number;
}

/**
 * Groups peaks with the live rule (groupPeakMembers: nearest group start within the tolerance, play-by-play
 * causes shared) and keeps each group's peaks.
 */
export function groupCandidates(
  peaks: readonly DetectedPeak[],
  rule: GroupingRule,
  events: readonly CauseEvent[] = [],
): DetectedCandidate[] {
  return groupPeakMembers(peaks, rule, events).map((group) => ({
    sport: group.moment.sport,
    startedAt: group.moment.startedAt,
    peaks: group.peaks,
  }));
}

interface MarketOf {
  moment: MomentIntervals;
  interval: MarketInterval;
  weak: boolean;
}

/** Finds the truth markets covering a peak, by market key (with `*` markets checked for every peak). */
class MarketIndex {
  private readonly byKey = new Map<string, MarketOf[]>();
  private readonly wildcard: MarketOf[] = [];

  constructor(moments: readonly MomentIntervals[]) {
    for (const moment of moments) {
      for (const [intervals, weak] of [
        [moment.markets, false],
        [moment.weakMarkets, true],
      ] as const) {
        for (const interval of intervals) {
          const entry = { moment, interval, weak };
          if (interval.country === "*" || interval.sport === "*") {
            this.wildcard.push(entry);
            continue;
          }
          const key = `${interval.country}|${interval.sport}`;
          const list = this.byKey.get(key) ?? [];
          list.push(entry);
          this.byKey.set(key, list);
        }
      }
    }
  }

  covering(peak: DetectedPeak, windowMs: number, graceMs: number): MarketOf[] {
    return [...(this.byKey.get(`${peak.country}|${peak.sport}`) ?? []), ...this.wildcard].filter((entry) =>
      intervalCovers(entry.interval, peak, windowMs, graceMs),
    );
  }
}

export function scoreMoments(
  candidates: readonly DetectedCandidate[],
  truth: MomentTruth,
  options: MomentScoreOptions,
): MomentScore {
  const { windowMs } = options;
  const graceMs = (options.graceWindows ?? 2) * windowMs;
  const bucketOf = (time: number) => time - (((time % windowMs) + windowMs) % windowMs);
  const reactions = new MarketIndex(truth.moments);
  const ignoredReactions = new MarketIndex(truth.ignored);
  const decoys = new MarketIndex(truth.decoys);

  const candidateOf = new Map<MomentIntervals, { candidate: DetectedCandidate; covering: MarketOf[] }>();
  const overlapped = new Set<MomentIntervals>();
  const firedDecoys = new Set<MomentIntervals>();
  let ignoredCandidates = 0;
  let duplicateCandidates = 0;
  let decoyCandidates = 0;
  let otherFalseCandidates = 0;
  const ordered = [...candidates].sort((a, b) => a.startedAt - b.startedAt || a.sport.localeCompare(b.sport));
  for (const candidate of ordered) {
    const covering: MarketOf[] = [];
    let inIgnored = false;
    let inDecoy = false;
    for (const peak of candidate.peaks) {
      const found = reactions.covering(peak, windowMs, graceMs);
      const weak = ignoredReactions.covering(peak, windowMs, graceMs);
      covering.push(...found);
      if (weak.length > 0) inIgnored = true;
      if (found.length > 0 || weak.length > 0) continue;
      for (const entry of decoys.covering(peak, windowMs, graceMs)) {
        firedDecoys.add(entry.moment);
        inDecoy = true;
      }
    }
    const moments = [...new Set(covering.map((entry) => entry.moment))];
    for (const moment of moments) overlapped.add(moment);
    if (moments.length > 0) {
      const open = moments.filter((moment) => !candidateOf.has(moment));
      if (open.length === 0) {
        duplicateCandidates += 1;
        continue;
      }
      const moment = open.reduce((a, b) => (b.start > a.start ? b : a));
      candidateOf.set(moment, {
        candidate,
        covering: covering.filter((entry) => entry.moment === moment),
      });
    } else if (inIgnored) ignoredCandidates += 1;
    else if (inDecoy) decoyCandidates += 1;
    else otherFalseCandidates += 1;
  }

  const lagsWindows: number[] = [];
  const lagsFromVisible: number[] = [];
  let foundOnlyInWeakMarkets = 0;
  for (const [moment, { candidate, covering }] of candidateOf) {
    const ownPeaks = candidate.peaks.filter((peak) =>
      covering.some((entry) => intervalCovers(entry.interval, peak, windowMs, graceMs)),
    );
    const firstWindow = bucketOf(Math.min(...ownPeaks.map((peak) => peak.detectedAt)));
    lagsWindows.push(Math.max(0, Math.round((firstWindow - bucketOf(moment.start)) / windowMs)));
    if (moment.visible !== undefined) {
      lagsFromVisible.push(Math.round((firstWindow - bucketOf(moment.visible)) / windowMs));
    }
    if (covering.every((entry) => entry.weak)) foundOnlyInWeakMarkets += 1;
  }

  const trueCandidates = candidateOf.size;
  const judged = candidates.length - ignoredCandidates;
  const precision = judged === 0 ? 1 : trueCandidates / judged;
  const recall = truth.moments.length === 0 ? 1 : trueCandidates / truth.moments.length;
  return {
    candidates: candidates.length,
    ignoredCandidates,
    trueCandidates,
    duplicateCandidates,
    decoyCandidates,
    otherFalseCandidates,
    moments: truth.moments.length,
    detectedMoments: trueCandidates,
    foundOnlyInWeakMarkets,
    mergedMoments: [...overlapped].filter((moment) => !candidateOf.has(moment)).length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    lagsWindows,
    medianLagWindows: lagsWindows.length === 0 ? null : median(lagsWindows),
    medianLagFromVisibleWindows: lagsFromVisible.length === 0 ? null : median(lagsFromVisible),
    decoys: truth.decoys.length,
    decoysFired: firedDecoys.size,
    decoyFiredShare: truth.decoys.length === 0 ? 0 : firedDecoys.size / truth.decoys.length,
  };
}
