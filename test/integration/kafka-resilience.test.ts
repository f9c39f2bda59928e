// The stream on a real Kafka broker when things go wrong: a worker killed mid-stream, a broker restarted
// mid-stream, poison messages, out-of-order and too-late actions, and too-late actions reaching the worker
// that took a killed worker's partitions over. After each, the buckets in Postgres hold exactly what was
// produced — nothing lost, nothing counted twice, too-late actions counted as dropped.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startBroker } from "../../scripts/kafka/broker";
import { DemoTraffic } from "../../server/replay/demo-traffic";
import { KafkaTransport } from "../../server/stream/kafka-transport";
import {
  COUNTRY_TOTAL_SPORT,
  encodeActions,
  encodeUserAction,
  type UserAction,
} from "../../server/stream/messages";
import { bucketStartOf } from "../../server/traffic/windowing";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { startWorker, type WorkerProcess } from "../support/worker-process";

const quiet = pino({ level: "silent" });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function names() {
  const suffix = randomBytes(3).toString("hex");
  return {
    topic: `actions-${suffix}`,
    deadLetter: `actions-${suffix}.dead-letter`,
    group: `group-${suffix}`,
  };
}

/** A worker's environment for one test's database, broker, topic and group. */
function workerEnv(database: MigratedDatabase, brokers: string, topicNames: ReturnType<typeof names>) {
  return {
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_USER_ACTIONS: topicNames.topic,
    KAFKA_TOPIC_DEAD_LETTER: topicNames.deadLetter,
    KAFKA_GROUP_ID: topicNames.group,
  };
}

async function migratedDatabase(prefix: string): Promise<MigratedDatabase> {
  const database = await createMigratedDatabase(prefix);
  cleanups.push(() => database.dispose());
  return database;
}

function worker(env: Record<string, string>): WorkerProcess {
  const process_ = startWorker({ KAFKA_SESSION_TIMEOUT_MS: "6000", ...env });
  cleanups.push(() => process_.kill());
  return process_;
}

function actionsFor(seed: number, seconds: number): UserAction[] {
  const start = Date.UTC(2026, 6, 4, 18);
  return new DemoTraffic({ seed, actionsPerSecond: 1_000, startTime: start }).actionsBetween(
    start,
    start + seconds * 1_000,
  );
}

