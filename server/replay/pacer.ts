// Replay timing: when an action recorded at event time `ts` is due on the wall clock at N× speed, and what
// event time it carries when re-timed to now. Pure, so it is tested without clocks.

export type EventTimeMode = "original" | "now";

export interface Pace {
  /** N× real time; Infinity replays as fast as the stream takes it. */
  speed: number;
  /** Event time the replay is anchored at (the games' start, or the first action replayed). */
  originTs: number;
  /** Wall clock (epoch ms) the origin corresponds to. */
  originWall: number;
}

/** Wall-clock time an action with event time `ts` is due; -Infinity at full speed (always due). */
export function dueAt(pace: Pace, ts: number): number {
  if (!Number.isFinite(pace.speed)) return -Infinity;
  return pace.originWall + (ts - pace.originTs) / pace.speed;
}

/**
 * The event time a replayed action carries: its own (`original`), or re-timed as if it happened now —
 * compressed by the speed, so a 10-second window holds N× ten seconds of the games.
 */
export function replayedTs(pace: Pace, ts: number, mode: EventTimeMode): number {
  if (mode === "original") return ts;
  if (!Number.isFinite(pace.speed)) return ts + (pace.originWall - pace.originTs);
  return Math.round(pace.originWall + (ts - pace.originTs) / pace.speed);
}

/** Parses `--speed`: a positive number, or `max` for as fast as possible. */
export function parseSpeed(text: string): number {
  if (text === "max") return Infinity;
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed <= 0)
    throw new Error(`expected a positive number or "max" (got "${text}")`);
  return speed;
}
