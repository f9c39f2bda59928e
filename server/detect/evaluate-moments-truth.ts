// The simulator's ground truth as whole moments for the moment-level scoring: each reaction with every market
// it moved, judged as the per-market scoring judges them, and reactions no detector could tell apart folded.
import type { MarketInterval, MarketSeries } from "./evaluate";
import type { MomentIntervals, MomentTruth } from "./evaluate-moments";
import { judgeMarkets, type TruthMoment } from "./games-truth";

/**
 * A reaction is to be found when the rules can see at least one of its markets (the same judgement as
 * truthIntervals), and ignored when they can see none. Its other markets stay with it as weak ones: a peak
 * there is still a peak of the moment.
 */
export function truthMoments(
  truth: readonly TruthMoment[],
  rules: { minUpliftPct: number; minVolume: number },
  series: readonly MarketSeries[],
): MomentTruth {
  const result: MomentTruth = { moments: [], ignored: [], decoys: [] };
  judgeMarkets(truth, rules, series).forEach(({ moment, markets }, index) => {
    const entry = momentOf(
      moment.id ?? `moment-${index}`,
      moment.kind,
      moment.start,
      markets.filter((market) => moment.decoy || market.scored).map((market) => market.interval),
      markets.filter((market) => !moment.decoy && !market.scored).map((market) => market.interval),
    );
    if (moment.decoy) result.decoys.push(entry);
    else (entry.markets.length > 0 ? result.moments : result.ignored).push(entry);
  });
  return result;
}

/**
 * The moment-level twin of foldRisingReactions: a reaction that begins in a market while an earlier reaction
 * (of the same sport, so in the same series) is still rising there (before its height plus a window) shows
 * one rise with it, so the two are one moment: every market of both, a shared market spanning both
 * reactions. Scored when either is. Returns the folded truth and how many reactions were folded.
 */
export function foldRisingMoments(truth: MomentTruth, windowMs: number): MomentTruth & { folded: number } {
  const all = [...truth.moments, ...truth.ignored].sort((a, b) => a.start - b.start);
  const chains: { moment: MomentIntervals }[] = [];
  let active: { moment: MomentIntervals }[] = [];
  let folded = 0;
  for (const next of all) {
    active = active.filter((chain) => latestRise(chain.moment) + windowMs > next.start);
    const chain = active.find((open) => risesOver(open.moment, next, windowMs));
    if (chain) {
      folded += 1;
      chain.moment = merge(chain.moment, next);
      continue;
    }
    const opened = { moment: next };
    chains.push(opened);
    active.push(opened);
  }
  // merge keeps a market the rules can see in either reaction as one they can see.
  const moments = chains.map((chain) => chain.moment);
  return {
    moments: moments.filter((moment) => moment.markets.length > 0),
    ignored: moments.filter((moment) => moment.markets.length === 0),
    decoys: truth.decoys,
    folded,
  };
}

function momentOf(
  id: string,
  kind: string | undefined,
  start: number,
  markets: MarketInterval[],
  weakMarkets: MarketInterval[],
): MomentIntervals {
  const visible = markets.flatMap((interval) => (interval.visible === undefined ? [] : [interval.visible]));
  return {
    id,
    ...(kind === undefined ? {} : { kind }),
    start,
    ...(visible.length === 0 ? {} : { visible: Math.min(...visible) }),
    markets,
    weakMarkets,
  };
}

const keyOf = (interval: MarketInterval) => `${interval.country}|${interval.sport}`;
const riseOf = (interval: MarketInterval) => interval.peak ?? interval.start;

function latestRise(moment: MomentIntervals): number {
  return Math.max(...[...moment.markets, ...moment.weakMarkets].map(riseOf));
}

/** True when `next` begins in a market of `earlier` while that market is still rising there. */
function risesOver(earlier: MomentIntervals, next: MomentIntervals, windowMs: number): boolean {
  const rising = new Map(
    [...earlier.markets, ...earlier.weakMarkets].map((interval) => [keyOf(interval), riseOf(interval)]),
  );
  return [...next.markets, ...next.weakMarkets].some((interval) => {
    const height = rising.get(keyOf(interval));
    return height !== undefined && interval.start < height + windowMs;
  });
}

function merge(a: MomentIntervals, b: MomentIntervals): MomentIntervals {
  const byKey = new Map<string, { interval: MarketInterval; scored: boolean }>();
  for (const [intervals, scored] of [
    [a.markets, true],
    [a.weakMarkets, false],
    [b.markets, true],
    [b.weakMarkets, false],
  ] as const) {
    for (const interval of intervals) {
      const key = keyOf(interval);
      const held = byKey.get(key);
      if (!held) {
        byKey.set(key, { interval, scored });
        continue;
      }
      const visible = [held.interval.visible, interval.visible].filter(
        (time): time is number => time !== undefined,
      );
      byKey.set(key, {
        interval: {
          ...held.interval,
          start: Math.min(held.interval.start, interval.start),
          peak: Math.max(riseOf(held.interval), riseOf(interval)),
          end: Math.max(held.interval.end, interval.end),
          ...(visible.length === 0 ? {} : { visible: Math.min(...visible) }),
        },
        scored: held.scored || scored,
      });
    }
  }
  const merged = [...byKey.values()];
  return momentOf(
    a.id,
    a.kind,
    Math.min(a.start, b.start),
    merged.filter((entry) => entry.scored).map((entry) => entry.interval),
    merged.filter((entry) => !entry.scored).map((entry) => entry.interval),
  );
}
