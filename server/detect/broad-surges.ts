// Peaks in several sports of one country at once, with no play on any of them, are a country-wide surge (a
// push notification, the site coming back from an outage), not a sports moment: they are set apart before
// grouping into moments. A peak that play-by-play explains (grouping.ts's possibleCauses) is a sports moment
// even when other sports of its country rise with it: busy sessions overlap.
import type { MarketPeak } from "./grouping";

export interface SurgeRule {
  toleranceMs: number;
  minSports: number;
  /** Whether play-by-play explains a peak: such a peak is never broad nor counts towards a surge. */
  explained?: (peak: MarketPeak) => boolean;
}

/**
 * A peak is broad when, within `toleranceMs` of it, unexplained peaks of at least `minSports` different sports
 * (itself included) fired in the same country. Drops pass through untouched.
 */
export function splitBroadSurges<P extends MarketPeak>(
  peaks: readonly P[],
  options: SurgeRule,
): {
  /** Peaks that can be sports moments. */
  sportPeaks: P[];
  /** Peaks that are part of a country-wide surge. */
  broadPeaks: P[];
} {
  const byCountry = new Map<string, P[]>();
  for (const peak of peaks) {
    if (peak.kind !== "peak" || options.explained?.(peak)) continue;
    const list = byCountry.get(peak.country) ?? [];
    list.push(peak);
    byCountry.set(peak.country, list);
  }
  const broad = new Set<P>();
  for (const countryPeaks of byCountry.values()) {
    countryPeaks.sort((a, b) => a.bucketStart - b.bucketStart);
    let from = 0;
    for (const peak of countryPeaks) {
      while (countryPeaks[from]!.bucketStart < peak.bucketStart - options.toleranceMs) from += 1;
      const sports = new Set<string>();
      for (let index = from; index < countryPeaks.length; index += 1) {
        const other = countryPeaks[index]!;
        if (other.bucketStart > peak.bucketStart + options.toleranceMs) break;
        sports.add(other.sport);
      }
      if (sports.size >= options.minSports) broad.add(peak);
    }
  }
  return {
    sportPeaks: peaks.filter((peak) => !broad.has(peak)),
    broadPeaks: peaks.filter((peak) => broad.has(peak)),
  };
}
