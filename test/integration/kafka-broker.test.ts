// The local Kafka broker (scripts/kafka/broker.ts) keeps every keyed message through a SIGTERM and a restart.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Kafka, Partitioners, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  brokerStatus,
  startBroker,
  waitForGroupCoordinator,
  type RunningBroker,
} from "../../scripts/kafka/broker";

const topic = "kafka-broker-test";
const messageCount = 1_000;
const keyCount = 50;

interface Received {
  key: string;
  seq: number;
  partition: number;
}

let dataDir: string;
let broker: RunningBroker | undefined;

async function start(): Promise<RunningBroker> {
  broker = await startBroker({ dataDir, partitionsForOffsetsTopic: 3, heapMb: 384 });
  await waitForGroupCoordinator(broker.brokers);
  return broker;
}

function running(): RunningBroker {
  if (!broker) throw new Error("the broker did not start; see beforeAll");
  return broker;
}

function client(brokers: string): Kafka {
  return new Kafka({ clientId: "kafka-broker-test", brokers: [brokers], logLevel: logLevel.WARN });
}

/** Reads `topic` from the beginning with a fresh consumer group until `messageCount` messages arrived. */
async function consumeAll(brokers: string, groupId: string): Promise<Received[]> {
  const consumer = client(brokers).consumer({ groupId });
  const received: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length} of ${messageCount} messages arrived in 30 s`)),
        30_000,
      );
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const seq = Number(message.value?.toString());
          received.push({ key: message.key?.toString() ?? "", seq, partition });
          if (received.length >= messageCount) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

function expectEveryMessageOnce(received: Received[]): void {
  expect(received).toHaveLength(messageCount);
  const seqs = received.map((r) => r.seq).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: messageCount }, (_, i) => i));
  for (const { key, seq } of received) expect(key).toBe(`viewer-${seq % keyCount}`);
  // One key, one partition: that is what keeps a viewer's actions in order.
  const partitionOfKey = new Map<string, Set<number>>();
  for (const { key, partition } of received)
    partitionOfKey.set(key, (partitionOfKey.get(key) ?? new Set()).add(partition));
  expect([...partitionOfKey.values()].every((partitions) => partitions.size === 1)).toBe(true);
  expect(new Set(received.map((r) => r.partition)).size).toBe(3);
}

describe("local Kafka broker", () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "peaklight-kafka-"));
    await start();
  }, 180_000); // The first run downloads the jars (~5 s) before the ~5 s start.

  afterAll(async () => {
    await broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it("delivers 1,000 keyed messages to a consumer group", async () => {
    const kafka = client(running().brokers);
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(
      true,
    );
    await admin.disconnect();

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: messageCount }, (_, seq) => ({
        key: `viewer-${seq % keyCount}`,
        value: String(seq),
      })),
    });
    await producer.disconnect();

    expectEveryMessageOnce(await consumeAll(running().brokers, "kafka-broker-test-first"));
  }, 60_000);

  it("keeps the messages and committed offsets through SIGTERM and a restart", async () => {
    const { brokers, pid } = running();
    await running().stop();
    expect(() => process.kill(pid, 0)).toThrow();
    expect((await brokerStatus(dataDir)).running).toBe(false);

    const restarted = await start();
    expect(restarted.brokers).toBe(brokers); // broker.json keeps the port

    const admin = client(restarted.brokers).admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: "kafka-broker-test-first", topics: [topic] });
    await admin.disconnect();
    const committedTotal = committed[0]!.partitions.reduce((sum, { offset }) => sum + Number(offset), 0);
    expect(committedTotal).toBe(messageCount);

    expectEveryMessageOnce(await consumeAll(restarted.brokers, "kafka-broker-test-after-restart"));
  }, 90_000);
});
