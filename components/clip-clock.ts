// Broadcast timecodes (HH:MM:SS since a session's broadcast began) and where they fall on the wall clock, so
// the clip timeline can draw in/out points over the traffic and turn a dragged position back into a timecode.
import type { EvidenceEvent } from "../server/moments/moment-views";

const TIMECODE = /^(\d{2}):([0-5]\d):([0-5]\d)$/;

/** Seconds since the broadcast began, or undefined when the text is not HH:MM:SS. */
export function parseTimecode(text: string): number | undefined {
  const match = TIMECODE.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 3_600 + Number(match[2]) * 60 + Number(match[3]);
}

export function formatTimecode(seconds: number): string {
  const whole = Math.min(99 * 3_600 + 3_599, Math.max(0, Math.round(seconds)));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(whole / 3_600))}:${pad(Math.floor((whole % 3_600) / 60))}:${pad(whole % 60)}`;
}

/** Maps broadcast seconds to wall-clock ms and back. */
export interface ClipClock {
  /** Wall-clock ms per broadcast second: 1 000 live, less when a replay runs faster than real time. */
  msPerSecond: number;
  toWall(seconds: number): number;
  toSeconds(wallMs: number): number;
}

function clockThrough(anchorWall: number, anchorSeconds: number, msPerSecond: number): ClipClock {
  return {
    msPerSecond,
    toWall: (seconds) => anchorWall + (seconds - anchorSeconds) * msPerSecond,
    toSeconds: (wallMs) => anchorSeconds + (wallMs - anchorWall) / msPerSecond,
  };
}

/**
 * The clock of one session: fitted through its play-by-play (each event has both a wall time and a timecode),
 * which also holds when the games is replayed faster than real time; else the broadcast start at real time.
 */
export function clipClock(
  evidence: Pick<EvidenceEvent, "occurredAt" | "timecode" | "sessionId">[],
  broadcastStart: number | null,
  sessionId: string | null,
): ClipClock | undefined {
  const points = evidence
    .filter((event) => sessionId === null || event.sessionId === sessionId)
    .map((event) => ({ wall: event.occurredAt, seconds: parseTimecode(event.timecode) }))
    .filter((point): point is { wall: number; seconds: number } => point.seconds !== undefined)
    .sort((a, b) => a.seconds - b.seconds);
  const first = points[0];
  const last = points[points.length - 1];
  if (first && last && last.seconds - first.seconds >= 1) {
    const msPerSecond = (last.wall - first.wall) / (last.seconds - first.seconds);
    if (msPerSecond > 0) return clockThrough(first.wall, first.seconds, msPerSecond);
  }
  if (broadcastStart !== null) {
    return first ? clockThrough(first.wall, first.seconds, 1_000) : clockThrough(broadcastStart, 0, 1_000);
  }
  return undefined;
}
