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
}

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
      select: { country: true, sport: true, bucketStart: true, actions: true, seq: true },
      orderBy: { bucketStart: "asc" },
    }),
    db.country.findMany({ orderBy: { marketSize: "desc" } }),
    db.sport.findMany({ orderBy: { name: "asc" } }),
  ]);
  let lastSeq = 0;
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
  };
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

/**
 * One country's traffic per sport over [from, to), read from the raw buckets or the minute/hour rollups so
 * a day or a week stays a few thousand rows.
 */
export async function readCountrySeries(
  db: Db,
  options: { country: string; from: number; to: number; resolution?: Resolution },
): Promise<{ resolution: Resolution; points: SeriesPoint[] }> {
  const resolution = options.resolution ?? resolutionFor(options.to - options.from);
  const where = {
    country: options.country,
    bucketStart: { gte: new Date(options.from), lt: new Date(options.to) },
  };
  const select = { sport: true, bucketStart: true, actions: true } as const;
  const orderBy = { bucketStart: "asc" } as const;
  const rows =
    resolution === "raw"
      ? await db.trafficBucket.findMany({ where, select, orderBy })
      : resolution === "minute"
        ? await db.trafficMinute.findMany({ where, select, orderBy })
        : await db.trafficHour.findMany({ where, select, orderBy });
  return {
    resolution,
    points: rows.map((row) => ({
      sport: row.sport,
      bucketStart: row.bucketStart.getTime(),
      actions: row.actions,
    })),
  };
}
