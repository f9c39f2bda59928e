// The stream worker's batch step: decode a partition batch, skip what the stored offset says is already
// counted, fold the rest into event-time buckets against the partition's watermark, and store it all with the
// next offset and the latest event time in one transaction (shared with other partitions' batches ready at
// the same time). Offsets and watermarks are (re)loaded from Postgres whenever partitions are assigned, so a
// worker taking a partition over continues exactly where the last commit left it.
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { decodeActionsInto } from "../stream/action-batch-scanner";
import type { OutgoingMessage, StreamBatch, StreamTransport } from "../stream/transport";
import { BatchWriter } from "./batch-writer";
import {
  loadPartitionProgress,
  type DeadLetter,
  type PartitionWrite,
  type StoredPartitionProgress,
} from "./bucket-store";
import { BucketPartitions } from "./partitions";
import { Watermark, WindowFold, type AggregatedBatch } from "./windowing";

export interface AggregatorOptions {
  db: Db;
  /** Where bad messages are re-published, original bytes and reason, for inspection or reprocessing. */
  deadLetters?: { transport: StreamTransport; topic: string };
  /** Shared with the worker's retention job, so a drop is known here at once. */
  partitions?: BucketPartitions;
  consumerGroup: string;
  topic: string;
  windowSeconds: number;
  allowedLatenessSeconds: number;
  log: Logger;
  /**
   * Called after each batch's transaction committed, with the partition's watermark and the series the
   * batch touched: where later stages (peak detection) pick up final windows. Awaited, so it runs before
   * the next batch of the partition.
   */
  afterCommit?: (committed: CommittedBatch) => Promise<void>;
}

export interface CommittedBatch {
  partition: number;
  watermark: number;
  /**
   * The country × sport series the batch touched. Never the country totals (sport `all`): those are summed
   * from several partitions, so no partition's watermark makes them final, and detection must not judge them.
   */
  series: { country: string; sport: string }[];
}

export interface AggregatorStats {
  batches: number;
  actions: number;
  lateActions: number;
  deadLetters: number;
  skippedAlreadyCounted: number;
  bucketWrites: number;
}

/** One partition as this worker sees it: what is committed, and what batches in flight will leave. */
interface PartitionState {
  /** Stored next offset (null: no row yet) as of the last commit this worker knows of. */
  committedNextOffset: bigint | null;
  /** Next offset after every batch taken so far, stored or in flight. */
  nextOffset: bigint;
  /** Watermark after every batch taken so far. */
  watermark: Watermark;
  /** The last store in flight: stores of one partition commit in the order their batches came. */
  tail: Promise<void>;
  /** A store failed: batches behind it must not be stored either; the next batch reloads from Postgres. */
  broken: boolean;
}

interface PreparedBatch {
  write: PartitionWrite;
  aggregated: AggregatedBatch;
  watermark: number;
  deadLetters: DeadLetter[];
  republish: OutgoingMessage[];
}

/** A batch came after one whose store failed: the transport must deliver the partition again from there. */
export class RedeliveryNeededError extends Error {
  override name = "RedeliveryNeededError";
}

export class TrafficAggregator {
  readonly stats: AggregatorStats = {
    batches: 0,
    actions: 0,
    lateActions: 0,
    deadLetters: 0,
    skippedAlreadyCounted: 0,
    bucketWrites: 0,
  };
  /** Stored progress per partition, loaded once per assignment (partitions are processed concurrently). */
  private stored: Promise<Map<number, StoredPartitionProgress>> | undefined;
  private readonly states = new Map<number, PartitionState>();
  /**
   * Partitions whose store failed: batches after it may already be on their way, and counting one of those
   * on top of the reloaded offset would skip the failed one. Until the partition is read again from the stored
   * offset (or reassigned), such batches are refused.
   */
  private readonly rereadFrom = new Set<number>();
  private readonly writer: BatchWriter;

  constructor(private readonly options: AggregatorOptions) {
    const partitions = options.partitions ?? new BucketPartitions(options.db, options.log);
    this.writer = new BatchWriter(options.db, partitions);
  }

  /**
   * Partitions moved: another worker may have advanced any of them, so forget cached offsets and watermarks
   * and reload both from Postgres before the next batch.
   */
  onAssigned(_partitions: number[]): void {
    this.stored = undefined;
    this.states.clear();
    this.rereadFrom.clear();
  }

  /**
   * Counts one partition batch and resolves once its effect, next offset and latest event time are
   * committed. Calls for the same partition may overlap (a transport decoding the next batch while the
   * previous one commits): each is decoded against the state the earlier ones leave, and they commit in call
   * order.
   */
  async handleBatch(batch: StreamBatch): Promise<void> {
    const state = await this.partitionState(batch.partition);
    if (this.rereadFrom.has(batch.partition)) {
      const first = batch.records[0];
      if (first && BigInt(first.offset) > state.nextOffset) {
        throw new RedeliveryNeededError(
          `partition ${batch.partition}: a store failed; waiting to read it again from offset ${state.nextOffset}`,
        );
      }
      this.rereadFrom.delete(batch.partition);
    }
    const prepared = this.prepare(batch, state);
    if (!prepared) return;
    const previous = state.tail;
    const stored = previous.then(
      () => this.store(batch, state, prepared),
      () => {
        throw new Error(`partition ${batch.partition}: an earlier batch failed to store; redeliver from it`);
      },
    );
    state.tail = stored.catch(() => undefined);
    try {
      await stored;
    } catch (error) {
      this.forget(batch.partition, state);
      throw error;
    }
  }

