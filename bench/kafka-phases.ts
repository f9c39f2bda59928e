// Kafka phases: fill a 3-partition topic with the bench's actions, measure the bare kafkajs consume ceiling
// (JSON.parse only), then the real path (KafkaTransport + TrafficAggregator into Postgres) on the same topic.
import { performance } from "node:perf_hooks";
import { Consumer as PlatformaticConsumer } from "@platformatic/kafka";
import { Kafka, logLevel } from "kafkajs";
import { waitForGroupCoordinator } from "../scripts/kafka/broker";
import {
  FETCH_MAX_BYTES,
  FETCH_MAX_BYTES_PER_PARTITION,
  KafkaTransport,
} from "../server/stream/kafka-transport";
import type { StreamSubscription } from "../server/stream/transport";
import { chunks, messagesPerSend, PARTITIONS, type BenchInput } from "./fixtures";
import { percentiles, startPhaseMeter, waitUntil, withTimeout } from "./measure";
import { measuredPhase, type PhaseResult } from "./report";
import type { BenchServices } from "./services";
import { benchLog, timedAggregator, verifyStored } from "./timed-aggregator";

const TOPIC = "bench-user-actions";
const CLIENT_ID = "peaklight-bench";

interface KafkaContext {
  input: BenchInput;
  services: BenchServices;
  brokers: string;
  timeoutMs: number;
}

/** All three Kafka phases, in order; the consume phases need the topic the produce phase fills. */
export async function benchKafka(
  input: BenchInput,
  services: BenchServices,
  timeoutMs: number,
): Promise<PhaseResult[]> {
  if (!services.broker)
    throw new Error("benchKafka needs the bench's Kafka broker (started without --no-kafka)");
  const context: KafkaContext = { input, services, brokers: services.broker.brokers, timeoutMs };
  const produced = await produce(context);
  await waitForGroupCoordinator(context.brokers);
  const bare = await consumeBare(context);
  const platformatic = await consumeBarePlatformatic(context);
  const real = await consumeIntoPostgres(context);
  return [produced, bare, platformatic, real];
}

async function produce({ input, services, brokers, timeoutMs }: KafkaContext): Promise<PhaseResult> {
  const phase = "Kafka produce (acks=all)";
  const total = input.actionCount;
  const transport = new KafkaTransport({ brokers: [brokers], clientId: CLIENT_ID, log: benchLog });
  try {
    await transport.ensureTopic(TOPIC, PARTITIONS);
    const sends = chunks(input.messages, messagesPerSend(input));
    const sendAll = async () => {
      for (const chunk of sends) await transport.send(TOPIC, chunk);
    };
    const meter = startPhaseMeter(services.pids);
    try {
      await withTimeout(phase, timeoutMs, sendAll());
    } catch (error) {
      meter.abandon();
      throw error;
    }
    const measurement = meter.finish(total);
    return measuredPhase(phase, total, measurement, {
      batches: sends.length,
    });
  } finally {
    await transport.close();
  }
}

async function consumeBare({ input, services, brokers, timeoutMs }: KafkaContext): Promise<PhaseResult> {
  const phase = "Kafka bare consume (JSON.parse)";
  const total = input.actionCount;
  const messages = input.messages.length;
  const kafka = new Kafka({ clientId: CLIENT_ID, brokers: [brokers], logLevel: logLevel.WARN });
  // Same group settings as KafkaTransport, so the only difference is what each batch does.
  const consumer = kafka.consumer({
    groupId: "bench-bare",
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: FETCH_MAX_BYTES_PER_PARTITION,
    maxBytes: FETCH_MAX_BYTES,
  });
  const batchMs: number[] = [];
  let consumed = 0;
  let firstBatchAt: number | undefined;
  const meter = startPhaseMeter(services.pids);
  const subscribedAt = performance.now();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const startedAt = performance.now();
        firstBatchAt ??= startedAt;
        for (const message of batch.messages) {
          if (message.value) JSON.parse(message.value.toString("utf8"));
        }
        consumed += batch.messages.length;
        batchMs.push(performance.now() - startedAt);
      },
    });
    await waitUntil(phase, () => consumed >= messages, {
      timeoutMs,
      progress: () => `${consumed} of ${messages} messages consumed`,
    });
    const measurement = meter.finish(total);
    return measuredPhase(phase, total, measurement, {
      batches: batchMs.length,
      batchMs: percentiles(batchMs),
      firstBatchMs: firstBatchAt === undefined ? undefined : firstBatchAt - subscribedAt,
    });
  } finally {
    meter.abandon();
    await consumer.disconnect();
  }
}

/**
 * The same bare consume with @platformatic/kafka, the maintained alternative to kafkajs, on the same topic:
 * the number to beat before switching the worker's client.
 */
async function consumeBarePlatformatic({
  input,
  services,
  brokers,
  timeoutMs,
}: KafkaContext): Promise<PhaseResult> {
  const phase = "Kafka bare consume, @platformatic/kafka";
  const total = input.actionCount;
  const messages = input.messages.length;
  const consumer = new PlatformaticConsumer({
    groupId: "bench-bare-platformatic",
    clientId: CLIENT_ID,
    bootstrapBrokers: [brokers],
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
  });
  let consumed = 0;
  let firstMessageAt: number | undefined;
  const meter = startPhaseMeter(services.pids);
  const subscribedAt = performance.now();
  try {
    const stream = await consumer.consume({ topics: [TOPIC], mode: "earliest", autocommit: true });
    stream.on("data", (message: { value: Buffer | undefined }) => {
      firstMessageAt ??= performance.now();
      if (message.value) JSON.parse(message.value.toString("utf8"));
      consumed += 1;
    });
    await waitUntil(phase, () => consumed >= messages, {
      timeoutMs,
      progress: () => `${consumed} of ${messages} messages consumed`,
    });
    const measurement = meter.finish(total);
    await stream.close();
    return measuredPhase(phase, total, measurement, {
      firstBatchMs: firstMessageAt === undefined ? undefined : firstMessageAt - subscribedAt,
    });
  } finally {
    meter.abandon();
    await consumer.close(true);
  }
}

async function consumeIntoPostgres({
  input,
  services,
  brokers,
  timeoutMs,
}: KafkaContext): Promise<PhaseResult> {
  const phase = "Kafka → Postgres";
  const total = input.actionCount;
  const db = await services.freshDatabase("peaklight_bench_kafka");
  const transport = new KafkaTransport({ brokers: [brokers], clientId: CLIENT_ID, log: benchLog });
  const timed = timedAggregator(db, "bench-real", TOPIC);
  const meter = startPhaseMeter(services.pids);
  const subscribedAt = performance.now();
  let subscription: StreamSubscription | undefined;
  try {
    subscription = await transport.consume({
      groupId: "bench-real",
      topic: TOPIC,
      onBatch: timed.onBatch,
      onAssigned: timed.onAssigned,
    });
    await waitUntil(phase, () => timed.stored() >= total, {
      timeoutMs,
      progress: () => `${timed.stored()} of ${total} stored`,
      failed: () => timed.failure,
    });
    const measurement = meter.finish(total);
    await verifyStored(db, phase, total);
    const { stats } = timed.aggregator;
    return measuredPhase(phase, total, measurement, {
      batches: stats.batches,
      bucketWrites: stats.bucketWrites,
      batchMs: percentiles(timed.batchMs),
      firstBatchMs: timed.firstBatchAt === undefined ? undefined : timed.firstBatchAt - subscribedAt,
    });
  } finally {
    meter.abandon();
    await subscription?.stop();
    await transport.close();
  }
}
