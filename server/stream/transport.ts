// The stream behind one interface: Kafka in production, an in-process log for the embedded default. Both
// deliver per-partition batches with offsets, so the worker's exactly-once bookkeeping is the same for both.

export interface OutgoingMessage {
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

export interface StreamRecord {
  /** Offset within the partition, as a decimal string (Kafka offsets are 64-bit). */
  offset: string;
  key: string | null;
  value: Buffer | null;
}

export interface StreamBatch {
  topic: string;
  partition: number;
  records: StreamRecord[];
}

export interface ConsumeOptions {
  groupId: string;
  topic: string;
  /**
   * Handles one partition's batch. It must durably record `lastOffset + 1` as that partition's next offset
   * before resolving; the transport acknowledges the batch to the broker only then. A transport may hand over
   * a partition's next batch before the previous call resolved (Kafka does, to fetch while Postgres commits):
   * calls of one partition must then be stored in call order, and once one rejects, none after it may be
   * stored until the partition is delivered again from the failed batch (or reassigned).
   */
  onBatch(batch: StreamBatch): Promise<void>;
  /** Called when partitions are (re)assigned, before their batches, so stale per-partition state is dropped. */
  onAssigned?(partitions: number[]): void | Promise<void>;
  /** The consumer stopped for good (not a retriable error); the process should exit and be restarted. */
  onFatal?(error: Error): void;
  /** A batch failed and will be delivered again after `delayMs` (a transport that retries in place). */
  onRetry?(error: unknown, partition: number, attempt: number, delayMs: number): void;
}

export interface StreamSubscription {
  stop(): Promise<void>;
}

export interface StreamTransport {
  readonly kind: "kafka" | "inproc";
  ensureTopic(topic: string, partitions: number): Promise<void>;
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<StreamSubscription>;
  close(): Promise<void>;
}

/** Java-compatible murmur2 partitioning lives in Kafka's client; the in-process log uses a stable hash. */
export function partitionForKey(key: string, partitions: number): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % partitions;
}
