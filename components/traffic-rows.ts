// Pure helpers that turn live bucket changes into chart rows: one row per window, one column per sport.
import { COUNTRY_TOTAL_SPORT } from "../server/stream/messages";
import type { BucketChange } from "../server/traffic/live-channel";

export interface TrafficState {
  /** `${country}|${sport}|${bucketStart}` → actions */
  values: Map<string, number>;
  lastSeq: number;
}

export type ChartRow = { time: number } & Record<string, number>;

export function applyChanges(state: TrafficState, changes: BucketChange[]): void {
  for (const [country, sport, bucketStart, actions, seq] of changes) {
    state.values.set(`${country}|${sport}|${bucketStart}`, actions);
    if (seq > state.lastSeq) state.lastSeq = seq;
  }
}

export function pruneBefore(state: TrafficState, from: number): void {
  for (const key of state.values.keys()) {
    if (Number(key.slice(key.lastIndexOf("|") + 1)) < from) state.values.delete(key);
  }
}

export interface CountrySeries {
  sports: string[];
  rows: ChartRow[];
  /** Actions in the last `recentWindows` windows, for the card's headline figure. */
  recentActions: number;
  /** The country's total per window (the worker's `all` series), when it is held. */
  totals?: Map<number, number>;
}

/** Start of the oldest bucket held, for any country: before it there is no data, not zero traffic. */
export function earliestBucket(state: TrafficState): number | undefined {
  let earliest: number | undefined;
  for (const key of state.values.keys()) {
    const start = Number(key.slice(key.lastIndexOf("|") + 1));
    if (earliest === undefined || start < earliest) earliest = start;
  }
  return earliest;
}

/**
 * Rows for one country's complete windows between `from` (or the first data held, if later) and `to`, zero
 * where a window saw no actions. The window still filling up is left out: drawn, it would always look like a
 * sudden drop.
 */
export function countrySeries(
  state: TrafficState,
  country: string,
  from: number,
  to: number,
  windowMs: number,
  recentWindows = 6,
): CountrySeries {
  const perSport = new Map<string, Map<number, number>>();
  const prefix = `${country}|`;
  for (const [key, actions] of state.values) {
    if (!key.startsWith(prefix)) continue;
    const [, sport, start] = key.split("|") as [string, string, string];
    let series = perSport.get(sport);
    if (!series) perSport.set(sport, (series = new Map()));
    series.set(Number(start), actions);
  }
  // The country total is a series of its own, not a sport: drawn as a line it would dwarf the sports.
  const totals = perSport.get(COUNTRY_TOTAL_SPORT);
  perSport.delete(COUNTRY_TOTAL_SPORT);
  const sports = [...perSport.keys()].sort();
  const rows: ChartRow[] = [];
  // A series that starts inside the range began mid-window: its first window is partial, so skip it.
  const earliest = earliestBucket(state);
  const start = earliest !== undefined && earliest > from ? earliest + windowMs : from;
  const first = start - (start % windowMs);
  let recentActions = 0;
  const recentFrom = to - (recentWindows + 1) * windowMs;
  for (let time = first; time + windowMs <= to; time += windowMs) {
    const row: ChartRow = { time } as ChartRow;
    let sum = 0;
    for (const sport of sports) {
      const actions = perSport.get(sport)!.get(time) ?? 0;
      row[sport] = actions;
      sum += actions;
    }
    if (time > recentFrom) recentActions += totals?.get(time) ?? sum;
    rows.push(row);
  }
  return { sports, rows, recentActions, ...(totals ? { totals } : {}) };
}
