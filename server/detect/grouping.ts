// Cross-market grouping: peaks of the same sport in several countries within a short time of each other are
// one candidate moment, with each market's uplift. A pure function over peaks from any time window.
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

/**
 * Groups peaks (drops are ignored) by sport; a peak joins a group when it starts within `toleranceMs` of
 * the group's first peak, so a long run of staggered peaks cannot chain into one endless moment.
 */
export function groupPeaks(peaks: readonly MarketPeak[], toleranceMs: number): CandidateMoment[] {
  const bySport = new Map<string, MarketPeak[]>();
  for (const peak of peaks) {
    if (peak.kind !== "peak") continue;
    const list = bySport.get(peak.sport) ?? [];
    list.push(peak);
    bySport.set(peak.sport, list);
  }
  const moments: CandidateMoment[] = [];
  for (const [sport, sportPeaks] of bySport) {
    sportPeaks.sort((a, b) => a.bucketStart - b.bucketStart || a.country.localeCompare(b.country));
    let group: MarketPeak[] = [];
    for (const peak of sportPeaks) {
      if (group.length > 0 && peak.bucketStart - group[0]!.bucketStart > toleranceMs) {
        moments.push(momentOf(sport, group));
        group = [];
      }
      group.push(peak);
    }
    if (group.length > 0) moments.push(momentOf(sport, group));
  }
  return moments.sort((a, b) => a.startedAt - b.startedAt || a.sport.localeCompare(b.sport));
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
