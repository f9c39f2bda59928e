// Where a replay sends its actions: a Kafka topic (the brokers of KAFKA_BROKERS), or an in-process stream
// that this process aggregates into Postgres itself when DATABASE_URL is set (and only counts otherwise).
import type { Logger } from "pino";
import type { Config } from "../config/env";
import { createDb, type Db } from "../db/client";
import { InProcessTransport } from "../stream/inproc-transport";
import { KafkaTransport } from "../stream/kafka-transport";
import type { OutgoingMessage, StreamSubscription } from "../stream/transport";
import { TrafficAggregator } from "../traffic/aggregator";
import { resetOffsets } from "../traffic/bucket-store";

export type ReplayTargetKind = "kafka" | "inproc";

export interface ReplayTarget {
  kind: ReplayTargetKind;
  topic: string;
  /** True when what is sent ends up in Postgres traffic buckets within this process. */
  aggregating: boolean;
  send(messages: OutgoingMessage[]): Promise<void>;
  /** Waits until everything sent is stored (in-process), then closes the stream and database. */
  close(): Promise<void>;
}

const REPLAY_GROUP = "peaklight-replay";

export async function openReplayTarget(
  config: Config,
  kind: ReplayTargetKind,
  topic: string,
  log: Logger,
): Promise<ReplayTarget> {
  if (kind === "kafka") {
    if (!config.KAFKA_BROKERS) throw new Error("--to kafka needs KAFKA_BROKERS (host:port[,host:port…])");
    const transport = new KafkaTransport({
      brokers: config.KAFKA_BROKERS.split(","),
      clientId: config.KAFKA_CLIENT_ID,
      log,
    });
    await transport.ensureTopic(topic, config.KAFKA_TOPIC_PARTITIONS);
    return {
      kind,
      topic,
      aggregating: false,
      send: (m) => transport.send(topic, m),
      close: () => transport.close(),
    };
  }
  const transport = new InProcessTransport();
  await transport.ensureTopic(topic, config.KAFKA_TOPIC_PARTITIONS);
  let db: Db | undefined;
  let subscription: StreamSubscription | undefined;
  if (config.DATABASE_URL) {
    const database = createDb(config.DATABASE_URL, 4);
    db = database;
    await resetOffsets(database, REPLAY_GROUP, topic);
    const aggregator = new TrafficAggregator({
      db: database,
      consumerGroup: REPLAY_GROUP,
      topic,
      windowSeconds: config.BUCKET_SECONDS,
      allowedLatenessSeconds: config.ALLOWED_LATENESS_SECONDS,
      log,
    });
    subscription = await transport.consume({
      groupId: REPLAY_GROUP,
      topic,
      onBatch: (batch) => aggregator.handleBatch(batch),
      onAssigned: (partitions) => aggregator.onAssigned(partitions),
    });
  }
  return {
    kind,
    topic,
    aggregating: db !== undefined,
    send: async (messages) => {
      await transport.send(topic, messages);
      // Back-pressure: do not run ahead of the aggregator by more than a few batches.
      while (subscription && transport.lag(topic) > 5_000) await new Promise((r) => setTimeout(r, 20));
    },
    close: async () => {
      while (subscription && transport.lag(topic) > 0) await new Promise((r) => setTimeout(r, 50));
      await subscription?.stop();
      await transport.close();
      await db?.$disconnect();
    },
  };
}
