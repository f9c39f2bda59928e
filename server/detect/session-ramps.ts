// The session schedule as detection sees it: a sport's audience gathers in the minutes before the sport goes
// on air and leaves over the minutes after its last session ends. The baseline follows such a ramp instead of
// calling it a peak (or a drop); this module says, for a sport and a window, whether one is expected.
import { sessionRampConfigSchema, type SessionRampConfig } from "./config";
import type { BucketObservation } from "./types";

export interface ScheduledSession {
  sport: string;
  startsAt: number;
  endsAt: number;
}

/**
 * Sessions of each sport merged into on-air spells (sessions that overlap or touch are one spell: while one
 * is live, the next adds a smaller share to an audience already there), answering "is a ramp expected at
 * this time?" in O(log n).
 */
export class SessionRamps {
  private readonly spellsBySport = new Map<string, { starts: Float64Array; ends: Float64Array }>();
  private readonly beforeMs: number;
  private readonly settleMs: number;
  private readonly afterMs: number;

  constructor(sessions: readonly ScheduledSession[], config: Partial<SessionRampConfig> = {}) {
    const parsed = sessionRampConfigSchema.parse(config);
    this.beforeMs = parsed.beforeMinutes * 60_000;
    this.settleMs = parsed.settleMinutes * 60_000;
    this.afterMs = parsed.afterMinutes * 60_000;
    const grouped = new Map<string, ScheduledSession[]>();
    for (const session of sessions) {
      const list = grouped.get(session.sport) ?? [];
      list.push(session);
      grouped.set(session.sport, list);
    }
    for (const [sport, list] of grouped) {
      list.sort((a, b) => a.startsAt - b.startsAt);
      const starts: number[] = [];
      const ends: number[] = [];
      for (const session of list) {
        if (ends.length > 0 && session.startsAt <= ends[ends.length - 1]!) {
          ends[ends.length - 1] = Math.max(ends[ends.length - 1]!, session.endsAt);
        } else {
          starts.push(session.startsAt);
          ends.push(session.endsAt);
        }
      }
      this.spellsBySport.set(sport, { starts: Float64Array.from(starts), ends: Float64Array.from(ends) });
    }
  }

  /**
   * For the window [bucketStart, bucketStart + windowMs) of a sport: 1 when the sport goes on air within
   * beforeMinutes after it or went on air within settleMinutes before it (the audience is gathering), else -1
   * when it went off air within afterMinutes before it (the audience is leaving), else 0.
   */
  rampAt(sport: string, bucketStart: number, windowMs: number): number {
    const spells = this.spellsBySport.get(sport);
    if (!spells) return 0;
    const { starts, ends } = spells;
    // First spell starting after the window began.
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (starts[middle]! <= bucketStart) low = middle + 1;
      else high = middle;
    }
    if (low < starts.length && starts[low]! < bucketStart + windowMs + this.beforeMs) return 1;
    if (low === 0) return 0;
    if (starts[low - 1]! >= bucketStart - this.settleMs) return 1;
    const end = ends[low - 1]!;
    return end < bucketStart + windowMs && end >= bucketStart - this.afterMs ? -1 : 0;
  }
}

/** The series with each bucket's expected session ramp filled in (for the evaluation and the backtests). */
export function withSessionRamps<T extends { sport: string; buckets: readonly BucketObservation[] }>(
  series: readonly T[],
  ramps: SessionRamps,
  windowMs: number,
): T[] {
  return series.map((market) => ({
    ...market,
    buckets: market.buckets.map((bucket) => ({
      ...bucket,
      sessionRamp: ramps.rampAt(market.sport, bucket.bucketStart, windowMs),
    })),
  }));
}
