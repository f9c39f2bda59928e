// The real batch step (TrafficAggregator) with a stopwatch around each handleBatch call, and a check that
// Postgres holds exactly what was sent once a phase says it is done.
import { performance } from "node:perf_hooks";
import pino from "pino";
import type { Db } from "../server/db/client";
import { COUNTRY_TOTAL_SPORT } from "../server/stream/messages";
import type { StreamBatch } from "../server/stream/transport";
import { TrafficAggregator } from "../server/traffic/aggregator";
import { ALLOWED_LATENESS_SECONDS, WINDOW_SECONDS } from "./fixtures";

export class BenchResultError extends Error {
  override name = "BenchResultError";
}

/** Warnings and errors only, on stderr, so stdout stays the report. */
export const benchLog = pino({ level: "warn", base: { proc: "bench" } }, pino.destination(2));

export interface TimedAggregator {
  aggregator: TrafficAggregator;
  /** Milliseconds per handleBatch: decode, aggregate and the Postgres transaction. */
  batchMs: number[];
  /** performance.now() of the first batch, once one arrived. */
  firstBatchAt: number | undefined;
  /** The first error handleBatch threw; the phase fails with it. */
  failure: Error | undefined;
  onBatch(batch: StreamBatch): Promise<void>;
  onAssigned(partitions: number[]): void;
  /** Actions the aggregator has committed to Postgres, counted or late (plus dead-lettered messages). */
  stored(): number;
}

export function timedAggregator(db: Db, consumerGroup: string, topic: string): TimedAggregator {
  const aggregator = new TrafficAggregator({
    db,
    consumerGroup,
    topic,
    windowSeconds: WINDOW_SECONDS,
    allowedLatenessSeconds: ALLOWED_LATENESS_SECONDS,
    log: benchLog,
  });
  const timed: TimedAggregator = {
    aggregator,
    batchMs: [],
    firstBatchAt: undefined,
    failure: undefined,
    async onBatch(batch) {
      if (timed.failure) return; // the phase is failing; take no more work
      const startedAt = performance.now();
      timed.firstBatchAt ??= startedAt;
      try {
        await aggregator.handleBatch(batch);
      } catch (error) {
        // Kept for the phase to throw: a rejection here would be unhandled inside the in-process transport.
        timed.failure = error instanceof Error ? error : new Error(String(error));
        return;
      }
      timed.batchMs.push(performance.now() - startedAt);
    },
    onAssigned: (partitions) => aggregator.onAssigned(partitions),
    stored: () => aggregator.stats.actions + aggregator.stats.lateActions + aggregator.stats.deadLetters,
  };
  return timed;
}

/**
 * Throws unless traffic_bucket's country × sport rows, and its country totals, each sum to exactly
 * `expected` actions, so a fast but wrong run is not reported.
 */
export async function verifyStored(db: Db, phase: string, expected: number): Promise<void> {
  const [row] = await db.$queryRaw<{ sports: bigint | null; totals: bigint | null }[]>`
    SELECT sum(actions) FILTER (WHERE sport <> ${COUNTRY_TOTAL_SPORT})::bigint AS sports,
           sum(actions) FILTER (WHERE sport = ${COUNTRY_TOTAL_SPORT})::bigint AS totals
    FROM traffic_bucket`;
  const sports = Number(row?.sports ?? 0);
  const totals = Number(row?.totals ?? 0);
  if (sports !== expected || totals !== expected) {
    throw new BenchResultError(
      `${phase}: traffic_bucket holds ${sports} actions per sport and ${totals} in country totals, ` +
        `expected ${expected}`,
    );
  }
}
