// Why the evaluation's misses were missed and its false peaks fired: runs the detector keeping a per-window
// trace of each series (expected, band, uplift, peak flag, de-dup phase), then sorts every missed moment and
// every false peak into one cause, so a report says what to fix rather than only how much is wrong.
import type { DetectionConfigInput, UpliftConfig } from "./config";
import {
  intervalCovers,
  type DetectedPeak,
  type MarketInterval,
  type MarketSeries,
  type PeakMatching,
} from "./evaluate";
import { SeriesDetection } from "./series-detection";

const PHASES = ["normal", "peak", "drop"] as const;

/** One series as the detector judged it, window by window (index 0 = the series' first bucket). */
export interface SeriesTrace {
  country: string;
  sport: string;
  start: number;
  observed: Float64Array;
  expected: Float64Array;
  low: Float64Array;
  high: Float64Array;
  upliftPct: Float64Array;
  /** 1 where the bucket cleared every peak rule. */
  peak: Uint8Array;
  /** De-dup phase after the bucket: index into normal, peak, drop. */
  phase: Uint8Array;
  warmingUp: Uint8Array;
}

export function traceKey(country: string, sport: string): string {
  return `${country}|${sport}`;
}

/** detectPeaks, keeping each series' trace (about 60 bytes per window). Series must be dense. */
export function detectWithTraces(
  series: readonly MarketSeries[],
  config: DetectionConfigInput = {},
): { peaks: DetectedPeak[]; traces: Map<string, SeriesTrace> } {
  const peaks: DetectedPeak[] = [];
  const traces = new Map<string, SeriesTrace>();
  for (const market of series) {
    const detection = new SeriesDetection(config);
    const length = market.buckets.length;
    const trace: SeriesTrace = {
      country: market.country,
      sport: market.sport,
      start: market.buckets[0]?.bucketStart ?? 0,
      observed: new Float64Array(length),
      expected: new Float64Array(length),
      low: new Float64Array(length),
      high: new Float64Array(length),
      upliftPct: new Float64Array(length),
      peak: new Uint8Array(length),
      phase: new Uint8Array(length),
      warmingUp: new Uint8Array(length),
    };
    let open: DetectedPeak | undefined;
    market.buckets.forEach((bucket, index) => {
      const { assessment, events } = detection.update(bucket);
      trace.observed[index] = assessment.observed;
      trace.expected[index] = assessment.expectedViewers;
      trace.low[index] = assessment.lowerViewers;
      trace.high[index] = assessment.upperViewers;
      trace.upliftPct[index] = assessment.upliftPct;
      trace.peak[index] = assessment.isPeak ? 1 : 0;
      trace.phase[index] = PHASES.indexOf(detection.phase);
      trace.warmingUp[index] = assessment.warmingUp ? 1 : 0;
      for (const event of events) {
        if (event.kind === "peak") {
          open = { ...event, country: market.country, sport: market.sport };
          peaks.push(open);
        } else if (event.kind === "peak-end" && open) {
          open.endedAt = event.endedAt;
          open = undefined;
        }
      }
    });
    traces.set(traceKey(market.country, market.sport), trace);
  }
  return { peaks, traces };
}

export const MISS_CAUSES = [
  "set apart as a country-wide surge",
  "merged into an open peak (de-dup)",
  "its peak went to an overlapping reaction",
  "in the cooldown after a peak",
  "one window only (not confirmed)",
  "detector warming up",
  "below min volume",
  "uplift under the rule",
  "under the statistical margin",
] as const;
export type MissCause = (typeof MISS_CAUSES)[number];

export const FALSE_PEAK_CAUSES = [
  "duplicate inside a moment",
  "decoy",
  "session ramp",
  "tail of a reaction",
  "other",
] as const;

export interface CauseOptions {
  windowMs: number;
  graceWindows?: number;
  rules: Pick<UpliftConfig, "minUpliftPct" | "minVolume">;
}

