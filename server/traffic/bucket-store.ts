// Writes one partition batch's effect in a single Postgres transaction: bucket increments (per country ×
// sport and per country total), late drops, dead letters and the partition's next offset and latest event
// time, then NOTIFY (delivered on commit). A crash before commit leaves nothing; after commit, the stored
// offset stops the batch from being counted twice and the stored event time keeps its windows closed.
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { countryTotals, type BucketDelta, type LateDelta } from "./windowing";
import { chunkChanges, TRAFFIC_CHANNEL, type BucketChange } from "./live-channel";

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  reason: string;
  payload: string;
}

export interface PartitionWrite {
  consumerGroup: string;
  topic: string;
  partition: number;
  /** The next offset the writer read from Postgres (null: no row): the write fails if another moved it. */
  previousNextOffset: string | null;
  nextOffset: string;
  /** Largest event time the partition has shown after this batch, epoch ms (null: none yet). */
  maxEventTime: number | null;
  windowSeconds: number;
  buckets: BucketDelta[];
  late: LateDelta[];
  deadLetters: DeadLetter[];
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** What Postgres holds for one partition: where to resume reading, and the event time it had reached. */
export interface StoredPartitionProgress {
  nextOffset: bigint;
  /** Epoch ms, or null when no action of the partition was ever counted. */
  maxEventTime: number | null;
}

/**
 * Another writer moved the partition's stored offset since this worker read it (the partition was
 * reassigned while a batch was in flight): nothing was written; reload and let the batch be redelivered.
 */
export class StaleOffsetError extends Error {
  override name = "StaleOffsetError";
}

export async function loadPartitionProgress(
  db: Db,
  consumerGroup: string,
  topic: string,
): Promise<Map<number, StoredPartitionProgress>> {
  const rows = await db.streamOffset.findMany({ where: { consumerGroup, topic } });
  return new Map(
    rows.map((row) => [
      row.partition,
      { nextOffset: row.nextOffset, maxEventTime: row.maxEventTime?.getTime() ?? null },
    ]),
  );
}

/** Forgets a group's offsets and event times: its stream is replayed from nothing into an empty state. */
export async function resetOffsets(db: Db, consumerGroup: string, topic: string): Promise<void> {
  await db.streamOffset.deleteMany({ where: { consumerGroup, topic } });
}

/**
 * The in-process stream starts empty on every run, so its offsets restart at 0; the event time each
 * partition reached is kept, so a restart does not reopen windows detection already judged.
 */
export async function rewindOffsetsKeepingEventTime(
  db: Db,
  consumerGroup: string,
  topic: string,
): Promise<void> {
  await db.streamOffset.updateMany({ where: { consumerGroup, topic }, data: { nextOffset: 0n } });
}

export async function writePartitionBatch(db: Db, write: PartitionWrite): Promise<BucketChange[]> {
  return writePartitionBatches(db, [write]);
}

/**
 * Several partitions' batches in one transaction (each with its own offset check): the buckets of different
 * partitions never share a key, while their country totals do, so one transaction for all of them writes
 * each total once and never waits on another of this worker's transactions. All or nothing.
 */
export async function writePartitionBatches(
  db: Db,
  writes: readonly PartitionWrite[],
): Promise<BucketChange[]> {
  const windowSeconds = writes[0]?.windowSeconds;
  if (windowSeconds === undefined) return [];
  const buckets = writes.flatMap((write) => write.buckets);
  const late = writes.flatMap((write) => write.late);
  const deadLetters = writes.flatMap((write) => write.deadLetters);
  const totals = countryTotals(buckets);
  return db.$transaction(async (tx) => {
    // First, so the row locks fence the partitions: a worker whose view of an offset is stale writes nothing.
    for (const write of writes) await storeProgress(tx, write);
    const changes = await upsertBuckets(tx, buckets, windowSeconds);
    await upsertLateDrops(tx, late);
    if (deadLetters.length > 0) {
      await tx.streamDeadLetter.createMany({
        data: deadLetters.map((letter) => ({ ...letter, offset: BigInt(letter.offset) })),
      });
    }
    // Last before commit: workers holding other sports of a country add to the same totals, so these rows
    // are the ones writers contend for; taken late (and in key order), they are held briefly.
    changes.push(...(await upsertBuckets(tx, totals, windowSeconds)));
    const payloads = chunkChanges(changes);
    if (payloads.length > 0) {
      await tx.$executeRaw`SELECT pg_notify(${TRAFFIC_CHANNEL}, payload) FROM unnest(${payloads}::text[]) AS payload`;
    }
    return changes;
  });
}

async function storeProgress(tx: Tx, write: PartitionWrite): Promise<void> {
  const maxEventTime = write.maxEventTime === null ? null : new Date(write.maxEventTime);
  // No row yet: the insert wins or, if another writer inserted first, the conflict's WHERE fails.
  const previous = write.previousNextOffset === null ? -1n : BigInt(write.previousNextOffset);
  const stored = await tx.$executeRaw`
    INSERT INTO stream_offset AS o (consumer_group, topic, partition, next_offset, max_event_time, updated_at)
    VALUES (${write.consumerGroup}, ${write.topic}, ${write.partition}, ${BigInt(write.nextOffset)},
            ${maxEventTime}::timestamptz, now())
    ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET
      next_offset = excluded.next_offset,
      max_event_time = GREATEST(o.max_event_time, excluded.max_event_time),
      updated_at = excluded.updated_at
    WHERE o.next_offset = ${previous}`;
  if (stored !== 1) {
    throw new StaleOffsetError(
      `partition ${write.partition} of ${write.topic}: stored offset is no longer ` +
        `${write.previousNextOffset ?? "absent"}; another worker took the partition over`,
    );
  }
}

/** Adds the `delta` rows of upsertBuckets' statement to one rollup table, truncated to its unit (UTC). */
function rollupInsert(table: "traffic_minute" | "traffic_hour", unit: "minute" | "hour"): Prisma.Sql {
  // In key order, like the raw rows, so writers sharing country totals lock them in one order.
  return Prisma.sql`
      INSERT INTO ${Prisma.raw(table)} AS r
        (country, sport, bucket_start, actions, page_views, video_starts, live_blog_opens, shares)
      SELECT country, sport, date_trunc(${Prisma.raw(`'${unit}'`)}, bucket_start, 'UTC'), sum(actions),
             sum(page_views), sum(video_starts), sum(live_blog_opens), sum(shares)
      FROM delta GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (country, sport, bucket_start) DO UPDATE SET
        actions = r.actions + excluded.actions, page_views = r.page_views + excluded.page_views,
        video_starts = r.video_starts + excluded.video_starts,
        live_blog_opens = r.live_blog_opens + excluded.live_blog_opens, shares = r.shares + excluded.shares`;
}

/**
 * Multi-row upsert through one `unnest` statement, which also adds the same deltas to the minute and hour
 * rollups in the same round trip: the Prisma query builder would issue one upsert per bucket (hundreds per
 * batch), which is the hot path's bottleneck. Rows are written in key order. The day partitions must exist
 * (see partitions.ts).
 */
async function upsertBuckets(tx: Tx, buckets: BucketDelta[], windowSeconds: number): Promise<BucketChange[]> {
  if (buckets.length === 0) return [];
  const rows = await tx.$queryRaw<
    { country: string; sport: string; bucket_start_ms: number; actions: number; seq: bigint }[]
  >`
    WITH delta AS (
      SELECT c AS country, s AS sport, to_timestamp(ms / 1000.0) AS bucket_start,
             a AS actions, pv AS page_views, vs AS video_starts, lb AS live_blog_opens, sh AS shares
      FROM unnest(
        ${buckets.map((b) => b.country)}::text[],
        ${buckets.map((b) => b.sport)}::text[],
        ${buckets.map((b) => b.bucketStart)}::float8[],
        ${buckets.map((b) => b.actions)}::int[],
        ${buckets.map((b) => b.pageViews)}::int[],
        ${buckets.map((b) => b.videoStarts)}::int[],
        ${buckets.map((b) => b.liveBlogOpens)}::int[],
        ${buckets.map((b) => b.shares)}::int[]
      ) AS t(c, s, ms, a, pv, vs, lb, sh)
    ),
    minute AS (${rollupInsert("traffic_minute", "minute")}),
    hour AS (${rollupInsert("traffic_hour", "hour")})
    INSERT INTO traffic_bucket AS b
      (country, sport, bucket_start, window_seconds, actions, page_views, video_starts, live_blog_opens, shares, updated_at)
    SELECT country, sport, bucket_start, ${windowSeconds}, actions, page_views, video_starts, live_blog_opens, shares, now()
    FROM delta ORDER BY country, sport, bucket_start
    ON CONFLICT (country, sport, bucket_start) DO UPDATE SET
      actions = b.actions + excluded.actions,
      page_views = b.page_views + excluded.page_views,
      video_starts = b.video_starts + excluded.video_starts,
      live_blog_opens = b.live_blog_opens + excluded.live_blog_opens,
      shares = b.shares + excluded.shares,
      seq = nextval('traffic_bucket_seq_seq'),
      updated_at = excluded.updated_at
    RETURNING country, sport, (extract(epoch from bucket_start) * 1000)::float8 AS bucket_start_ms, actions, seq`;
  return rows.map((row) => [
    row.country,
    row.sport,
    Number(row.bucket_start_ms),
    row.actions,
    Number(row.seq),
  ]);
}

async function upsertLateDrops(tx: Tx, late: LateDelta[]): Promise<void> {
  if (late.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO late_drop AS d (country, sport, bucket_start, actions, updated_at)
    SELECT c, s, to_timestamp(ms / 1000.0), a, now()
    FROM unnest(
      ${late.map((l) => l.country)}::text[],
      ${late.map((l) => l.sport)}::text[],
      ${late.map((l) => l.bucketStart)}::float8[],
      ${late.map((l) => l.actions)}::int[]
    ) AS t(c, s, ms, a)
    ON CONFLICT (country, sport, bucket_start) DO UPDATE SET
      actions = d.actions + excluded.actions, updated_at = excluded.updated_at`;
}
