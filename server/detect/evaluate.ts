// Scores a detector against ground truth: runs it over labelled series, then matches the peaks it raised to
// the true moments and decoys of each market. Precision, recall, F1, lag in windows, decoys that fired.
//
// Matching rule: a peak matches a moment of the same country × sport when its bucket overlaps the moment's
// interval in that market [start, end + grace]. Each moment takes at most one peak and each peak at most one
// moment: a peak inside several overlapping moments goes to the unmatched one that began last (the rise it
// most likely shows); a peak whose covering moments are all matched is a duplicate (against precision).
// Peaks inside `ignored` intervals are left out of precision; peaks inside decoys are false and the decoy
// counts as fired. Lag is from the window holding the moment's start in that market to the window whose
// arrival raised the peak (`detectedAt`, so a confirmation's extra window counts).
import type { DetectionConfigInput } from "./config";
import type { MarketPeak } from "./grouping";
import { median } from "./robust-stats";
import { SeriesDetection } from "./series-detection";
import type { BucketObservation } from "./types";

/**
 * A market's true reaction (or a decoy: an event that should not fire), epoch ms, end inclusive. Country or
 * sport `*` covers every market (a site-wide outage).
 */
export interface MarketInterval {
  country: string;
  sport: string;
  start: number;
  end: number;
  /** When the reaction was at its height, if known: lag is also reported from it. */
  peak?: number;
  /** When the reaction first reached the rules' uplift, if known: the earliest a rule-based peak can be. */
  visible?: number;
  /** What the interval is (a decoy's kind: push_notification, bot_burst, …), for the report. */
  kind?: string;
}

export interface MarketSeries {
  country: string;
  sport: string;
  buckets: BucketObservation[];
}

/** A peak as the evaluation sees it: with when its series was back near expected, if it was. */
export interface DetectedPeak extends MarketPeak {
  endedAt?: number;
}

export interface PeakScore {
  peaks: number;
  /** Peaks inside `ignored` intervals, left out of precision. */
  ignoredPeaks: number;
  truePeaks: number;
  /** Extra peaks inside moments that all had one already: de-dup failures, counted against precision. */
  duplicatePeaks: number;
  /** Peaks inside decoys. */
  decoyPeaks: number;
  /** Peaks matching nothing (not in a moment, an ignored interval or a decoy). */
  otherFalsePeaks: number;
  moments: number;
  detectedMoments: number;
  precision: number;
  recall: number;
  f1: number;
  /** Windows from the window holding a moment's start to the one that raised its peak; null: none found. */
  medianLagWindows: number | null;
  lagsWindows: number[];
  /** Windows from the window holding a moment's height to its peak's window (negative: caught on the rise). */
  medianLagFromPeakWindows: number | null;
  /**
   * Windows from the window in which the reaction first reached the rules' uplift to the one that raised its
   * peak: the detector's own delay, without the reaction's rise time.
   */
  medianLagFromVisibleWindows: number | null;
  decoys: number;
  decoysFired: number;
  decoyFiredShare: number;
}

export interface ScoreOptions {
  windowMs: number;
  /** A peak up to this many windows after a moment's end still counts for it (the audience reacts late). */
  graceWindows?: number;
  /** Intervals where a peak is neither right nor wrong (a market a moment moved less than the rules ask). */
  ignored?: readonly MarketInterval[];
}

/** Which peak went where: the evaluation's matching, kept for the per-cause report. */
export interface PeakMatching {
  firstPeakOf: Map<MarketInterval, DetectedPeak>;
  duplicates: DetectedPeak[];
  ignored: DetectedPeak[];
  /** Peaks inside a decoy, with the (first) decoy each one fell in. */
  decoyPeaks: Map<DetectedPeak, MarketInterval>;
  /** Peaks matching nothing. */
  otherFalse: DetectedPeak[];
}

/** True when `interval` covers the peak's bucket, in the same market (or every market for `*`). */
export function intervalCovers(
  interval: MarketInterval,
  peak: { country: string; sport: string; bucketStart: number },
  windowMs: number,
  graceMs: number,
): boolean {
  return (
    (interval.country === peak.country || interval.country === "*") &&
    (interval.sport === peak.sport || interval.sport === "*") &&
    peak.bucketStart + windowMs > interval.start &&
    peak.bucketStart <= interval.end + graceMs
  );
}

export function detectPeaks(
  series: readonly MarketSeries[],
  config: DetectionConfigInput = {},
): DetectedPeak[] {
  const peaks: DetectedPeak[] = [];
  for (const market of series) {
    const detection = new SeriesDetection(config);
    let open: DetectedPeak | undefined;
    for (const bucket of market.buckets) {
      for (const event of detection.update(bucket).events) {
        if (event.kind === "peak") {
          open = { ...event, country: market.country, sport: market.sport };
          peaks.push(open);
        } else if (event.kind === "peak-end" && open) {
          open.endedAt = event.endedAt;
          open = undefined;
        }
      }
    }
  }
  return peaks;
}