/** One cause per moment that got no peak. */
export function missCauses(
  matching: PeakMatching,
  moments: readonly MarketInterval[],
  traces: ReadonlyMap<string, SeriesTrace>,
  peaks: { all: readonly DetectedPeak[]; broad: readonly DetectedPeak[] },
  options: CauseOptions,
): Map<MissCause, MarketInterval[]> {
  const { windowMs, rules } = options;
  const graceMs = (options.graceWindows ?? 2) * windowMs;
  const causes = new Map<MissCause, MarketInterval[]>();
  const add = (cause: MissCause, moment: MarketInterval) => {
    const list = causes.get(cause) ?? [];
    list.push(moment);
    causes.set(cause, list);
  };
  for (const moment of moments) {
    if (matching.firstPeakOf.has(moment)) continue;
    const trace = traces.get(traceKey(moment.country, moment.sport));
    if (peaks.broad.some((peak) => intervalCovers(moment, peak, windowMs, graceMs))) {
      add("set apart as a country-wide surge", moment);
      continue;
    }
    if (!trace) {
      add("below min volume", moment);
      continue;
    }
    const indexOf = (time: number) => Math.floor((time - trace.start) / windowMs);
    const first = Math.max(0, indexOf(moment.start));
    // The rise and a little after its height: where a first crossing belongs.
    const last = Math.min(trace.observed.length - 1, indexOf(moment.peak ?? moment.start) + 3);
    let sawPeak = false;
    let blockedByCooldown = false;
    let unconfirmed = false;
    let warming = false;
    let maxObserved = 0;
    let maxUplift = Number.NEGATIVE_INFINITY;
    for (let index = first; index <= last; index += 1) {
      maxObserved = Math.max(maxObserved, trace.observed[index]!);
      maxUplift = Math.max(maxUplift, trace.upliftPct[index]!);
      if (trace.warmingUp[index]) warming = true;
      if (!trace.peak[index]) continue;
      sawPeak = true;
      const before = index > 0 ? trace.phase[index - 1]! : 0;
      if (before !== 0) continue;
      if (trace.phase[index] === 0) blockedByCooldown = true;
      else if (index + 1 < trace.phase.length && trace.phase[index + 1] === 0) unconfirmed = true;
    }
    const openAtStart = first > 0 && trace.phase[first - 1] === 1;
    const firstMs = trace.start + first * windowMs;
    const lastMs = trace.start + (last + 1) * windowMs;
    const raised = peaks.all.some(
      (peak) =>
        peak.country === moment.country &&
        peak.sport === moment.sport &&
        peak.bucketStart >= firstMs &&
        peak.bucketStart < lastMs,
    );
    if (raised) add("its peak went to an overlapping reaction", moment);
    else if (openAtStart && !unconfirmed && !blockedByCooldown)
      add("merged into an open peak (de-dup)", moment);
    else if (blockedByCooldown) add("in the cooldown after a peak", moment);
    else if (unconfirmed) add("one window only (not confirmed)", moment);
    else if (sawPeak) add("merged into an open peak (de-dup)", moment);
    else if (warming) add("detector warming up", moment);
    else if (maxObserved < rules.minVolume) add("below min volume", moment);
    else if (maxUplift < rules.minUpliftPct) add("uplift under the rule", moment);
    else add("under the statistical margin", moment);
  }
  return causes;
}

/** One cause per peak that matched no moment (ignored peaks left out), decoys by their kind. */
export function falsePeakCauses(
  matching: PeakMatching,
  context: {
    /**
     * Sessions of each sport and who takes part: a peak in a taking-part country shortly before or after a
     * session starts is its live ramp (any session of the sport would cover most of a games' day).
     */
    sessions: readonly { sport: string; startsAt: number; countries: readonly string[] }[];
    /** Every reaction interval, found or ignored: a peak soon after one ended is its tail. */
    reactions: readonly MarketInterval[];
  },
  options: { windowMs: number; graceWindows?: number },
): Map<string, number> {
  const graceMs = (options.graceWindows ?? 2) * options.windowMs;
  const causes = new Map<string, number>();
  const add = (cause: string) => causes.set(cause, (causes.get(cause) ?? 0) + 1);
  for (let index = 0; index < matching.duplicates.length; index += 1) add("duplicate inside a moment");
  for (const decoy of matching.decoyPeaks.values()) add(`decoy: ${decoy.kind ?? "unlabelled"}`);
  for (const peak of matching.otherFalse) {
    const at = peak.bucketStart;
    const rampStart = context.sessions.some(
      (session) =>
        session.sport === peak.sport &&
        session.countries.includes(peak.country) &&
        at >= session.startsAt - 10 * 60_000 &&
        at <= session.startsAt + 5 * 60_000,
    );
    const tail = context.reactions.some(
      (reaction) =>
        reaction.country === peak.country &&
        reaction.sport === peak.sport &&
        at > reaction.end + graceMs &&
        at <= reaction.end + 10 * 60_000,
    );
    add(rampStart ? "session ramp" : tail ? "tail of a reaction" : "other");
  }
  return causes;
}
