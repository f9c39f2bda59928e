// The foundation slice on a real Apache Kafka broker: a replay is produced into a 3-partition topic, the real
// stream worker process consumes it as a consumer group, and the buckets in Postgres equal what was produced.
import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoTraffic } from "../../server/replay/demo-traffic";
import { KafkaTransport } from "../../server/stream/kafka-transport";
import { COUNTRY_TOTAL_SPORT, encodeUserAction, userActionKey } from "../../server/stream/messages";
import { bucketStartOf } from "../../server/traffic/windowing";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { startWorker, type WorkerProcess } from "../support/worker-process";

const START = Date.UTC(2026, 6, 3, 19);
/** Per country × sport buckets, without the country totals (sport `all`). */
const perSport = { sport: { not: COUNTRY_TOTAL_SPORT } };
let database: MigratedDatabase;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  database = await createMigratedDatabase("kafka_slice_test");
});
afterAll(async () => {
  await worker?.kill();
  await database?.dispose();
});

describe("stream worker on Kafka", () => {
  it("aggregates a replay from a 3-partition topic into exactly the produced bucket counts", async () => {
    const brokers = process.env.TEST_KAFKA_BROKERS!;
    const suffix = randomBytes(3).toString("hex");
    const topic = `user-actions-${suffix}`;
    const groupId = `slice-${suffix}`;
    const transport = new KafkaTransport({
      brokers: [brokers],
      clientId: "slice-test",
      log: pino({ level: "warn" }),
    });
    await transport.ensureTopic(topic, 3);

    const actions = new DemoTraffic({ seed: 5, actionsPerSecond: 250, startTime: START }).actionsBetween(
      START,
      START + 120_000,
    );
    for (let i = 0; i < actions.length; i += 2_000) {
      await transport.send(
        topic,
        actions.slice(i, i + 2_000).map((a) => ({ key: userActionKey(a), value: encodeUserAction(a) })),
      );
    }
    await transport.close();

    worker = startWorker({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_USER_ACTIONS: topic,
      KAFKA_TOPIC_DEAD_LETTER: `${topic}.dead-letter`,
      KAFKA_GROUP_ID: groupId,
      KAFKA_TOPIC_PARTITIONS: "3",
    });

    const total = async () =>
      (await database.db.trafficBucket.aggregate({ where: perSport, _sum: { actions: true } }))._sum
        .actions ?? 0;
    await expect
      .poll(total, { timeout: 90_000, interval: 500, message: "worker did not store every produced action" })
      .toBe(actions.length);

    const expected = new Map<string, number>();
    for (const a of actions) {
      const key = `${a.country}|${a.sport}|${bucketStartOf(a.ts, 10_000)}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const rows = await database.db.trafficBucket.findMany({ where: perSport });
    expect(
      new Map(rows.map((r) => [`${r.country}|${r.sport}|${r.bucketStart.getTime()}`, r.actions])),
    ).toEqual(expected);
    const offsets = await database.db.streamOffset.findMany({ where: { consumerGroup: groupId, topic } });
    expect(offsets.map((o) => o.partition).sort()).toEqual([0, 1, 2]);
    expect(offsets.reduce((sum, o) => sum + Number(o.nextOffset), 0)).toBe(actions.length);

    expect(await worker.stop(), worker.output()).toBe(0);
  });
});
