// The stream worker's batch step: decode a partition batch, skip what the stored offset says is already
// counted, fold the rest into event-time buckets, and store it all with the next offset in one transaction.
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { decodeActions, type SeriesActions } from "../stream/messages";
import type { OutgoingMessage, StreamBatch, StreamTransport } from "../stream/transport";
import { loadNextOffsets, writePartitionBatch, type DeadLetter } from "./bucket-store";
import { BucketPartitions, isMissingPartitionError } from "./partitions";
import { aggregateActions, Watermark } from "./windowing";

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

export class TrafficAggregator {
  readonly stats: AggregatorStats = {
    batches: 0,
    actions: 0,
    lateActions: 0,
    deadLetters: 0,
    skippedAlreadyCounted: 0,
    bucketWrites: 0,
  };
  /** Next offset to count per partition, as stored in Postgres; reloaded on every assignment. */
  private nextOffsets: Promise<Map<number, bigint>> | undefined;
  private readonly watermarks = new Map<number, Watermark>();
  private readonly partitions: BucketPartitions;

  constructor(private readonly options: AggregatorOptions) {
    this.partitions = options.partitions ?? new BucketPartitions(options.db, options.log);
  }

  /** Partitions moved: forget cached offsets (another worker may have advanced them) and watermarks. */
  onAssigned(partitions: number[]): void {
    this.nextOffsets = undefined;
    for (const partition of [...this.watermarks.keys()]) {
      if (!partitions.includes(partition)) this.watermarks.delete(partition);
    }
  }

  async handleBatch(batch: StreamBatch): Promise<void> {
    const { options } = this;
    // One shared load: partitions are processed concurrently, and each must update the same map.
    this.nextOffsets ??= loadNextOffsets(options.db, options.consumerGroup, options.topic).catch((error) => {
      this.nextOffsets = undefined; // let the redelivered batch try again
      throw error;
    });
    const nextOffsets = await this.nextOffsets;
    const alreadyCounted = nextOffsets.get(batch.partition) ?? 0n;
    const fresh = batch.records.filter((record) => BigInt(record.offset) >= alreadyCounted);
    this.stats.skippedAlreadyCounted += batch.records.length - fresh.length;
    if (fresh.length === 0) return;

    const messages: SeriesActions[] = [];
    const deadLetters: DeadLetter[] = [];
    const republish: OutgoingMessage[] = [];
    for (const record of fresh) {
      const decoded = decodeActions(record.value);
      if (decoded.ok) {
        messages.push(decoded.series);
        continue;
      }
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
    // Published before the bucket transaction commits: a crash in between re-publishes them on redelivery
    // (at least once on the dead-letter topic), while the table below records each exactly once.
    if (republish.length > 0 && options.deadLetters) {
      await options.deadLetters.transport.send(options.deadLetters.topic, republish);
    }

    let watermark = this.watermarks.get(batch.partition);
    if (!watermark) {
      watermark = new Watermark(options.allowedLatenessSeconds * 1_000);
      this.watermarks.set(batch.partition, watermark);
    }
    const aggregated = aggregateActions(messages, options.windowSeconds * 1_000, watermark);
    const nextOffset = BigInt(fresh[fresh.length - 1]!.offset) + 1n;
    const write = {
      consumerGroup: options.consumerGroup,
      topic: batch.topic,
      partition: batch.partition,
      nextOffset: nextOffset.toString(),
      windowSeconds: options.windowSeconds,
      buckets: aggregated.buckets,
      late: aggregated.late,
      deadLetters,
    };
    const bucketStarts = aggregated.buckets.map((bucket) => bucket.bucketStart);
    await this.partitions.ensureFor(bucketStarts);
    try {
      await writePartitionBatch(options.db, write);
    } catch (error) {
      if (!isMissingPartitionError(error)) throw error;
      // Another worker dropped a day we thought existed: re-read the partitions and write once more.
      this.partitions.invalidate();
      await this.partitions.ensureFor(bucketStarts);
      await writePartitionBatch(options.db, write);
    }
    nextOffsets.set(batch.partition, nextOffset);
    if (options.afterCommit) {
      const series = new Map<string, { country: string; sport: string }>();
      for (const { country, sport } of aggregated.buckets)
        series.set(`${country}|${sport}`, { country, sport });
      await options.afterCommit({
        partition: batch.partition,
        watermark: watermark.value,
        series: [...series.values()],
      });
    }

    const late = aggregated.late.reduce((sum, entry) => sum + entry.actions, 0);
    this.stats.batches += 1;
    this.stats.actions += aggregated.buckets.reduce((sum, bucket) => sum + bucket.actions, 0);
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
