// The aggregation step against a real Postgres: counts land in event-time buckets exactly once, bad messages
// are parked with a reason, too-late actions are counted, a redelivered batch changes nothing, a worker that
// takes a partition over resumes its watermark, and each country's total equals the sum over its sports.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoTraffic } from "../../server/replay/demo-traffic";
import { InProcessTransport } from "../../server/stream/inproc-transport";
import {
  COUNTRY_TOTAL_SPORT,
  encodeActions,
  encodeUserAction,
  userActionKey,
  type UserAction,
} from "../../server/stream/messages";
import type { StreamBatch } from "../../server/stream/transport";
import { TrafficAggregator, type CommittedBatch } from "../../server/traffic/aggregator";
import { rewindOffsetsKeepingEventTime, StaleOffsetError } from "../../server/traffic/bucket-store";
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
  const rows = await database.db.trafficBucket.findMany({ where: { sport: { not: COUNTRY_TOTAL_SPORT } } });
  return new Map(rows.map((r) => [`${r.country}|${r.sport}|${r.bucketStart.getTime()}`, r.actions]));
}

function newAggregator(
  consumerGroup: string,
  allowedLatenessSeconds = 30,
  afterCommit?: (committed: CommittedBatch) => Promise<void>,
) {
  return new TrafficAggregator({
    db: database.db,
    consumerGroup,
    topic: "user-actions",
    windowSeconds: 10,
    allowedLatenessSeconds,
    log,
    afterCommit,
  });
}

/** Rows of one table whose country total differs from the sum over its sports (should be none). */
async function totalsOffBySum(table: "traffic_bucket" | "traffic_minute" | "traffic_hour") {
  // The table name comes from the literal union above, never from input.
  return database.db.$queryRawUnsafe<{ country: string; bucket_start: Date }[]>(`
    SELECT country, bucket_start FROM ${table}
    GROUP BY country, bucket_start
    HAVING sum(actions) FILTER (WHERE sport = '${COUNTRY_TOTAL_SPORT}')
             IS DISTINCT FROM sum(actions) FILTER (WHERE sport <> '${COUNTRY_TOTAL_SPORT}')
        OR sum(page_views) FILTER (WHERE sport = '${COUNTRY_TOTAL_SPORT}')
             IS DISTINCT FROM sum(page_views) FILTER (WHERE sport <> '${COUNTRY_TOTAL_SPORT}')
        OR sum(shares) FILTER (WHERE sport = '${COUNTRY_TOTAL_SPORT}')
             IS DISTINCT FROM sum(shares) FILTER (WHERE sport <> '${COUNTRY_TOTAL_SPORT}')`);
}

