// Seeded synthetic series for tests and benchmarks: Poisson counts around a base level with an optional
// slow trend, daily cycle and injected peaks, so every rule can be checked against a known truth.
import { poisson, seededRandom } from "../simulator/random";
import type { BucketObservation } from "./types";

export interface InjectedPeak {
  /** Index of the first bucket of the peak. */
  atBucket: number;
  buckets: number;
  upliftPct: number;
}

export interface SyntheticSeriesSpec {
  buckets: number;
  baseViewers: number;
  startMs?: number;
  windowSeconds?: number;
  /** Relative change of the level per hour, e.g. 0.1 = +10 % per hour (linear). */
  trendPerHour?: number;
  /** Relative amplitude of a daily sine cycle, e.g. 0.5. */
  dailyAmplitude?: number;
  peaks?: InjectedPeak[];
  seed?: number;
}

export const SYNTHETIC_START_MS = Date.UTC(2026, 0, 5, 0, 0, 0);

export function expectedLevelAt(spec: SyntheticSeriesSpec, index: number): number {
  const windowSeconds = spec.windowSeconds ?? 10;
  const hours = (index * windowSeconds) / 3600;
  const trend = 1 + (spec.trendPerHour ?? 0) * hours;
  const daily = 1 + (spec.dailyAmplitude ?? 0) * Math.sin((2 * Math.PI * hours) / 24);
  return spec.baseViewers * trend * daily;
}

export function syntheticSeries(spec: SyntheticSeriesSpec): BucketObservation[] {
  const random = seededRandom(spec.seed ?? 1);
  const windowMs = (spec.windowSeconds ?? 10) * 1000;
  const startMs = spec.startMs ?? SYNTHETIC_START_MS;
  const series: BucketObservation[] = [];
  for (let index = 0; index < spec.buckets; index += 1) {
    let level = expectedLevelAt(spec, index);
    for (const peak of spec.peaks ?? []) {
      if (index >= peak.atBucket && index < peak.atBucket + peak.buckets) level *= 1 + peak.upliftPct / 100;
    }
    series.push({ bucketStart: startMs + index * windowMs, observed: poisson(level, random) });
  }
  return series;
}
