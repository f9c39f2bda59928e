// The production stream: Apache Kafka through kafkajs. Messages are keyed by country|sport so one partition
// (and so one worker of the consumer group) owns each series. Postgres holds the offsets that count: a batch's
// offset is committed to Kafka only after the worker stored its effect and next offset there, so Kafka's
// committed offset never passes Postgres's, and whatever a new owner reads again is skipped, not recounted.
import { Kafka, logLevel, Partitioners, type Consumer, type LogEntry, type Producer } from "kafkajs";
import type { Logger } from "pino";
import type { ConsumeOptions, OutgoingMessage, StreamSubscription, StreamTransport } from "./transport";

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  log: Logger;
  /** Default 30 s. */
  sessionTimeoutMs?: number;
  /** Partitions processed at once by one consumer; default 3. */
  partitionsConcurrently?: number;
}

/** Records stored per Postgres transaction; bounds memory and the time between heartbeats. */
const MAX_RECORDS_PER_CHUNK = 5_000;

/**
 * Bytes fetched per partition per request (kafkajs defaults to 1 MiB, about 25,000 actions in 100-action
 * messages). kafkajs fetches, waits until every batch of the fetch is handled, then fetches again, so each
 * round costs a fetch plus a Postgres commit per partition: larger rounds make a catching-up worker spend its
 * time counting rather than waiting. The bench's bare consume uses the same sizes.
 */
export const FETCH_MAX_BYTES_PER_PARTITION = 4 * 1024 * 1024;
/** Per fetch request, all partitions of a broker together. */
export const FETCH_MAX_BYTES = 4 * FETCH_MAX_BYTES_PER_PARTITION;

/**
 * Stores a partition may have in flight when its batch handler returns. kafkajs fetches the next round only
 * once every handler of the round returned; returning while the last store commits overlaps that commit with
 * the next fetch and decode, instead of waiting for both in turn.
 */
const STORES_IN_FLIGHT_PER_PARTITION = 1;

/** One partition's stores handed to Postgres and not yet known to be committed. */
interface PartitionPipeline {
  inFlight: Promise<void>[];
  /** A store failed: the partition was sought back to it; nothing more is handed on until it is read again. */
  failed: boolean;
}

const KAFKA_TO_PINO = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
  [logLevel.NOTHING]: "silent",
} as const;

export class KafkaTransport implements StreamTransport {
  readonly kind = "kafka" as const;
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private readonly consumers = new Set<Consumer>();
  /** Per consumer: waits for its stores in flight. */
  private readonly drains = new Set<() => Promise<void>>();
  private readonly sessionTimeoutMs: number;
  private readonly partitionsConcurrently: number;

