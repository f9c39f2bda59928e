// Turns a simulated games into what the evaluation scores: dense per-market bucket series counted from its
// user actions (a missing bucket is zero actions, as in Postgres), and its ground truth as market intervals.
import { planGames } from "../simulator/games";
import { pulseShape } from "../simulator/injections";
import { generateReactions } from "../simulator/reactions";
import type { GamesManifest, GroundTruthMoment } from "../simulator/types";
import type { MarketInterval, MarketSeries } from "./evaluate";

/** The parts of the simulator's ground-truth moment the evaluation reads (see server/simulator/types.ts). */
export interface TruthMoment {
  id?: string;
  /** reaction, push_notification, bot_burst, outage, slow_trend. */
  kind?: string;
  decoy: boolean;
  start: number;
  peak: number;
  end: number;
  markets: readonly TruthMarket[];
}

/**
 * One series a moment moved. The simulator lists only the moment's overall start, peak and end (earliest and
 * latest over its markets); when a market's own times are known they are used, so one market's lag is not
 * counted from another market's earlier reaction.
 */
export interface TruthMarket {
  country: string;
  sport: string;
  peakUpliftPct: number;
  start?: number;
  peak?: number;
  end?: number;
  /** When the reaction first reached the rules' uplift in this market (what the rules could see at all). */
  visible?: number;
}

export interface TruthIntervals {
  /** Markets a reaction moved at least `minUpliftPct`: each one should fire. */
  moments: MarketInterval[];
  /** Markets a reaction moved less than that: a peak there is neither right nor wrong. */
  ignored: MarketInterval[];
  decoys: MarketInterval[];
}

/** One truth moment's markets, each judged as the rules can see it. */
export interface JudgedMoment {
  moment: TruthMoment;
  markets: { interval: MarketInterval; scored: boolean }[];
}

/**
 * Judges each market of each moment: a reaction's market is to be found when the simulator moved it at least
 * `minUpliftPct` and its busiest window reached `minVolume` actions (what the rules can see at all). The one
 * place both the per-market and the moment-level scoring take this from.
 */
export function judgeMarkets(
  truth: readonly TruthMoment[],
  rules: { minUpliftPct: number; minVolume: number },
  series: readonly MarketSeries[],
): JudgedMoment[] {
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
  return truth.map((moment) => ({
    moment,
    markets: moment.markets.map((market) => {
      const interval: MarketInterval = {
        country: market.country,
        sport: market.sport,
        start: market.start ?? moment.start,
        peak: market.peak ?? moment.peak,
        end: market.end ?? moment.end,
        ...(market.visible === undefined ? {} : { visible: market.visible }),
        ...(moment.kind === undefined ? {} : { kind: moment.kind }),
      };
      const scored =
        !moment.decoy && market.peakUpliftPct >= rules.minUpliftPct && busiest(interval) >= rules.minVolume;
      return { interval, scored };
    }),
  }));
}

/**
 * Splits the ground truth into market intervals. A reaction's market counts as a moment to find when the
 * rules can see it (see judgeMarkets); otherwise a peak there is ignored rather than scored.
 */
export function truthIntervals(
  truth: readonly TruthMoment[],
  rules: { minUpliftPct: number; minVolume: number },
  series: readonly MarketSeries[],
): TruthIntervals {
  const result: TruthIntervals = { moments: [], ignored: [], decoys: [] };
  for (const { moment, markets } of judgeMarkets(truth, rules, series)) {
    for (const { interval, scored } of markets) {
      if (moment.decoy) result.decoys.push(interval);
      else (scored ? result.moments : result.ignored).push(interval);
    }
  }
  return result;
}

/**
 * Reactions in one market that begin while an earlier one there is still rising (before its height plus a
 * window) cannot be told apart: the audience shows one rise. Folds each such chain into one interval, from
 * the first start to the last end with the latest height, scored when any of its reactions is. Returns the
 * folded intervals and how many reactions were folded into an earlier one.
 */
export function foldRisingReactions(
  truth: TruthIntervals,
  windowMs: number,
): TruthIntervals & { folded: number } {
  const byMarket = new Map<string, { interval: MarketInterval; scored: boolean }[]>();
  for (const [list, scored] of [
    [truth.moments, true],
    [truth.ignored, false],
  ] as const) {
    for (const interval of list) {
      const key = `${interval.country}|${interval.sport}`;
      const market = byMarket.get(key) ?? [];
      market.push({ interval, scored });
      byMarket.set(key, market);
    }
  }
  const moments: MarketInterval[] = [];
  const ignored: MarketInterval[] = [];
  let folded = 0;
  for (const market of byMarket.values()) {
    market.sort((a, b) => a.interval.start - b.interval.start);
    let chain: { interval: MarketInterval; scored: boolean } | undefined;
    const close = () => {
      if (chain) (chain.scored ? moments : ignored).push(chain.interval);
    };
    for (const next of market) {
      const rising = chain && next.interval.start < (chain.interval.peak ?? chain.interval.start) + windowMs;
      if (chain && rising) {
        folded += 1;
        chain = {
          interval: {
            ...chain.interval,
            peak: Math.max(
              chain.interval.peak ?? chain.interval.start,
              next.interval.peak ?? next.interval.start,
            ),
            end: Math.max(chain.interval.end, next.interval.end),
          },
          scored: chain.scored || next.scored,
        };
        continue;
      }
      close();
      chain = { ...next };
    }
    close();
  }
  return { moments, ignored, decoys: truth.decoys, folded };
}

