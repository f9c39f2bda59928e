// Scores a detector against ground truth: runs it over labelled series, then matches the peaks it raised to
// the true moments and decoys of each market. Precision, recall, F1, lag in windows, decoys that fired.
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
  /** Extra peaks inside a moment that already had one: de-dup failures, counted against precision. */
  duplicatePeaks: number;
  moments: number;
  detectedMoments: number;
  /** Missed moments that began while a peak of the same market was still open: merged into it by de-dup. */
  heldMoments: number;
  precision: number;
  recall: number;
  f1: number;
  /** Windows from the bucket holding a moment's start to its first peak; null when nothing was detected. */
  medianLagWindows: number | null;
  lagsWindows: number[];
  /** Windows from the bucket holding a moment's height to its first peak (negative: caught on the rise). */
  medianLagFromPeakWindows: number | null;
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

export function detectPeaks(
  series: readonly MarketSeries[],
  config: DetectionConfigInput = {},
): MarketPeak[] {
  const peaks: MarketPeak[] = [];
  for (const market of series) {
    const detection = new SeriesDetection(config);
    for (const bucket of market.buckets) {
      for (const event of detection.update(bucket).events) {
        if (event.kind === "peak") peaks.push({ ...event, country: market.country, sport: market.sport });
      }
    }
  }
  return peaks;
}

export function scorePeaks(
  peaks: readonly DetectedPeak[],
  moments: readonly MarketInterval[],
  decoys: readonly MarketInterval[],
  options: ScoreOptions,
): PeakScore {
  const { windowMs } = options;
  const graceMs = (options.graceWindows ?? 2) * windowMs;
  const covers = (interval: MarketInterval, peak: MarketPeak) =>
    (interval.country === peak.country || interval.country === "*") &&
    (interval.sport === peak.sport || interval.sport === "*") &&
    peak.bucketStart + windowMs > interval.start &&
    peak.bucketStart <= interval.end + graceMs;

  const firstPeakOf = new Map<MarketInterval, MarketPeak>();
  let truePeaks = 0;
  let duplicatePeaks = 0;
  let ignoredPeaks = 0;
  const firedDecoys = new Set<MarketInterval>();
  for (const peak of [...peaks].sort((a, b) => a.bucketStart - b.bucketStart)) {
    const moment = moments.find((candidate) => covers(candidate, peak));
    if (moment) {
      if (firstPeakOf.has(moment)) duplicatePeaks += 1;
      else {
        firstPeakOf.set(moment, peak);
        truePeaks += 1;
      }
      continue;
    }
    if ((options.ignored ?? []).some((interval) => covers(interval, peak))) {
      ignoredPeaks += 1;
      continue;
    }
    for (const decoy of decoys) if (covers(decoy, peak)) firedDecoys.add(decoy);
  }

  const bucketOf = (time: number) => time - (((time % windowMs) + windowMs) % windowMs);
  const lagsWindows = [...firstPeakOf].map(([moment, peak]) =>
    Math.max(0, Math.round((peak.bucketStart - bucketOf(moment.start)) / windowMs)),
  );
  const lagsFromPeak = [...firstPeakOf].flatMap(([moment, peak]) =>
    moment.peak === undefined ? [] : [Math.round((peak.bucketStart - bucketOf(moment.peak)) / windowMs)],
  );
  const heldMoments = moments.filter(
    (moment) =>
      !firstPeakOf.has(moment) &&
      peaks.some(
        (peak) =>
          peak.country === moment.country &&
          peak.sport === moment.sport &&
          peak.bucketStart <= moment.start &&
          (peak.endedAt ?? Number.POSITIVE_INFINITY) >= moment.start,
      ),
  ).length;
  const judged = peaks.length - ignoredPeaks;
  const precision = judged === 0 ? 1 : truePeaks / judged;
  const recall = moments.length === 0 ? 1 : firstPeakOf.size / moments.length;
  return {
    peaks: peaks.length,
    ignoredPeaks,
    truePeaks,
    duplicatePeaks,
    moments: moments.length,
    detectedMoments: firstPeakOf.size,
    heldMoments,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    medianLagWindows: lagsWindows.length === 0 ? null : median(lagsWindows),
    medianLagFromPeakWindows: lagsFromPeak.length === 0 ? null : median(lagsFromPeak),
    lagsWindows,
    decoys: decoys.length,
    decoysFired: firedDecoys.size,
    decoyFiredShare: decoys.length === 0 ? 0 : firedDecoys.size / decoys.length,
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