export function matchPeaks(
  peaks: readonly DetectedPeak[],
  moments: readonly MarketInterval[],
  decoys: readonly MarketInterval[],
  options: ScoreOptions,
): PeakMatching {
  const { windowMs } = options;
  const graceMs = (options.graceWindows ?? 2) * windowMs;
  const momentsOf = new Map<string, MarketInterval[]>();
  for (const moment of moments) {
    const key = `${moment.country}|${moment.sport}`;
    const list = momentsOf.get(key) ?? [];
    list.push(moment);
    momentsOf.set(key, list);
  }
  const matching: PeakMatching = {
    firstPeakOf: new Map(),
    duplicates: [],
    ignored: [],
    decoyPeaks: new Map(),
    otherFalse: [],
  };
  for (const peak of [...peaks].sort((a, b) => a.bucketStart - b.bucketStart)) {
    const covering = (momentsOf.get(`${peak.country}|${peak.sport}`) ?? []).filter((moment) =>
      intervalCovers(moment, peak, windowMs, graceMs),
    );
    if (covering.length > 0) {
      const open = covering.filter((moment) => !matching.firstPeakOf.has(moment));
      if (open.length === 0) matching.duplicates.push(peak);
      else
        matching.firstPeakOf.set(
          open.reduce((a, b) => (b.start > a.start ? b : a)),
          peak,
        );
      continue;
    }
    if ((options.ignored ?? []).some((interval) => intervalCovers(interval, peak, windowMs, graceMs))) {
      matching.ignored.push(peak);
      continue;
    }
    const decoy = decoys.find((interval) => intervalCovers(interval, peak, windowMs, graceMs));
    if (decoy) matching.decoyPeaks.set(peak, decoy);
    else matching.otherFalse.push(peak);
  }
  return matching;
}

export function scorePeaks(
  peaks: readonly DetectedPeak[],
  moments: readonly MarketInterval[],
  decoys: readonly MarketInterval[],
  options: ScoreOptions,
): PeakScore {
  return scoreMatching(matchPeaks(peaks, moments, decoys, options), peaks.length, moments, decoys, options);
}

export function scoreMatching(
  matching: PeakMatching,
  peakCount: number,
  moments: readonly MarketInterval[],
  decoys: readonly MarketInterval[],
  options: ScoreOptions,
): PeakScore {
  const { windowMs } = options;
  const { firstPeakOf } = matching;
  const graceMs = (options.graceWindows ?? 2) * windowMs;
  const bucketOf = (time: number) => time - (((time % windowMs) + windowMs) % windowMs);
  const lagsWindows = [...firstPeakOf].map(([moment, peak]) =>
    Math.max(0, Math.round((bucketOf(peak.detectedAt) - bucketOf(moment.start)) / windowMs)),
  );
  const lagsFromPeak = [...firstPeakOf].flatMap(([moment, peak]) =>
    moment.peak === undefined ? [] : [Math.round((peak.bucketStart - bucketOf(moment.peak)) / windowMs)],
  );
  const lagsFromVisible = [...firstPeakOf].flatMap(([moment, peak]) =>
    moment.visible === undefined
      ? []
      : [Math.round((bucketOf(peak.detectedAt) - bucketOf(moment.visible)) / windowMs)],
  );
  const firedDecoys = decoys.filter((decoy) =>
    [...matching.decoyPeaks.keys()].some((peak) => intervalCovers(decoy, peak, windowMs, graceMs)),
  );
  const truePeaks = firstPeakOf.size;
  const judged = peakCount - matching.ignored.length;
  const precision = judged === 0 ? 1 : truePeaks / judged;
  const recall = moments.length === 0 ? 1 : truePeaks / moments.length;
  return {
    peaks: peakCount,
    ignoredPeaks: matching.ignored.length,
    truePeaks,
    duplicatePeaks: matching.duplicates.length,
    decoyPeaks: matching.decoyPeaks.size,
    otherFalsePeaks: matching.otherFalse.length,
    moments: moments.length,
    detectedMoments: truePeaks,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    medianLagWindows: lagsWindows.length === 0 ? null : median(lagsWindows),
    medianLagFromPeakWindows: lagsFromPeak.length === 0 ? null : median(lagsFromPeak),
    medianLagFromVisibleWindows: lagsFromVisible.length === 0 ? null : median(lagsFromVisible),
    lagsWindows,
    decoys: decoys.length,
    decoysFired: firedDecoys.length,
    decoyFiredShare: decoys.length === 0 ? 0 : firedDecoys.length / decoys.length,
  };
}

export function evaluateDetector(
  series: readonly MarketSeries[],
  moments: readonly MarketInterval[],
  decoys: readonly MarketInterval[],
  options: ScoreOptions & { config?: DetectionConfigInput },
): PeakScore {
  return scorePeaks(detectPeaks(series, options.config), moments, decoys, options);
}