function countsOf(actions: UserAction[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of actions) {
    const key = `${a.country}|${a.sport}|${bucketStartOf(a.ts, 10_000)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Per country × sport buckets; the country totals (sport `all`) are checked apart. */
const perSport = { sport: { not: COUNTRY_TOTAL_SPORT } };

async function storedCounts(database: MigratedDatabase): Promise<Map<string, number>> {
  const rows = await database.db.trafficBucket.findMany({ where: perSport });
  return new Map(rows.map((r) => [`${r.country}|${r.sport}|${r.bucketStart.getTime()}`, r.actions]));
}

async function storedTotal(database: MigratedDatabase): Promise<number> {
  return (
    (await database.db.trafficBucket.aggregate({ where: perSport, _sum: { actions: true } }))._sum.actions ??
    0
  );
}

async function droppedTotal(database: MigratedDatabase): Promise<number> {
  return (await database.db.lateDrop.aggregate({ _sum: { actions: true } }))._sum.actions ?? 0;
}

/** Each country's total per window, as the sum of its sports' counts. */
function totalsOf(counts: Map<string, number>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const [key, actions] of counts) {
    const [country, , bucketStart] = key.split("|");
    const total = `${country}|${COUNTRY_TOTAL_SPORT}|${bucketStart}`;
    totals.set(total, (totals.get(total) ?? 0) + actions);
  }
  return totals;
}

async function storedTotals(database: MigratedDatabase): Promise<Map<string, number>> {
  const rows = await database.db.trafficBucket.findMany({ where: { sport: COUNTRY_TOTAL_SPORT } });
  return new Map(rows.map((r) => [`${r.country}|${r.sport}|${r.bucketStart.getTime()}`, r.actions]));
}

/**
 * Produces in chunks of ~1,000 actions (up to 10 per message), calling `between` after each chunk; returns
 * the number of messages.
 */
async function produce(
  transport: KafkaTransport,
  topic: string,
  actions: UserAction[],
  between: (produced: number) => Promise<void> = async () => undefined,
): Promise<number> {
  let messages = 0;
  for (let i = 0; i < actions.length; i += 1_000) {
    const chunk = encodeActions(actions.slice(i, i + 1_000), 10);
    await transport.send(topic, chunk);
    messages += chunk.length;
    await between(Math.min(i + 1_000, actions.length));
  }
  return messages;
}

describe("stream worker resilience on Kafka", () => {
  it("loses and double-counts nothing when one of two workers is killed -9 mid-stream and restarted", async () => {
    const brokers = process.env.TEST_KAFKA_BROKERS!;
    const topicNames = names();
    const { topic } = topicNames;
    const database = await migratedDatabase("kill9_test");
    const transport = new KafkaTransport({ brokers: [brokers], clientId: "kill9", log: quiet });
    cleanups.push(() => transport.close());
    await transport.ensureTopic(topic, 6);
    const env = workerEnv(database, brokers, topicNames);
    const first = worker(env);
    let second = worker(env);
    const actions = actionsFor(21, 120);
    let killed = false;
    await produce(transport, topic, actions, async (produced) => {
      if (!killed && produced >= actions.length / 3 && (await storedTotal(database)) > 0) {
        await second.kill(); // no goodbye to the group, possibly inside a transaction
        killed = true;
        second = worker(env);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(killed, "the kill happened mid-stream").toBe(true);

    await expect.poll(() => storedTotal(database), { timeout: 90_000, interval: 500 }).toBe(actions.length);
    expect(await storedCounts(database)).toEqual(countsOf(actions));
    expect(await storedTotals(database)).toEqual(totalsOf(countsOf(actions)));
    expect(first.child.exitCode).toBeNull();
    expect(await second.stop(), second.output()).toBe(0);
    expect(await first.stop(), first.output()).toBe(0);
  });

  it("counts nothing twice when the group's Kafka offsets are rewound (a lost or replayed commit)", async () => {
    const brokers = process.env.TEST_KAFKA_BROKERS!;
    const topicNames = names();
    const { topic, group } = topicNames;
    const database = await migratedDatabase("rewind_test");
    const transport = new KafkaTransport({ brokers: [brokers], clientId: "rewind", log: quiet });
    cleanups.push(() => transport.close());
    await transport.ensureTopic(topic, 3);
    const env = workerEnv(database, brokers, topicNames);
    const actions = actionsFor(23, 30);
    const messages = await produce(transport, topic, actions);
    const first = worker(env);
    await expect.poll(() => storedTotal(database), { timeout: 60_000 }).toBe(actions.length);
    expect(await first.stop(), first.output()).toBe(0);

    const admin = new Kafka({
      brokers: [brokers],
      clientId: "rewind-admin",
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await admin.resetOffsets({ groupId: group, topic, earliest: true });
    const committed = async () =>
      (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions.reduce(
        (sum, p) => sum + Math.max(0, Number(p.offset)),
        0,
      );
    expect(await committed()).toBe(0);

    const second = worker(env);
    // The redelivered records are read again (Kafka's commit moves back to the end) but not counted.
    await expect.poll(committed, { timeout: 60_000 }).toBe(messages);
    expect(await storedCounts(database)).toEqual(countsOf(actions));
    expect(await second.stop(), second.output()).toBe(0);
  });

  it("loses nothing when the broker restarts mid-stream", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "peaklight-broker-restart-"));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    let broker = await startBroker({ dataDir, partitionsForOffsetsTopic: 3 });
    cleanups.push(() => broker.stop());
    const topicNames = names();
    const { topic } = topicNames;
    const database = await migratedDatabase("broker_restart_test");
    const actions = actionsFor(22, 60);
    const half = Math.floor(actions.length / 2);

    const before = new KafkaTransport({ brokers: [broker.brokers], clientId: "restart-a", log: quiet });
    await before.ensureTopic(topic, 3);
    const running = worker(workerEnv(database, broker.brokers, topicNames));
    await produce(before, topic, actions.slice(0, half));
    await before.close();
    await expect.poll(() => storedTotal(database), { timeout: 60_000 }).toBeGreaterThan(0);

    await broker.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    broker = await startBroker({ dataDir });
    const after = new KafkaTransport({ brokers: [broker.brokers], clientId: "restart-b", log: quiet });
    cleanups.push(() => after.close());
    await produce(after, topic, actions.slice(half));

    await expect.poll(() => storedTotal(database), { timeout: 120_000, interval: 500 }).toBe(actions.length);
    expect(await storedCounts(database)).toEqual(countsOf(actions));
    expect(running.child.exitCode, running.output()).toBeNull();
    expect(await running.stop(), running.output()).toBe(0);
  });

  it("sends poison messages to the dead-letter topic, counts late actions, and keeps flowing", async () => {
    const brokers = process.env.TEST_KAFKA_BROKERS!;
    const topicNames = names();
    const { topic, deadLetter, group } = topicNames;
    const database = await migratedDatabase("poison_test");
    const transport = new KafkaTransport({ brokers: [brokers], clientId: "poison", log: quiet });
    cleanups.push(() => transport.close());
    await transport.ensureTopic(topic, 3);
    const t0 = Date.UTC(2026, 6, 5, 12);
    const action = (ts: number): UserAction => ({
      v: 1,
      type: "page_view",
      country: "NO",
      sport: "rowing",
      ts,
    });
    // One key, so one partition and a defined order: 100 s, then out-of-order 85 s (within 20 s lateness),
    // then 40 s and 41 s (too late), with poison in between, then more good traffic.
    await transport.send(topic, [
      { key: "NO|rowing", value: encodeUserAction(action(t0 + 100_000)) },
      { key: "NO|rowing", value: "{not json" },
      { key: "NO|rowing", value: encodeUserAction(action(t0 + 85_000)) },
      { key: "NO|rowing", value: JSON.stringify({ ...action(t0), country: "Norway" }) },
      { key: "NO|rowing", value: encodeUserAction(action(t0 + 40_000)) },
      { key: "NO|rowing", value: encodeUserAction(action(t0 + 41_000)) },
      ...encodeActions([action(t0 + 101_000), action(t0 + 102_000)], 10),
    ]);
    const running = worker({ ...workerEnv(database, brokers, topicNames), ALLOWED_LATENESS_SECONDS: "20" });

    await expect.poll(() => storedTotal(database), { timeout: 60_000 }).toBe(4);
    const buckets = await database.db.trafficBucket.findMany({
      where: perSport,
      orderBy: { bucketStart: "asc" },
    });
    expect(buckets.map((b) => [b.bucketStart.getTime() - t0, b.actions])).toEqual([
      [80_000, 1],
      [100_000, 3],
    ]);
    await expect.poll(async () => (await database.db.lateDrop.findMany()).map((l) => l.actions)).toEqual([2]);

    const kafka = new Kafka({ brokers: [brokers], clientId: "dlq-reader", logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `dlq-${group}` });
    cleanups.push(() => reader.disconnect());
    await reader.connect();
    await reader.subscribe({ topic: deadLetter, fromBeginning: true });
    const parked: { value: string; reason: string; offset: string }[] = [];
    await reader.run({
      eachMessage: async ({ message }) => {
        parked.push({
          value: message.value?.toString() ?? "",
          reason: message.headers?.reason?.toString() ?? "",
          offset: message.headers?.["source-offset"]?.toString() ?? "",
        });
      },
    });
    await expect.poll(() => parked.length, { timeout: 30_000 }).toBe(2);
    expect(parked.map((p) => p.offset).sort()).toEqual(["1", "3"]);
    expect(parked.find((p) => p.value === "{not json")?.reason).toMatch(/not JSON/);
    expect(parked.find((p) => p.value.includes("Norway"))?.reason).toMatch(/country: expected an ISO 3166-1/);
    expect(await database.db.streamDeadLetter.count()).toBe(2);
    expect(await running.stop(), running.output()).toBe(0);
  });

  it("counts as dropped the too-late actions that reach the worker which took a killed worker's partitions over", async () => {
    const brokers = process.env.TEST_KAFKA_BROKERS!;
    const topicNames = names();
    const { topic, group } = topicNames;
    const database = await migratedDatabase("takeover_late_test");
    const transport = new KafkaTransport({ brokers: [brokers], clientId: "takeover", log: quiet });
    cleanups.push(() => transport.close());
    await transport.ensureTopic(topic, 3);
    const env = { ...workerEnv(database, brokers, topicNames), ALLOWED_LATENESS_SECONDS: "20" };
    const start = Date.UTC(2026, 6, 4, 18);
    const onTime = actionsFor(24, 200);
    await produce(transport, topic, onTime);

    // Worker A counts everything, which makes every window ending 20 s before the last action final.
    const first = worker(env);
    await expect.poll(() => storedTotal(database), { timeout: 60_000, interval: 250 }).toBe(onTime.length);
    const offsets = await database.db.streamOffset.findMany({ where: { consumerGroup: group } });
    expect(offsets).toHaveLength(3);
    for (const offset of offsets) expect(offset.maxEventTime!.getTime()).toBeGreaterThan(start + 190_000);
    await first.kill(); // -9: no goodbye to the group; its partitions move after the session timeout

    // Then, per series, an action for a window A closed long ago, and one still within the lateness.
    const series = [...new Map(onTime.map((a) => [`${a.country}|${a.sport}`, a])).values()];
    const tooLate = series.map((a): UserAction => ({ ...a, type: "share", ts: start + 30_000 }));
    const inTime = series.map((a): UserAction => ({ ...a, type: "share", ts: start + 195_000 }));
    // Too-late first: a worker without A's watermark would count them before it saw anything newer.
    await produce(transport, topic, tooLate);
    await produce(transport, topic, inTime);
    const second = worker(env);

    const produced = onTime.length + tooLate.length + inTime.length;
    await expect
      .poll(async () => (await storedTotal(database)) + (await droppedTotal(database)), {
        timeout: 90_000,
        interval: 500,
      })
      .toBe(produced);
    expect(await droppedTotal(database)).toBe(tooLate.length);
    const late = await database.db.lateDrop.findMany();
    expect(new Set(late.map((l) => l.bucketStart.getTime() - start))).toEqual(new Set([30_000]));
    expect(await storedCounts(database)).toEqual(countsOf([...onTime, ...inTime]));
    expect(await storedTotals(database)).toEqual(totalsOf(countsOf([...onTime, ...inTime])));
    expect(await second.stop(), second.output()).toBe(0);
  });

  it("reads a partition again from a batch whose store failed, while later batches were already fetched", async () => {
    const brokers = process.env.TEST_KAFKA_BROKERS!;
    const topicNames = names();
    const { topic } = topicNames;
    const database = await migratedDatabase("store_failure_test");
    // Postgres refuses the first write that takes partition 0 past offset 300, once (a sequence is not
    // rolled back with the transaction), as a lost connection or a failover would.
    await database.db.$executeRawUnsafe("CREATE SEQUENCE injected_failure");
    await database.db.$executeRawUnsafe(`
      CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.partition = 0 AND NEW.next_offset > 300 AND nextval('injected_failure') = 1 THEN
          RAISE EXCEPTION 'injected failure';
        END IF;
        RETURN NEW;
      END $$`);
    await database.db.$executeRawUnsafe(`
      CREATE TRIGGER fail_once BEFORE INSERT OR UPDATE ON stream_offset
      FOR EACH ROW EXECUTE FUNCTION fail_once()`);
    const transport = new KafkaTransport({ brokers: [brokers], clientId: "store-failure", log: quiet });
    cleanups.push(() => transport.close());
    await transport.ensureTopic(topic, 3);
    const running = worker(workerEnv(database, brokers, topicNames));
    const actions = actionsFor(25, 90);
    // Produced while the worker runs, so it handles many small batches, several in flight at once.
    await produce(transport, topic, actions, () => new Promise((resolve) => setTimeout(resolve, 30)));

    await expect.poll(() => storedTotal(database), { timeout: 90_000, interval: 500 }).toBe(actions.length);
    expect(await storedCounts(database)).toEqual(countsOf(actions));
    expect(await storedTotals(database)).toEqual(totalsOf(countsOf(actions)));
    const [failures] = await database.db.$queryRawUnsafe<{ last_value: bigint }[]>(
      "SELECT last_value FROM injected_failure",
    );
    expect(Number(failures!.last_value), "the failure was injected").toBeGreaterThanOrEqual(1);
    expect(running.output()).toContain("reading the partition again from it");
    expect(running.child.exitCode, running.output()).toBeNull();
    expect(await running.stop(), running.output()).toBe(0);
  });
});
