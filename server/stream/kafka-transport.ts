// The production stream: Apache Kafka through kafkajs. Messages are keyed by country|sport so one partition
// (and so one worker of the consumer group) owns each series; batches are acknowledged only after the
// worker has stored their effect and next offset in Postgres.
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
    });
    this.consumers.add(consumer);
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
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
      eachBatchAutoResolve: false,
      // Several partitions in flight: while one waits on its Postgres commit, another is decoded.
      partitionsConsumedConcurrently: this.partitionsConcurrently,
      eachBatch: async ({
        batch,
        resolveOffset,
        heartbeat,
        commitOffsetsIfNecessary,
        isRunning,
        isStale,
      }) => {
        // A fetched batch can hold tens of thousands of records: store it in chunks, each its own transaction,
        // acknowledging and heartbeating after each so a long batch neither blocks the group nor grows memory.
        for (let from = 0; from < batch.messages.length; from += MAX_RECORDS_PER_CHUNK) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(from, from + MAX_RECORDS_PER_CHUNK);
          await options.onBatch({
            topic: batch.topic,
            partition: batch.partition,
            records: chunk.map((m) => ({
              offset: m.offset,
              key: m.key ? m.key.toString("utf8") : null,
              value: m.value,
            })),
          });
          resolveOffset(chunk[chunk.length - 1]!.offset);
          await heartbeat();
        }
        await commitOffsetsIfNecessary();
      },
    });
    return {
      stop: async () => {
        await consumer.disconnect();
        this.consumers.delete(consumer);
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}
