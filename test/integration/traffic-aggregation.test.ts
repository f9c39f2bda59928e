// The aggregation step against a real Postgres: counts land in event-time buckets exactly once, bad messages
// are parked with a reason, too-late actions are counted, and a redelivered batch changes nothing.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoTraffic } from "../../server/replay/demo-traffic";
import { InProcessTransport } from "../../server/stream/inproc-transport";
import { encodeUserAction, userActionKey, type UserAction } from "../../server/stream/messages";
import type { StreamBatch } from "../../server/stream/transport";
import { TrafficAggregator } from "../../server/traffic/aggregator";
import { bucketStartOf } from "../../server/traffic/windowing";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";

const log = pino({ level: "silent" });
const START = Date.UTC(2026, 6, 1, 18);
let database: MigratedDatabase;

beforeAll(async () => {
  database = await createMigratedDatabase("aggregation_test");
});
afterAll(async () => {
  await database?.dispose();
});

function expectedCounts(actions: UserAction[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of actions) {
    const key = `${a.country}|${a.sport}|${bucketStartOf(a.ts, 10_000)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function storedCounts(): Promise<Map<string, number>> {
  const rows = await database.db.trafficBucket.findMany();
  return new Map(rows.map((r) => [`${r.country}|${r.sport}|${r.bucketStart.getTime()}`, r.actions]));
}

function newAggregator(consumerGroup: string, allowedLatenessSeconds = 30) {
  return new TrafficAggregator({
    db: database.db,
    consumerGroup,
    topic: "user-actions",
    windowSeconds: 10,
    allowedLatenessSeconds,
    log,
  });
}

describe("traffic aggregation into Postgres", () => {
  it("stores exactly the produced counts per country, sport and window, and parks poison messages", async () => {
    await database.db.trafficBucket.deleteMany();
    const actions = new DemoTraffic({ seed: 11, actionsPerSecond: 150, startTime: START }).actionsBetween(
      START,
      START + 60_000,
    );
    const transport = new InProcessTransport();
    await transport.ensureTopic("user-actions", 3);
    const aggregator = newAggregator("agg-1");
    const subscription = await transport.consume({
      groupId: "agg-1",
      topic: "user-actions",
      onBatch: (batch) => aggregator.handleBatch(batch),
    });
    await transport.send(
      "user-actions",
      actions.map((a) => ({ key: userActionKey(a), value: encodeUserAction(a) })),
    );
    await transport.send("user-actions", [
      { key: "FR|athletics", value: "{oops" },
      {
        key: "FR|athletics",
        value: JSON.stringify({ v: 1, type: "page_view", country: "france", sport: "athletics", ts: START }),
      },
    ]);
    await expect
      .poll(() => aggregator.stats.actions + aggregator.stats.deadLetters, { timeout: 30_000 })
      .toBe(actions.length + 2);
    await subscription.stop();

    expect(await storedCounts()).toEqual(expectedCounts(actions));
    const letters = await database.db.streamDeadLetter.findMany({ orderBy: { id: "asc" } });
    expect(letters.map((l) => l.payload)).toContain("{oops");
    expect(letters.map((l) => l.reason).join("\n")).toMatch(/not JSON/);
    expect(letters.map((l) => l.reason).join("\n")).toMatch(/country: expected an ISO 3166-1 alpha-2 code/);
    const offsets = await database.db.streamOffset.findMany({ where: { consumerGroup: "agg-1" } });
    const stored = offsets.reduce((sum, o) => sum + Number(o.nextOffset), 0);
    expect(stored).toBe(actions.length + 2);
  });

  it("does not count a batch twice when it is delivered again, even after a restart", async () => {
    await database.db.trafficBucket.deleteMany();
    const actions: UserAction[] = Array.from({ length: 50 }, (_, i) => ({
      v: 1,
      type: "video_start",
      country: "KE",
      sport: "athletics",
      ts: START + i * 100,
    }));
    const batch: StreamBatch = {
      topic: "user-actions",
      partition: 0,
      records: actions.map((a, i) => ({
        offset: String(i),
        key: userActionKey(a),
        value: Buffer.from(encodeUserAction(a)),
      })),
    };
    const first = newAggregator("agg-2");
    await first.handleBatch(batch);
    await first.handleBatch(batch); // e.g. the broker redelivers after a lost commit
    const restarted = newAggregator("agg-2");
    await restarted.handleBatch(batch);
    // A batch that overlaps what was counted: only the new tail counts.
    const overlap: StreamBatch = {
      ...batch,
      records: [
        ...batch.records.slice(40),
        {
          offset: "50",
          key: "KE|athletics",
          value: Buffer.from(encodeUserAction({ ...actions[0]!, ts: START + 9_000 })),
        },
      ],
    };
    await restarted.handleBatch(overlap);

    const rows = await database.db.trafficBucket.findMany({ where: { country: "KE" } });
    expect(rows.reduce((sum, r) => sum + r.actions, 0)).toBe(51);
    expect(rows.reduce((sum, r) => sum + r.videoStarts, 0)).toBe(51);
    expect(restarted.stats.skippedAlreadyCounted).toBe(60);
  });

  it("counts actions older than the allowed lateness as dropped-late per window", async () => {
    await database.db.trafficBucket.deleteMany();
    const at = (offset: number, ts: number): StreamBatch["records"][number] => ({
      offset: String(offset),
      key: "JP|swimming",
      value: Buffer.from(encodeUserAction({ v: 1, type: "share", country: "JP", sport: "swimming", ts })),
    });
    const aggregator = newAggregator("agg-3", 20);
    await aggregator.handleBatch({
      topic: "user-actions",
      partition: 1,
      records: [at(0, START + 100_000), at(1, START + 85_000), at(2, START + 40_000), at(3, START + 41_000)],
    });
    const buckets = await database.db.trafficBucket.findMany({
      where: { country: "JP" },
      orderBy: { bucketStart: "asc" },
    });
    expect(buckets.map((b) => [b.bucketStart.getTime() - START, b.actions])).toEqual([
      [80_000, 1],
      [100_000, 1],
    ]);
    const late = await database.db.lateDrop.findMany({ where: { country: "JP" } });
    expect(late.map((l) => [l.bucketStart.getTime() - START, l.actions])).toEqual([[40_000, 2]]);
    expect(aggregator.stats.lateActions).toBe(2);
  });
});
