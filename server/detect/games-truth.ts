// Turns a simulated games into what the evaluation scores: dense per-market bucket series counted from its
// user actions (a missing bucket is zero actions, as in Postgres), and its ground truth as market intervals.
import type { MarketInterval, MarketSeries } from "./evaluate";

/** The parts of the simulator's ground-truth moment the evaluation reads (see server/simulator/types.ts). */
export interface TruthMoment {
  decoy: boolean;
  start: number;
  peak: number;
  end: number;
  markets: readonly { country: string; sport: string; peakUpliftPct: number }[];
}

export interface TruthIntervals {
  /** Markets a reaction moved at least `minUpliftPct`: each one should fire. */
  moments: MarketInterval[];
  /** Markets a reaction moved less than that: a peak there is neither right nor wrong. */
  ignored: MarketInterval[];
  decoys: MarketInterval[];
}

/**
 * Splits the ground truth into market intervals. A reaction's market counts as a moment to find when the
 * simulator moved it at least `minUpliftPct` and its busiest window reached `minVolume` actions (what the
 * rules can see at all); otherwise a peak there is ignored rather than scored.
 */
export function truthIntervals(
  truth: readonly TruthMoment[],
  rules: { minUpliftPct: number; minVolume: number },
  series: readonly MarketSeries[],
): TruthIntervals {
  const byMarket = new Map(series.map((market) => [`${market.country}|${market.sport}`, market.buckets]));
  const busiest = (interval: MarketInterval) => {
    let most = 0;
    for (const bucket of byMarket.get(`${interval.country}|${interval.sport}`) ?? []) {
      if (bucket.bucketStart >= interval.start && bucket.bucketStart <= interval.end) {
        most = Math.max(most, bucket.observed);
      }
    }
    return most;
  };
  const result: TruthIntervals = { moments: [], ignored: [], decoys: [] };
  for (const moment of truth) {
    for (const market of moment.markets) {
      const { start, peak, end } = moment;
      const interval = { country: market.country, sport: market.sport, start, peak, end };
      if (moment.decoy) result.decoys.push(interval);
      else if (market.peakUpliftPct >= rules.minUpliftPct && busiest(interval) >= rules.minVolume) {
        result.moments.push(interval);
      } else result.ignored.push(interval);
    }
  }
  return result;
}

/** Counts actions into fixed windows for a set of markets over [start, end). */
export class MarketCounter {
  private readonly counts = new Map<string, Float64Array>();
  private readonly windows: number;
  outside = 0;

  constructor(
    private readonly markets: readonly { country: string; sport: string }[],
    private readonly start: number,
    end: number,
    private readonly windowMs: number,
  ) {
    this.windows = Math.ceil((end - start) / windowMs);
    for (const market of markets)
      this.counts.set(`${market.country}|${market.sport}`, new Float64Array(this.windows));
  }

  add(country: string, sport: string, ts: number): void {
    const index = Math.floor((ts - this.start) / this.windowMs);
    const series = this.counts.get(`${country}|${sport}`);
    if (!series || index < 0 || index >= this.windows) this.outside += 1;
    else series[index]! += 1;
  }

  series(): MarketSeries[] {
    return this.markets.map((market) => {
      const counts = this.counts.get(`${market.country}|${market.sport}`)!;
      return {
        ...market,
        buckets: Array.from(counts, (observed, index) => ({
          bucketStart: this.start + index * this.windowMs,
          observed,
        })),
      };
    });
  }
}

/** Share of reaction moments with a peak in at least one market they moved (what an editor would see). */
export function momentRecall(
  peaks: readonly { country: string; sport: string; bucketStart: number }[],
  truth: readonly TruthMoment[],
  windowMs: number,
  graceWindows = 2,
): number {
  const reactions = truth.filter((moment) => !moment.decoy);
  if (reactions.length === 0) return 1;
  const seen = reactions.filter((moment) =>
    peaks.some(
      (peak) =>
        peak.bucketStart + windowMs > moment.start &&
        peak.bucketStart <= moment.end + graceWindows * windowMs &&
        moment.markets.some((market) => market.country === peak.country && market.sport === peak.sport),
    ),
  );
  return seen.length / reactions.length;
}