  private async partitionState(partition: number): Promise<PartitionState> {
    for (;;) {
      const known = this.states.get(partition);
      if (known && !known.broken) return known;
      const loading = (this.stored ??= loadPartitionProgress(
        this.options.db,
        this.options.consumerGroup,
        this.options.topic,
      ).catch((error: unknown) => {
        this.stored = undefined; // let the redelivered batch try again
        throw error;
      }));
      const progress = (await loading).get(partition);
      if (this.stored !== loading) continue; // reassigned while loading: load again
      const fresh = this.states.get(partition);
      if (fresh && !fresh.broken) return fresh; // another batch of the partition got there first
      const state: PartitionState = {
        committedNextOffset: progress?.nextOffset ?? null,
        nextOffset: progress?.nextOffset ?? 0n,
        watermark: new Watermark(
          this.options.allowedLatenessSeconds * 1_000,
          progress?.maxEventTime ?? Number.NEGATIVE_INFINITY,
        ),
        tail: Promise.resolve(),
        broken: false,
      };
      this.states.set(partition, state);
      return state;
    }
  }

  /** After a failed store: drop what this worker believed, so the redelivered batch starts from Postgres. */
  private forget(partition: number, state: PartitionState): void {
    state.broken = true;
    if (this.states.get(partition) === state) {
      this.states.delete(partition);
      this.rereadFrom.add(partition);
    }
    this.stored = undefined;
  }

  /** Decodes and aggregates synchronously, advancing the partition's in-flight offset and watermark. */
  private prepare(batch: StreamBatch, state: PartitionState): PreparedBatch | undefined {
    const { options } = this;
    const alreadyCounted = state.nextOffset;
    const fresh = batch.records.filter((record) => BigInt(record.offset) >= alreadyCounted);
    this.stats.skippedAlreadyCounted += batch.records.length - fresh.length;
    if (fresh.length === 0) return undefined;

    // A copy: the partition's watermark moves only as batches are taken, in order.
    const fold = new WindowFold(options.windowSeconds * 1_000, state.watermark.clone());
    const deadLetters: DeadLetter[] = [];
    const republish: OutgoingMessage[] = [];
    for (const record of fresh) {
      const decoded = decodeActionsInto(record.value, fold);
      if (decoded.ok) continue;
      deadLetters.push({
        topic: batch.topic,
        partition: batch.partition,
        offset: record.offset,
        reason: decoded.reason,
        payload: record.value?.toString("utf8") ?? "",
      });
      republish.push({
        key: record.key,
        value: record.value ?? "",
        headers: {
          reason: decoded.reason,
          "source-topic": batch.topic,
          "source-partition": String(batch.partition),
          "source-offset": record.offset,
        },
      });
    }

    const { watermark } = fold;
    const aggregated = fold.result();
    const nextOffset = BigInt(fresh[fresh.length - 1]!.offset) + 1n;
    const previousNextOffset = state.nextOffset;
    state.nextOffset = nextOffset;
    state.watermark = watermark;
    const maxEventTime = Number.isFinite(watermark.maxEventTime) ? watermark.maxEventTime : null;
    return {
      write: {
        consumerGroup: options.consumerGroup,
        topic: batch.topic,
        partition: batch.partition,
        // Set again when the store runs, from what the earlier store committed.
        previousNextOffset: previousNextOffset.toString(),
        nextOffset: nextOffset.toString(),
        maxEventTime,
        windowSeconds: options.windowSeconds,
        buckets: aggregated.buckets,
        late: aggregated.late,
        deadLetters,
      },
      aggregated,
      watermark: watermark.value,
      deadLetters,
      republish,
    };
  }

  private async store(batch: StreamBatch, state: PartitionState, prepared: PreparedBatch): Promise<void> {
    const { options } = this;
    const { write, aggregated, deadLetters, republish } = prepared;
    if (state.broken) throw new Error(`partition ${batch.partition}: reassigned or failed; redeliver`);
    write.previousNextOffset = state.committedNextOffset?.toString() ?? null;
    // Published before the bucket transaction commits: a crash in between re-publishes them on redelivery
    // (at least once on the dead-letter topic), while the table below records each exactly once.
    if (republish.length > 0 && options.deadLetters) {
      await options.deadLetters.transport.send(options.deadLetters.topic, republish);
    }
    // Possibly in one transaction with other partitions' batches ready at the same time (batch-writer.ts).
    await this.writer.write(write);
    state.committedNextOffset = BigInt(write.nextOffset);
    if (options.afterCommit) {
      const series = new Map<string, { country: string; sport: string }>();
      for (const { country, sport } of aggregated.buckets)
        series.set(`${country}|${sport}`, { country, sport });
      await options.afterCommit({
        partition: batch.partition,
        watermark: prepared.watermark,
        series: [...series.values()],
      });
    }

    let counted = 0;
    for (const bucket of aggregated.buckets) counted += bucket.actions;
    let late = 0;
    for (const entry of aggregated.late) late += entry.actions;
    this.stats.batches += 1;
    this.stats.actions += counted;
    this.stats.lateActions += late;
    this.stats.deadLetters += deadLetters.length;
    this.stats.bucketWrites += aggregated.buckets.length;
    if (deadLetters.length > 0) {
      options.log.warn(
        { partition: batch.partition, count: deadLetters.length, firstReason: deadLetters[0]!.reason },
        "parked bad messages in stream_dead_letter and the dead-letter topic",
      );
    }
  }
}