/** Counts actions into fixed windows for a set of markets over [start, end). */
export class MarketCounter {
  private readonly counts = new Map<string, Float64Array>();
  /** Engaged actions (anything but a page view) per window: the action mix the live path also reads. */
  private readonly engaged = new Map<string, Float64Array>();
  private readonly windows: number;
  outside = 0;

  constructor(
    private readonly markets: readonly { country: string; sport: string }[],
    private readonly start: number,
    end: number,
    private readonly windowMs: number,
  ) {
    this.windows = Math.ceil((end - start) / windowMs);
    for (const market of markets) {
      this.counts.set(`${market.country}|${market.sport}`, new Float64Array(this.windows));
      this.engaged.set(`${market.country}|${market.sport}`, new Float64Array(this.windows));
    }
  }

  /** Counts one action; `type` (page_view, video_start, …) is optional: without it the mix stays unknown. */
  add(country: string, sport: string, ts: number, type?: string): void {
    const index = Math.floor((ts - this.start) / this.windowMs);
    const key = `${country}|${sport}`;
    const series = this.counts.get(key);
    if (!series || index < 0 || index >= this.windows) {
      this.outside += 1;
      return;
    }
    series[index]! += 1;
    if (type !== undefined) {
      this.typed = true;
      if (type !== "page_view") this.engaged.get(key)![index]! += 1;
    }
  }

  private typed = false;

  series(): MarketSeries[] {
    return this.markets.map((market) => {
      const counts = this.counts.get(`${market.country}|${market.sport}`)!;
      const engaged = this.engaged.get(`${market.country}|${market.sport}`)!;
      return {
        ...market,
        buckets: Array.from(counts, (observed, index) => ({
          bucketStart: this.start + index * this.windowMs,
          observed,
          ...(this.typed ? { engaged: engaged[index]! } : {}),
        })),
      };
    });
  }
}

/**
 * Each reaction market's own start, peak and end, regenerated from the games' seed: the simulator's ground
 * truth file lists only a moment's overall times. Null when the regenerated truth differs from `truth` (a
 * games written by another simulator version): the overall times are used then.
 */
export function reactionMarketTimes(
  manifest: Pick<GamesManifest, "seed" | "size" | "start" | "actionsPerSecond">,
  truth: readonly GroundTruthMoment[],
  /** The rules' minimum uplift: `visible` is when the reaction first reached it over the true expected. */
  minUpliftPct = 40,
): TruthMoment[] | null {
  const plan = planGames({
    seed: manifest.seed,
    size: manifest.size,
    start: manifest.start,
    actionsPerSecond: manifest.actionsPerSecond,
  });
  if (JSON.stringify(plan.groundTruth) !== JSON.stringify(truth)) return null;
  const { pulses, moments } = generateReactions(manifest.seed, plan.audience, plan.playByPlay);
  const times = new Map<string, { start: number; peak: number; end: number; visible: number }>();
  let next = 0;
  // generateReactions lists each moment's pulses together, one per market it moved, in moment order.
  for (const moment of moments) {
    for (let index = 0; index < moment.markets.length; index += 1) {
      const pulse = pulses[next++]!;
      const series = plan.audience.series[pulse.series]!;
      // The first second the reaction's extra reached the rules' uplift over what was expected then.
      let visible = pulse.peak;
      for (let at = pulse.start; at < pulse.peak; at += 1_000) {
        const extra = pulse.peakExtra * pulseShape(pulse, at);
        if (extra >= (minUpliftPct / 100) * plan.audience.expectedRate(series, at)) {
          visible = at;
          break;
        }
      }
      times.set(`${moment.id}|${series.country}|${series.sport}`, { ...pulse, visible });
    }
  }
  return truth.map((moment) => ({
    ...moment,
    markets: moment.markets.map((market) => {
      const own = times.get(`${moment.id}|${market.country}|${market.sport}`);
      return own
        ? { ...market, start: own.start, peak: own.peak, end: own.end, visible: own.visible }
        : market;
    }),
  }));
}
