// Peaks in several sports of one country at once are a country-wide surge (a push notification, the site
// coming back from an outage), not a sports moment: they are set apart before grouping into moments.
import type { MarketPeak } from "./grouping";

export interface SurgeSplit {
  /** Peaks that can be sports moments. */
  sportPeaks: MarketPeak[];
  /** Peaks that are part of a country-wide surge. */
  broadPeaks: MarketPeak[];
}

/**
 * A peak is broad when, within `toleranceMs` of it, peaks of at least `minSports` different sports (itself
 * included) fired in the same country. Drops pass through untouched.
 */
export function splitBroadSurges(
  peaks: readonly MarketPeak[],
  options: { toleranceMs: number; minSports: number },
): SurgeSplit {
  const byCountry = new Map<string, MarketPeak[]>();
  for (const peak of peaks) {
    if (peak.kind !== "peak") continue;
    const list = byCountry.get(peak.country) ?? [];
    list.push(peak);
    byCountry.set(peak.country, list);
  }
  const broad = new Set<MarketPeak>();
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
