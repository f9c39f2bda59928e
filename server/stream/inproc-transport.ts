// The embedded default stream: a partitioned, offset-addressed log in this process's memory. It behaves like
// a one-member Kafka consumer group so the worker code is identical; it keeps nothing across restarts.
import {
  partitionForKey,
  type ConsumeOptions,
  type OutgoingMessage,
  type StreamRecord,
  type StreamSubscription,
  type StreamTransport,
} from "./transport";

interface PartitionLog {
  /** Offset of records[0]; records before it were consumed by every group and released. */
  baseOffset: number;
  records: StreamRecord[];
}

interface Group {
  topic: string;
  positions: number[];
}

// Records per batch: with 100-action messages this is ~100,000 actions per transaction.
const MAX_BATCH = 1_000;
// A failed batch (Postgres busy or restarting) is delivered again after a back-off, doubling up to this.
const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 10_000;

export class InProcessTransport implements StreamTransport {
  readonly kind = "inproc" as const;
  private readonly topics = new Map<string, PartitionLog[]>();
  private readonly groups = new Set<Group>();
  private waiters: (() => void)[] = [];
  private readonly sleepers = new Set<() => void>();
  private closed = false;

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    if (this.topics.has(topic)) return;
    this.topics.set(
      topic,
      Array.from({ length: partitions }, () => ({ baseOffset: 0, records: [] })),
    );
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const log = this.partitionsOf(topic);
    for (const message of messages) {
      const partition = log[partitionForKey(message.key ?? "", log.length)]!;
      partition.records.push({
        offset: String(partition.baseOffset + partition.records.length),
        key: message.key,
        value: typeof message.value === "string" ? Buffer.from(message.value) : message.value,
      });
    }
    this.wake();
  }

  async consume(options: ConsumeOptions): Promise<StreamSubscription> {
    const log = this.partitionsOf(options.topic);
    const group: Group = { topic: options.topic, positions: log.map((p) => p.baseOffset) };
    this.groups.add(group);
    await options.onAssigned?.(log.map((_, index) => index));
    let running = true;
    // One loop per partition, like a Kafka consumer fetching partitions concurrently: while one partition's
    // batch waits on Postgres, another's is decoded and aggregated.
    const consumePartition = async (partition: number) => {
      const partitionLog = log[partition]!;
      let failures = 0;
      while (running && !this.closed) {
        const from = group.positions[partition]! - partitionLog.baseOffset;
        if (from >= partitionLog.records.length) {
          await this.waitForRecords();
          continue;
        }
        const records = partitionLog.records.slice(from, from + MAX_BATCH);
        try {
          await options.onBatch({ topic: options.topic, partition, records });
        } catch (error) {
          // Like a Kafka consumer that seeks back: the same records again, from the failed batch's offset.
          failures += 1;
          const delayMs = Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_MAX_MS);
          options.onRetry?.(error, partition, failures, delayMs);
          await this.sleep(delayMs);
          continue;
        }
        failures = 0;
        group.positions[partition]! += records.length;
        this.release(options.topic, partition);
      }
    };
    const loop = Promise.all(log.map((_, partition) => consumePartition(partition)));
    return {
      stop: async () => {
        running = false;
        this.wake();
        this.wakeSleepers();
        await loop;
        this.groups.delete(group);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    this.wakeSleepers();
  }

  /** Waits `ms`, or less if the transport closes or a consumer stops (new records do not cut it short). */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private wakeSleepers(): void {
    for (const done of [...this.sleepers]) done();
  }

  private waitForRecords(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Records not yet consumed, summed over partitions: what a Kafka operator would call lag. */
  lag(topic: string): number {
    let lag = 0;
    for (const group of this.groups) {
      if (group.topic !== topic) continue;
      this.partitionsOf(topic).forEach((partition, index) => {
        lag += partition.baseOffset + partition.records.length - group.positions[index]!;
      });
    }
    return lag;
  }

  private partitionsOf(topic: string): PartitionLog[] {
    const log = this.topics.get(topic);
    if (!log) throw new Error(`Unknown in-process topic "${topic}": call ensureTopic first`);
    return log;
  }

  /** Drops records every group has consumed, so a long demo keeps memory flat. */
  private release(topic: string, partition: number): void {
    let minPosition = Infinity;
    for (const group of this.groups) {
      if (group.topic === topic) minPosition = Math.min(minPosition, group.positions[partition]!);
    }
    const partitionLog = this.partitionsOf(topic)[partition]!;
    const releasable = minPosition - partitionLog.baseOffset;
    if (releasable > 1_000 && Number.isFinite(releasable)) {
      partitionLog.records.splice(0, releasable);
      partitionLog.baseOffset += releasable;
    }
  }
}