const recordOf = (offset: number, action: UserAction): StreamBatch["records"][number] => ({
  offset: String(offset),
  key: userActionKey(action),
  value: Buffer.from(encodeUserAction(action)),
});

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

    const rows = await database.db.trafficBucket.findMany({
      where: { country: "KE", sport: { not: COUNTRY_TOTAL_SPORT } },
    });
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
      where: { country: "JP", sport: "swimming" },
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

  it("resumes a partition's stored watermark when another worker takes it over", async () => {
    await database.db.trafficBucket.deleteMany();
    const action = (ts: number): UserAction => ({
      v: 1,
      type: "page_view",
      country: "BR",
      sport: "judo",
      ts,
    });
    const first = newAggregator("agg-takeover", 20);
    await first.handleBatch({
      topic: "user-actions",
      partition: 2,
      records: [recordOf(0, action(START + 100_000))],
    });
    const stored = await database.db.streamOffset.findFirstOrThrow({
      where: { consumerGroup: "agg-takeover" },
    });
    expect(stored.maxEventTime?.getTime()).toBe(START + 100_000);

    // The first worker is gone; the next one starts with nothing in memory.
    const committed: CommittedBatch[] = [];
    const second = newAggregator("agg-takeover", 20, async (batch) => void committed.push(batch));
    second.onAssigned([2]);
    await second.handleBatch({
      topic: "user-actions",
      partition: 2,
      records: [recordOf(1, action(START + 40_000)), recordOf(2, action(START + 85_000))],
    });
    expect(second.stats.lateActions).toBe(1);
    const late = await database.db.lateDrop.findMany({ where: { country: "BR" } });
    expect(late.map((l) => [l.bucketStart.getTime() - START, l.actions])).toEqual([[40_000, 1]]);
    const buckets = await database.db.trafficBucket.findMany({
      where: { country: "BR", sport: "judo" },
      orderBy: { bucketStart: "asc" },
    });
    expect(buckets.map((b) => [b.bucketStart.getTime() - START, b.actions])).toEqual([
      [80_000, 1],
      [100_000, 1],
    ]);
    // Detection hears the resumed watermark and never the country total.
    expect(committed.map((c) => [c.watermark - START, c.series])).toEqual([
      [80_000, [{ country: "BR", sport: "judo" }]],
    ]);
  });

  it("keeps the watermark when the in-process stream restarts from offset 0", async () => {
    const action = (ts: number): UserAction => ({ v: 1, type: "share", country: "CA", sport: "curling", ts });
    const before = newAggregator("agg-inproc-restart", 20);
    await before.handleBatch({
      topic: "user-actions",
      partition: 0,
      records: [recordOf(0, action(START + 100_000))],
    });
    // A new process: a new, empty in-process log whose offsets start at 0 again.
    await rewindOffsetsKeepingEventTime(database.db, "agg-inproc-restart", "user-actions");
    const after = newAggregator("agg-inproc-restart", 20);
    await after.handleBatch({
      topic: "user-actions",
      partition: 0,
      records: [recordOf(0, action(START + 40_000))],
    });
    expect(after.stats).toMatchObject({ actions: 0, lateActions: 1, skippedAlreadyCounted: 0 });
  });

  it("writes nothing when another worker moved the partition's offset since this one read it", async () => {
    const action = (ts: number): UserAction => ({ v: 1, type: "share", country: "PL", sport: "rowing", ts });
    const stale = newAggregator("agg-fence");
    await stale.handleBatch({ topic: "user-actions", partition: 0, records: [recordOf(0, action(START))] });
    // Meanwhile the partition went to another worker, which counted offset 1.
    const owner = newAggregator("agg-fence");
    await owner.handleBatch({ topic: "user-actions", partition: 0, records: [recordOf(1, action(START))] });
    // The stale worker still believes offset 1 is next: its write is refused, not counted twice.
    await expect(
      stale.handleBatch({ topic: "user-actions", partition: 0, records: [recordOf(1, action(START))] }),
    ).rejects.toBeInstanceOf(StaleOffsetError);
    // Redelivered after the failure, it reloads from Postgres and skips what the owner counted.
    await stale.handleBatch({ topic: "user-actions", partition: 0, records: [recordOf(1, action(START))] });
    const rows = await database.db.trafficBucket.findMany({ where: { country: "PL", sport: "rowing" } });
    expect(rows.map((r) => r.actions)).toEqual([2]);
    expect(stale.stats.skippedAlreadyCounted).toBe(1);
  });

  it("keeps each country's total (sport all) equal to the sum over its sports, raw and in rollups", async () => {
    await database.db.$executeRawUnsafe("TRUNCATE traffic_bucket, traffic_minute, traffic_hour");
    const actions = new DemoTraffic({ seed: 12, actionsPerSecond: 300, startTime: START }).actionsBetween(
      START,
      START + 150_000,
    );
    const transport = new InProcessTransport();
    await transport.ensureTopic("user-actions", 3);
    const committed: CommittedBatch[] = [];
    const aggregator = newAggregator("agg-totals", 30, async (batch) => void committed.push(batch));
    const subscription = await transport.consume({
      groupId: "agg-totals",
      topic: "user-actions",
      onBatch: (batch) => aggregator.handleBatch(batch),
      onAssigned: (partitions) => aggregator.onAssigned(partitions),
    });
    // Three partitions commit concurrently, each adding to the same country totals.
    for (let i = 0; i < actions.length; i += 500)
      await transport.send("user-actions", encodeActions(actions.slice(i, i + 500), 20));
    await expect
      .poll(() => aggregator.stats.actions + aggregator.stats.lateActions, { timeout: 30_000 })
      .toBe(actions.length);
    await subscription.stop();

    for (const table of ["traffic_bucket", "traffic_minute", "traffic_hour"] as const)
      expect(await totalsOffBySum(table), table).toEqual([]);
    const totals = await database.db.trafficBucket.aggregate({
      where: { sport: COUNTRY_TOTAL_SPORT },
      _sum: { actions: true },
    });
    expect(totals._sum.actions).toBe(aggregator.stats.actions);
    const countries = new Set(actions.map((a) => a.country));
    const totalSeries = await database.db.trafficBucket.groupBy({
      by: ["country"],
      where: { sport: COUNTRY_TOTAL_SPORT },
    });
    expect(totalSeries.map((row) => row.country).sort()).toEqual([...countries].sort());
    expect(committed.flatMap((c) => c.series).some((s) => s.sport === COUNTRY_TOTAL_SPORT)).toBe(false);
  });
});
