// Reads for the live view: the traffic window a chart starts from, and the changes since a live client's
// last event id (bucket seq), so a reconnecting client catches up on exactly what it missed.
import type { Db } from "../db/client";
import type { BucketChange } from "./live-channel";

export interface TrafficWindow {
  from: number;
  to: number;
  windowSeconds: number;
  /** Highest bucket seq included: the id a live client resumes after. */
  lastSeq: number;
  countries: { code: string; name: string; marketSize: number }[];
  sports: { slug: string; name: string }[];
  changes: BucketChange[];
  /** Expected value and band of judged buckets in the window, for the chart's band. */
  bands: ExpectedBand[];
}

/** [country, sport, bucketStart epoch ms, expected, expectedLow, expectedHigh] of one judged bucket. */
export type ExpectedBand = [string, string, number, number, number, number];

const MAX_CATCH_UP_ROWS = 20_000;

export async function readTrafficWindow(
  db: Db,
  options: { minutes: number; country?: string; windowSeconds: number; now?: number },
): Promise<TrafficWindow> {
  const to = options.now ?? Date.now();
  const from = to - options.minutes * 60_000;
  const [rows, countries, sports] = await Promise.all([
    db.trafficBucket.findMany({
      where: {
        bucketStart: { gte: new Date(from) },
        ...(options.country ? { country: options.country } : {}),
      },
      select: {
        country: true,
        sport: true,
        bucketStart: true,
        actions: true,
        seq: true,
        expected: true,
        expectedLow: true,
        expectedHigh: true,
      },
      orderBy: { bucketStart: "asc" },
    }),
    db.country.findMany({ orderBy: { marketSize: "desc" } }),
    db.sport.findMany({ orderBy: { name: "asc" } }),
  ]);
  let lastSeq = 0;
  const bands: ExpectedBand[] = [];
  for (const row of rows) {
    if (row.expected === null || row.expectedLow === null || row.expectedHigh === null) continue;
    bands.push([
      row.country,
      row.sport,
      row.bucketStart.getTime(),
      row.expected,
      row.expectedLow,
      row.expectedHigh,
    ]);
  }
  const changes: BucketChange[] = rows.map((row) => {
    const seq = Number(row.seq);
    if (seq > lastSeq) lastSeq = seq;
    return [row.country, row.sport, row.bucketStart.getTime(), row.actions, seq];
  });
  // A live client must resume after the newest change anywhere, not only in its window, or it would replay
  // old buckets it does not chart.
  const newest = await db.trafficBucket.aggregate({ _max: { seq: true } });
  lastSeq = Math.max(lastSeq, Number(newest._max.seq ?? 0));
  return {
    from,
    to,
    windowSeconds: options.windowSeconds,
    lastSeq,
    countries: countries.map(({ code, name, marketSize }) => ({ code, name, marketSize })),
    sports: sports.map(({ slug, name }) => ({ slug, name })),
    changes,
    bands,
  };
}

/** Expected value and band of one country's judged buckets in [from, to), oldest first. */
export async function readExpectedBands(
  db: Db,
  options: { country: string; from: number; to: number },
): Promise<ExpectedBand[]> {
  const rows = await db.trafficBucket.findMany({
    where: {
      country: options.country,
      bucketStart: { gte: new Date(options.from), lt: new Date(options.to) },
      expected: { not: null },
    },
    select: { sport: true, bucketStart: true, expected: true, expectedLow: true, expectedHigh: true },
    orderBy: { bucketStart: "asc" },
  });
  return rows.flatMap((row) =>
    row.expected === null || row.expectedLow === null || row.expectedHigh === null
      ? []
      : [
          [
            options.country,
            row.sport,
            row.bucketStart.getTime(),
            row.expected,
            row.expectedLow,
            row.expectedHigh,
          ] satisfies ExpectedBand,
        ],
  );
}

/** Buckets changed after `afterSeq` (optionally one country), oldest first, capped. */
export async function readChangesSince(db: Db, afterSeq: number, country?: string): Promise<BucketChange[]> {
  const rows = await db.trafficBucket.findMany({
    where: { seq: { gt: BigInt(afterSeq) }, ...(country ? { country } : {}) },
    select: { country: true, sport: true, bucketStart: true, actions: true, seq: true },
    orderBy: { seq: "asc" },
    take: MAX_CATCH_UP_ROWS,
  });
  return rows.map((row) => [row.country, row.sport, row.bucketStart.getTime(), row.actions, Number(row.seq)]);
}

export type Resolution = "raw" | "minute" | "hour";

/** The coarsest resolution that still draws a range well: ≤ 3 h raw windows, ≤ 2 days minutes, else hours. */
export function resolutionFor(rangeMs: number): Resolution {
  if (rangeMs <= 3 * 3_600_000) return "raw";
  if (rangeMs <= 2 * 86_400_000) return "minute";
  return "hour";
}

export interface SeriesPoint {
  sport: string;
  bucketStart: number;
  actions: number;
}

const STEPS_SECONDS = [10, 60, 300, 900, 3_600, 6 * 3_600, 86_400];
const TARGET_POINTS = 300;
const SOURCE: Record<Resolution, { table: string; seconds: number }> = {
  raw: { table: "traffic_bucket", seconds: 10 },
  minute: { table: "traffic_minute", seconds: 60 },
  hour: { table: "traffic_hour", seconds: 3_600 },
};

/** The chart step for a range: the smallest usual step giving at most ~300 points per series. */
export function stepFor(rangeMs: number, resolution: Resolution): number {
  const wanted = rangeMs / 1_000 / TARGET_POINTS;
  const step = STEPS_SECONDS.find((seconds) => seconds >= wanted) ?? STEPS_SECONDS.at(-1)!;
  return Math.max(step, SOURCE[resolution].seconds);
}

/**
 * One country's traffic per sport over [from, to), summed into chart steps (~300 points per series) from
 * the raw buckets or the minute/hour rollups, so a day or a week stays a few thousand rows read in one query.
 */
export async function readCountrySeries(
  db: Db,
  options: { country: string; from: number; to: number; resolution?: Resolution },
): Promise<{ resolution: Resolution; stepSeconds: number; points: SeriesPoint[] }> {
  const resolution = options.resolution ?? resolutionFor(options.to - options.from);
  const stepSeconds = stepFor(options.to - options.from, resolution);
  // The table name comes from our own constant map, never from input.
  const rows = await db.$queryRawUnsafe<{ sport: string; bucket_start_ms: number; actions: number }[]>(
    `SELECT sport,
            (extract(epoch from date_bin(make_interval(secs => $4), bucket_start, 'epoch'::timestamptz)) * 1000)::float8
              AS bucket_start_ms,
            sum(actions)::int AS actions
     FROM ${SOURCE[resolution].table}
     WHERE country = $1 AND bucket_start >= $2 AND bucket_start < $3
     GROUP BY 1, 2
     ORDER BY 2, 1`,
    options.country,
    new Date(options.from),
    new Date(options.to),
    stepSeconds,
  );
  return {
    resolution,
    stepSeconds,
    points: rows.map((row) => ({
      sport: row.sport,
      bucketStart: Number(row.bucket_start_ms),
      actions: row.actions,
    })),
  };
}
