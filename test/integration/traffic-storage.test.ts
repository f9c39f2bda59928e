// Storage that holds a whole games: raw buckets land in day partitions the worker creates, minute and hour
// rollups stay equal to the raw sums, retention drops old raw days but keeps their rollups, and chart reads
// pick the resolution that fits the range.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTRY_TOTAL_SPORT, encodeActions, type UserAction } from "../../server/stream/messages";
import type { StreamBatch } from "../../server/stream/transport";
import { TrafficAggregator } from "../../server/traffic/aggregator";
import { BucketPartitions, DAY_MS } from "../../server/traffic/partitions";
import { readCountrySeries } from "../../server/traffic/queries";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";

const log = pino({ level: "silent" });
const DAY1 = Date.UTC(2026, 6, 24);
let database: MigratedDatabase;

beforeAll(async () => {
  database = await createMigratedDatabase("storage_test");
});
afterAll(async () => {
  await database?.dispose();
});

/** One action per 10 s window at :05 for `hours` hours from `start`, for FR/athletics. */
function steadyActions(start: number, hours: number, perWindow: number): UserAction[] {
  const actions: UserAction[] = [];
  for (let t = start; t < start + hours * 3_600_000; t += 10_000) {
    for (let i = 0; i < perWindow; i++)
      actions.push({ v: 1, type: "page_view", country: "FR", sport: "athletics", ts: t + 5_000 });
  }
  return actions;
}

let nextOffset = 0;
function batchOf(actions: UserAction[]): StreamBatch {
  return {
    topic: "user-actions",
    partition: 0,
    records: encodeActions(actions, 100).map((m) => ({
      offset: String(nextOffset++),
      key: m.key,
      value: Buffer.from(m.value),
    })),
  };
}

describe("traffic storage", () => {
  it("writes each day into its own partition and keeps the rollups equal to the raw sums", async () => {
    const partitions = new BucketPartitions(database.db, log);
    const aggregator = new TrafficAggregator({
      db: database.db,
      consumerGroup: "storage",
      topic: "user-actions",
      windowSeconds: 10,
      allowedLatenessSeconds: 3 * 86_400,
      log,
      partitions,
    });
    // Two hours either side of two midnights: days 1, 2 and 3.
    await aggregator.handleBatch(batchOf(steadyActions(DAY1 + DAY_MS - 2 * 3_600_000, 4, 2)));
    await aggregator.handleBatch(batchOf(steadyActions(DAY1 + 2 * DAY_MS - 2 * 3_600_000, 4, 3)));

    expect((await partitions.days()).map((d) => (d - DAY1) / DAY_MS)).toEqual([0, 1, 2]);
    const perPartition = await database.db.$queryRaw<{ name: string; rows: bigint }[]>`
      SELECT tableoid::regclass::text AS name, count(*) AS rows FROM traffic_bucket
      WHERE sport = 'athletics' GROUP BY 1 ORDER BY 1`;
    expect(perPartition.map((p) => [p.name, Number(p.rows)])).toEqual([
      ["traffic_bucket_p20260724", 720],
      ["traffic_bucket_p20260725", 1_440],
      ["traffic_bucket_p20260726", 720],
    ]);
    // Per sport, and again in FR's country total (sport `all`), which here is its only sport.
    for (const sport of ["athletics", COUNTRY_TOTAL_SPORT]) {
      const sums = await database.db.$queryRaw<{ raw: bigint; minute: bigint; hour: bigint }[]>`
        SELECT (SELECT sum(actions) FROM traffic_bucket WHERE sport = ${sport}) AS raw,
               (SELECT sum(actions) FROM traffic_minute WHERE sport = ${sport}) AS minute,
               (SELECT sum(actions) FROM traffic_hour WHERE sport = ${sport}) AS hour`;
      expect(Number(sums[0]!.raw), sport).toBe(2 * 1_440 + 3 * 1_440);
      expect(Number(sums[0]!.minute), sport).toBe(Number(sums[0]!.raw));
      expect(Number(sums[0]!.hour), sport).toBe(Number(sums[0]!.raw));
    }
    const hour = await database.db.trafficHour.findFirst({
      where: { sport: "athletics", bucketStart: new Date(DAY1 + DAY_MS) },
    });
    expect(hour?.actions).toBe(2 * 360); // 360 windows of 2 actions in the hour after midnight
  });

  it("reads a day from minute rollups and a week from hour rollups, in steps of ~300 points", async () => {
    const day = await readCountrySeries(database.db, {
      country: "FR",
      from: DAY1 + DAY_MS,
      to: DAY1 + 2 * DAY_MS,
    });
    expect(day.resolution).toBe("minute");
    expect(day.stepSeconds).toBe(300);
    const dayAthletics = day.points.filter((p) => p.sport === "athletics");
    expect(dayAthletics).toHaveLength(4 * 12); // first two hours and last two hours of day 2, 5-minute steps
    expect(dayAthletics[0]).toEqual({ sport: "athletics", bucketStart: DAY1 + DAY_MS, actions: 30 * 2 });
    expect(dayAthletics.reduce((sum, p) => sum + p.actions, 0)).toBe(2 * 720 + 3 * 720);
    // The country total is one more series of the same query; FR has one sport here, so it is the same line.
    expect(day.points.filter((p) => p.sport === COUNTRY_TOTAL_SPORT)).toEqual(
      dayAthletics.map((p) => ({ ...p, sport: COUNTRY_TOTAL_SPORT })),
    );
    const week = await readCountrySeries(database.db, { country: "FR", from: DAY1, to: DAY1 + 7 * DAY_MS });
    expect(week.resolution).toBe("hour");
    expect(week.points.filter((p) => p.sport === "athletics")).toHaveLength(8);
    const hourRange = await readCountrySeries(database.db, {
      country: "FR",
      from: DAY1 + DAY_MS,
      to: DAY1 + DAY_MS + 3_600_000,
    });
    expect(hourRange.resolution).toBe("raw");
    expect(hourRange.stepSeconds).toBe(60);
    const hourAthletics = hourRange.points.filter((p) => p.sport === "athletics");
    expect(hourAthletics).toHaveLength(60);
    expect(hourAthletics[0]!.actions).toBe(6 * 2);
  });

  it("drops raw days past the retention, counted from the newest day, and keeps their rollups", async () => {
    const partitions = new BucketPartitions(database.db, log);
    const dropped = await partitions.dropExpired(1);
    expect(dropped).toEqual([DAY1]);
    expect((await partitions.days()).length).toBe(2);
    const raw = await database.db.trafficBucket.count({
      where: { bucketStart: { lt: new Date(DAY1 + DAY_MS) } },
    });
    expect(raw).toBe(0);
    const hours = await database.db.trafficHour.count({
      where: { sport: "athletics", bucketStart: { lt: new Date(DAY1 + DAY_MS) } },
    });
    expect(hours).toBe(2);
  });
});
