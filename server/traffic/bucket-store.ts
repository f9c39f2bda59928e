// Writes one partition batch's effect in a single Postgres transaction: bucket increments, late drops, dead
// letters and the partition's next offset, then NOTIFY (delivered on commit). A crash before commit leaves
// nothing; after commit, the stored offset stops the batch from being counted twice.
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { BucketDelta, LateDelta } from "./windowing";
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
  nextOffset: string;
  windowSeconds: number;
  buckets: BucketDelta[];
  late: LateDelta[];
  deadLetters: DeadLetter[];
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export async function loadNextOffsets(
  db: Db,
  consumerGroup: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const rows = await db.streamOffset.findMany({ where: { consumerGroup, topic } });
  return new Map(rows.map((row) => [row.partition, row.nextOffset]));
}

export async function resetOffsets(db: Db, consumerGroup: string, topic: string): Promise<void> {
  await db.streamOffset.deleteMany({ where: { consumerGroup, topic } });
}

export async function writePartitionBatch(db: Db, write: PartitionWrite): Promise<BucketChange[]> {
  return db.$transaction(async (tx) => {
    const changes = await upsertBuckets(tx, write.buckets, write.windowSeconds);
    await upsertLateDrops(tx, write.late);
    if (write.deadLetters.length > 0) {
      await tx.streamDeadLetter.createMany({
        data: write.deadLetters.map((letter) => ({ ...letter, offset: BigInt(letter.offset) })),
      });
    }
    await tx.$executeRaw`
      INSERT INTO stream_offset (consumer_group, topic, partition, next_offset, updated_at)
      VALUES (${write.consumerGroup}, ${write.topic}, ${write.partition}, ${BigInt(write.nextOffset)}, now())
      ON CONFLICT (consumer_group, topic, partition)
      DO UPDATE SET next_offset = excluded.next_offset, updated_at = excluded.updated_at`;
    for (const payload of chunkChanges(changes)) {
      await tx.$executeRaw`SELECT pg_notify(${TRAFFIC_CHANNEL}, ${payload})`;
    }
    return changes;
  });
}

/** Adds the `delta` rows of upsertBuckets' statement to one rollup table, truncated to its unit (UTC). */
function rollupInsert(table: "traffic_minute" | "traffic_hour", unit: "minute" | "hour"): Prisma.Sql {
  return Prisma.sql`
      INSERT INTO ${Prisma.raw(table)} AS r
        (country, sport, bucket_start, actions, page_views, video_starts, live_blog_opens, shares)
      SELECT country, sport, date_trunc(${Prisma.raw(`'${unit}'`)}, bucket_start, 'UTC'), sum(actions),
             sum(page_views), sum(video_starts), sum(live_blog_opens), sum(shares)
      FROM delta GROUP BY 1, 2, 3
      ON CONFLICT (country, sport, bucket_start) DO UPDATE SET
        actions = r.actions + excluded.actions, page_views = r.page_views + excluded.page_views,
        video_starts = r.video_starts + excluded.video_starts,
        live_blog_opens = r.live_blog_opens + excluded.live_blog_opens, shares = r.shares + excluded.shares`;
}

/**
 * Multi-row upsert through one `unnest` statement, which also adds the same deltas to the minute and hour
 * rollups in the same round trip: the Prisma query builder would issue one upsert per bucket (hundreds per
 * batch), which is the hot path's bottleneck. The day partitions must exist (see partitions.ts).
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
    FROM delta
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
