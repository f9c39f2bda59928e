// Replays recorded user actions (a games' actions file, or any NDJSON of stream messages) into a stream at
// N× speed: paced by event time, batched per series, resumable by line, optionally re-timed to now and
// recorded as it goes. The stream and the clock come from the caller, so tests drive it directly.
import { decodeActions, encodeActions, encodeUserAction, type UserAction } from "../stream/messages";
import type { OutgoingMessage } from "../stream/transport";
import { dueAt, replayedTs, type EventTimeMode, type Pace } from "./pacer";

/** Actions due within this much of now go in the current batch rather than waiting for their own send. */
const TICK_MS = 50;

export interface ReplayClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: ReplayClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface ReplayProgress {
  /** Source lines consumed (including skipped and invalid ones). */
  lines: number;
  /** Actions sent in this run. */
  sent: number;
  invalid: number;
  /** Event time of the latest action sent (as sent). */
  eventTs: number;
}

export interface ReplayOptions {
  lines: AsyncIterable<string>;
  send(messages: OutgoingMessage[]): Promise<void>;
  speed: number;
  eventTime: EventTimeMode;
  actionsPerMessage: number;
  /** Source lines already sent by an earlier run. */
  skipLines?: number;
  /** Event time to anchor pacing at; default the first action replayed. */
  originTs?: number;
  /** Wall clock the anchor corresponds to; default when the first action is read. */
  originWall?: number;
  maxBatch?: number;
  /**
   * Most event time one batch may span. Batches are encoded per series, so within a batch a series' later
   * actions may precede another's earlier ones; keeping the span well under the stream's allowed lateness
   * means none of them arrives late. Default 10 s.
   */
  maxBatchSpanMs?: number;
  clock?: ReplayClock;
  signal?: AbortSignal;
  /** Called with the NDJSON of every batch once the stream accepted it. */
  record?(ndjson: string): Promise<void>;
  /** Called after every accepted batch, with the source lines now fully sent. */
  onBatchSent?(progress: ReplayProgress): Promise<void> | void;
  onInvalidLine?(lineNumber: number, reason: string): void;
}

export interface ReplayResult extends ReplayProgress {
  /** True when the replay was stopped before the end of its source. */
  interrupted: boolean;
}

export async function replayActions(options: ReplayOptions): Promise<ReplayResult> {
  const clock = options.clock ?? systemClock;
  const maxBatch = options.maxBatch ?? 5_000;
  const maxSpan = options.maxBatchSpanMs ?? 10_000;
  const skip = options.skipLines ?? 0;
  const progress: ReplayProgress = { lines: 0, sent: 0, invalid: 0, eventTs: 0 };
  let pace: Pace | undefined;
  let batch: UserAction[] = [];
  let batchLines = 0;

  const flush = async () => {
    if (batch.length > 0) {
      await options.send(encodeActions(batch, options.actionsPerMessage));
      if (options.record) await options.record(batch.map((a) => `${encodeUserAction(a)}\n`).join(""));
      progress.sent += batch.length;
      progress.eventTs = batch[batch.length - 1]!.ts;
    }
    progress.lines = batchLines;
    batch = [];
    await options.onBatchSent?.({ ...progress });
  };

  for await (const line of options.lines) {
    if (options.signal?.aborted) break;
    const lineNumber = batchLines + 1;
    if (lineNumber <= skip) {
      batchLines = lineNumber;
      continue;
    }
    const decoded = decodeActions(line);
    if (!decoded.ok) {
      progress.invalid += 1;
      options.onInvalidLine?.(lineNumber, decoded.reason);
      batchLines = lineNumber;
      continue;
    }
    const { country, sport, actions } = decoded.series;
    pace ??= {
      speed: options.speed,
      originTs: options.originTs ?? actions[0]!.ts,
      originWall: options.originWall ?? clock.now(),
    };
    const due = dueAt(pace, actions[0]!.ts);
    const now = clock.now();
    if (due > now + TICK_MS) {
      await flush();
      await sleepUntil(clock, due, options.signal);
      if (options.signal?.aborted) break;
    }
    // Flush between lines only, so a saved position never splits a line.
    const firstTs = replayedTs(pace, actions[0]!.ts, options.eventTime);
    if (batch.length > 0 && firstTs - batch[0]!.ts > maxSpan) await flush();
    for (const { type, ts } of actions) {
      batch.push({ v: 1, type, country, sport, ts: replayedTs(pace, ts, options.eventTime) });
    }
    batchLines = lineNumber;
    if (batch.length >= maxBatch) await flush();
  }
  await flush();
  return { ...progress, interrupted: options.signal?.aborted ?? false };
}

async function sleepUntil(clock: ReplayClock, due: number, signal: AbortSignal | undefined): Promise<void> {
  // Sleep in slices so a stop request is honoured promptly even at slow speeds.
  while (!signal?.aborted) {
    const wait = due - clock.now();
    if (wait <= 0) return;
    await clock.sleep(Math.min(wait, 250));
  }
}