  constructor(private readonly options: KafkaTransportOptions) {
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 30_000;
    this.partitionsConcurrently = options.partitionsConcurrently ?? 3;
    const log = options.log.child({ component: "kafkajs" });
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: entry }: LogEntry) => {
          const { message, ...fields } = entry;
          const method = KAFKA_TO_PINO[level];
          if (method !== "silent") log[method](fields, message);
        },
    });
  }

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      if (!existing.includes(topic)) {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
        this.options.log.info({ topic, partitions }, "created Kafka topic");
      }
    } finally {
      await admin.disconnect();
    }
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (!this.producer) {
      // The Java-compatible murmur2 partitioner: a key lands where Kafka's own clients would put it.
      this.producer = this.kafka.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await this.producer.connect();
    }
    await this.producer.send({ topic, acks: -1, messages });
  }

  async consume(options: ConsumeOptions): Promise<StreamSubscription> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      // A dead worker's partitions move after this long; a chunk is one Postgres transaction, far shorter.
      sessionTimeout: this.sessionTimeoutMs,
      heartbeatInterval: Math.max(1_000, Math.floor(this.sessionTimeoutMs / 10)),
      maxBytesPerPartition: FETCH_MAX_BYTES_PER_PARTITION,
      maxBytes: FETCH_MAX_BYTES,
    });
    this.consumers.add(consumer);
    const log = this.options.log;
    let pipelines = new Map<number, PartitionPipeline>();
    const storing = new Set<Promise<void>>();
    const drain = async () => {
      await Promise.allSettled([...storing]);
    };
    this.drains.add(drain);
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      // Stores still in flight for partitions that moved either commit (the new owner's first write then
      // finds the offset moved and reads again) or fail; they keep their own pipeline.
      pipelines = new Map();
      const partitions = event.payload.memberAssignment[options.topic] ?? [];
      void options.onAssigned?.(partitions);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      // kafkajs restarts the consumer itself after retriable errors; anything else stops it for good.
      if (!event.payload.restart) options.onFatal?.(event.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      // Offsets are committed to Kafka by hand, after Postgres commits (below), never ahead of it.
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Several partitions in flight: while one waits on its Postgres commit, another is decoded.
      partitionsConsumedConcurrently: this.partitionsConcurrently,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const { topic, partition } = batch;
        let pipeline = pipelines.get(partition);
        if (pipeline?.failed && !isStale()) {
          // Read again from the failed store on: earlier stores have settled, start afresh.
          await Promise.allSettled(pipeline.inFlight);
          pipeline = undefined;
        }
        if (!pipeline) pipelines.set(partition, (pipeline = { inFlight: [], failed: false }));
        const current = pipeline;
        // A fetched batch can hold tens of thousands of records: store it in chunks, each its own transaction.
        for (let from = 0; from < batch.messages.length; from += MAX_RECORDS_PER_CHUNK) {
          if (!isRunning() || isStale() || current.failed) return;
          const chunk = batch.messages.slice(from, from + MAX_RECORDS_PER_CHUNK);
          const firstOffset = chunk[0]!.offset;
          const lastOffset = chunk[chunk.length - 1]!.offset;
          const stored = options.onBatch({
            topic,
            partition,
            records: chunk.map((m) => ({
              offset: m.offset,
              key: m.key ? m.key.toString("utf8") : null,
              value: m.value,
            })),
          });
          const settled = stored.then(
            () => {
              const offset = (BigInt(lastOffset) + 1n).toString();
              // Kafka's commit only spares a new owner re-reading; a failed one (e.g. during a rebalance) is
              // harmless, since Postgres's offset decides what counts.
              consumer.commitOffsets([{ topic, partition, offset }]).catch((error: unknown) => {
                log.debug({ err: error, partition, offset }, "Kafka offset commit failed; Postgres has it");
              });
            },
            (error: unknown) => {
              if (!current.failed) {
                current.failed = true;
                // kafkajs already reads past this chunk: make it read the chunk (and all after it) again.
                consumer.seek({ topic, partition, offset: firstOffset });
                log.warn(
                  { err: error, partition, offset: firstOffset },
                  "storing a batch failed; reading the partition again from it",
                );
              }
              throw error;
            },
          );
          // Awaited below, by the partition's next batch, or by stop(); never left unhandled.
          storing.add(settled);
          settled.catch(() => undefined).finally(() => storing.delete(settled));
          current.inFlight.push(settled);
          // Lets kafkajs fetch on while the store commits; Kafka's committed offset follows Postgres (above).
          resolveOffset(lastOffset);
          while (current.inFlight.length > STORES_IN_FLIGHT_PER_PARTITION) await current.inFlight.shift();
          await heartbeat();
        }
      },
    });
    return {
      stop: async () => {
        // Ordered: stop fetching, let the stores in flight commit, then leave the group.
        await consumer.stop();
        await drain();
        await consumer.disconnect();
        this.consumers.delete(consumer);
        this.drains.delete(drain);
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    await Promise.all([...this.drains].map((drain) => drain()));
    await Promise.all([...this.consumers].map((consumer) => consumer.disconnect()));
    this.drains.clear();
    this.consumers.clear();
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}
