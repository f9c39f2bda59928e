// Detection's I/O: loads detector states and final bucket counts, and writes one detection step in a single
// transaction: expected and band on the judged buckets (with a new seq, announced on BAND_CHANNEL), the
// detectors' new states, new anomalies with their candidate moments and score-moment jobs (outbox), ends of
// open anomalies, then NOTIFY on commit.
import type { Db, Tx } from "../db/client";
import { ANOMALY_CHANNEL, chunkNotices } from "./anomaly-channel";
import { BAND_CHANNEL, chunkBandChanges, type BandChange } from "./band-channel";
import type { AnomalyDraft, AnomalyEnd } from "./anomaly-drafts";
import {
  groupNewPeaks,
  openFromPlayByPlay,
  type GroupingOptions,
  type InsertedPeak,
} from "./candidate-store";
import type { SeriesDetectionState } from "./series-detection";
import type { ScheduledSession } from "./session-ramps";

export interface StoredDetectorState {
  country: string;
  sport: string;
  partition: number;
  state: SeriesDetectionState;
  lastBucketStart: number;
}

export interface SeriesKey {
  country: string;
  sport: string;
}

/** Another worker advanced a series' detector since this one loaded it: reload and judge again. */
export class StaleDetectorStateError extends Error {
  override name = "StaleDetectorStateError";
}

export async function loadDetectorStates(
  db: Db,
  where: { partition: number; series: readonly SeriesKey[] },
): Promise<StoredDetectorState[]> {
  const rows = await db.$queryRaw<
    { country: string; sport: string; partition: number; state: SeriesDetectionState; last_ms: number }[]
  >`
    SELECT country, sport, partition, state, (extract(epoch FROM last_bucket_start) * 1000)::float8 AS last_ms
    FROM detector_state
    WHERE partition = ${where.partition}
       OR (country, sport) IN (
            SELECT * FROM unnest(${where.series.map((s) => s.country)}::text[],
                                 ${where.series.map((s) => s.sport)}::text[]))`;
  return rows.map((row) => ({
    country: row.country,
    sport: row.sport,
    partition: row.partition,
    state: row.state,
    lastBucketStart: Number(row.last_ms),
  }));
}

/** Stored actions per series and window in (after, upTo], oldest first. */
/**
 * Sessions of these sports overlapping [from, to] in every games loaded: the schedule whose ramps the
 * baseline expects (see session-ramps.ts).
 */
export async function readSessionSchedule(
  db: Db,
  sports: readonly string[],
  from: number,
  to: number,
): Promise<ScheduledSession[]> {
  if (sports.length === 0) return [];
  const rows = await db.$queryRaw<{ sport: string; starts_ms: number; ends_ms: number }[]>`
    SELECT sport, (extract(epoch FROM starts_at) * 1000)::float8 AS starts_ms,
           (extract(epoch FROM ends_at) * 1000)::float8 AS ends_ms
    FROM games_session
    WHERE sport = ANY(${[...sports]}::text[])
      AND ends_at >= to_timestamp(${from} / 1000.0) AND starts_at <= to_timestamp(${to} / 1000.0)`;
  return rows.map((row) => ({
    sport: row.sport,
    startsAt: Number(row.starts_ms),
    endsAt: Number(row.ends_ms),
  }));
}

/** A series' stored final windows: actions, and the engaged ones among them (the action mix). */
export interface FinalCounts {
  actions: Map<number, number>;
  /** Video starts, live-blog opens and shares per window. */
  engaged: Map<number, number>;
}

export async function readFinalCounts(
  db: Db,
  series: readonly (SeriesKey & { after: number })[],
  upTo: number,
): Promise<Map<string, FinalCounts>> {
  const counts = new Map<string, FinalCounts>();
  if (series.length === 0) return counts;
  const rows = await db.$queryRaw<
    { country: string; sport: string; ms: number; actions: number; engaged: number }[]
  >`
    SELECT b.country, b.sport, (extract(epoch FROM b.bucket_start) * 1000)::float8 AS ms, b.actions,
           (b.video_starts + b.live_blog_opens + b.shares)::int AS engaged
    FROM unnest(${series.map((s) => s.country)}::text[], ${series.map((s) => s.sport)}::text[],
                ${series.map((s) => s.after)}::float8[]) AS k(country, sport, after_ms)
    JOIN traffic_bucket b ON b.country = k.country AND b.sport = k.sport
     AND b.bucket_start > to_timestamp(k.after_ms / 1000.0) AND b.bucket_start <= to_timestamp(${upTo} / 1000.0)`;
  for (const row of rows) {
    const key = `${row.country}|${row.sport}`;
    let series = counts.get(key);
    if (!series) counts.set(key, (series = { actions: new Map(), engaged: new Map() }));
    series.actions.set(Number(row.ms), row.actions);
    series.engaged.set(Number(row.ms), row.engaged);
  }
  return counts;
}

export interface JudgedBucket {
  country: string;
  sport: string;
  bucketStart: number;
  expected: number;
  expectedLow: number;
  expectedHigh: number;
}

export interface DetectorStateWrite extends SeriesKey {
  partition: number;
  detector: string;
  state: SeriesDetectionState;
  lastBucketStart: number;
  /** What this worker believes is stored (null: no row yet); a mismatch means another worker moved it. */
  previousLastBucketStart: number | null;
}

export interface DetectionWrite {
  buckets: JudgedBucket[];
  states: DetectorStateWrite[];
  anomalies: AnomalyDraft[];
  ends: AnomalyEnd[];
  grouping: GroupingOptions;
  /** Traffic time this step covers: play-by-play events in (after, upTo] open candidates. */
  eventRange?: { after: number; upTo: number };
}

export interface DetectionWriteResult {
  anomalyIds: bigint[];
  candidateIds: bigint[];
  jobsQueued: number;
}

export async function writeDetection(db: Db, write: DetectionWrite): Promise<DetectionWriteResult> {
  return db.$transaction(async (tx) => {
    await claimStates(tx, write.states);
    await writeBands(tx, write.buckets);
    await writeStates(tx, write.states);
    const inserted = await insertAnomalies(tx, write.anomalies);
    const peaks: InsertedPeak[] = [];
    for (const draft of write.anomalies) {
      const anomalyId = inserted.get(draft.key);
      if (anomalyId === undefined || draft.kind !== "peak") continue;
      peaks.push({
        anomalyId,
        kind: "peak",
        country: draft.country,
        sport: draft.sport,
        bucketStart: draft.windowStart,
        detectedAt: draft.detectedAt,
        observed: draft.observed,
        expectedViewers: draft.expected,
        upliftPct: draft.upliftPct,
        score: draft.score,
      });
    }
    // Before grouping, so a peak judged in the same step already finds the event's candidate.
    const opened = write.eventRange ? await openFromPlayByPlay(tx, write.eventRange, write.grouping) : [];
    const grouping = await groupNewPeaks(tx, peaks, write.grouping);
    await endAnomalies(tx, write.ends);
    const anomalyIds = [...inserted.values()];
    const notices = chunkNotices({
      anomalyIds: anomalyIds.map(String),
      candidateIds: [...new Set([...opened, ...grouping.candidateIds])].map(String),
    });
    for (const payload of notices) await tx.$executeRaw`SELECT pg_notify(${ANOMALY_CHANNEL}, ${payload})`;
    return {
      anomalyIds,
      candidateIds: [...new Set([...opened, ...grouping.candidateIds])],
      jobsQueued: grouping.jobsQueued,
    };
  });
}

/** Locks the series' state rows and checks nobody advanced them since this worker loaded them. */
async function claimStates(tx: Tx, states: readonly DetectorStateWrite[]): Promise<void> {
  if (states.length === 0) return;
  const rows = await tx.$queryRaw<{ country: string; sport: string; last_ms: number }[]>`
    SELECT country, sport, (extract(epoch FROM last_bucket_start) * 1000)::float8 AS last_ms
    FROM detector_state
    WHERE (country, sport) IN (
      SELECT * FROM unnest(${states.map((s) => s.country)}::text[], ${states.map((s) => s.sport)}::text[]))
    ORDER BY country, sport
    FOR UPDATE`;
  const stored = new Map(rows.map((row) => [`${row.country}|${row.sport}`, Number(row.last_ms)]));
  for (const state of states) {
    const current = stored.get(`${state.country}|${state.sport}`) ?? null;
    if (current !== state.previousLastBucketStart) {
      throw new StaleDetectorStateError(
        `detector of ${state.country}|${state.sport} is at ${String(current)} in Postgres, ` +
          `this worker expected ${String(state.previousLastBucketStart)}`,
      );
    }
  }
}

/**
 * Stores expected and band on the judged buckets with a new seq each (a live client resuming after its last
 * event id reads them again, band included), and announces them on BAND_CHANNEL (delivered on commit).
 */
async function writeBands(tx: Tx, buckets: readonly JudgedBucket[]): Promise<void> {
  if (buckets.length === 0) return;
  const rows = await tx.$queryRaw<
    { country: string; sport: string; ms: number; e: number; lo: number; hi: number; seq: bigint }[]
  >`
    UPDATE traffic_bucket b SET expected = t.e, expected_low = t.lo, expected_high = t.hi,
                                seq = nextval('traffic_bucket_seq_seq')
    FROM unnest(${buckets.map((b) => b.country)}::text[], ${buckets.map((b) => b.sport)}::text[],
                ${buckets.map((b) => b.bucketStart)}::float8[], ${buckets.map((b) => b.expected)}::float8[],
                ${buckets.map((b) => b.expectedLow)}::float8[], ${buckets.map((b) => b.expectedHigh)}::float8[])
         AS t(c, s, ms, e, lo, hi)
    WHERE b.country = t.c AND b.sport = t.s AND b.bucket_start = to_timestamp(t.ms / 1000.0)
    RETURNING b.country, b.sport, t.ms, t.e, t.lo, t.hi, b.seq`;
  const changes = rows.map((row): BandChange => [
    row.country,
    row.sport,
    Number(row.ms),
    row.e,
    row.lo,
    row.hi,
    Number(row.seq),
  ]);
  for (const payload of chunkBandChanges(changes)) {
    await tx.$executeRaw`SELECT pg_notify(${BAND_CHANNEL}, ${payload})`;
  }
}

async function writeStates(tx: Tx, states: readonly DetectorStateWrite[]): Promise<void> {
  if (states.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO detector_state AS d (country, sport, partition, detector, state, last_bucket_start, updated_at)
    SELECT c, s, p, det, st, to_timestamp(ms / 1000.0), now()
    FROM unnest(${states.map((s) => s.country)}::text[], ${states.map((s) => s.sport)}::text[],
                ${states.map((s) => s.partition)}::int[], ${states.map((s) => s.detector)}::text[],
                ${states.map((s) => JSON.stringify(s.state))}::jsonb[],
                ${states.map((s) => s.lastBucketStart)}::float8[]) AS t(c, s, p, det, st, ms)
    ON CONFLICT (country, sport) DO UPDATE SET
      partition = excluded.partition, detector = excluded.detector, state = excluded.state,
      last_bucket_start = excluded.last_bucket_start, updated_at = excluded.updated_at`;
}

/** Inserts new anomalies; a key that exists already (a re-run) is skipped. Returns key → id of new rows. */
async function insertAnomalies(tx: Tx, drafts: readonly AnomalyDraft[]): Promise<Map<string, bigint>> {
  if (drafts.length === 0) return new Map();
  const column = <K extends keyof AnomalyDraft>(name: K) => drafts.map((draft) => draft[name]);
  const rows = await tx.$queryRaw<{ id: bigint; key: string }[]>`
    INSERT INTO anomaly (key, country, sport, kind, detector, window_start, window_end, detected_at, observed,
                         expected, expected_low, expected_high, uplift_pct, score, status)
    SELECT key, c, s, kind, det, to_timestamp(ws / 1000.0), to_timestamp(we / 1000.0), to_timestamp(da / 1000.0),
           obs, e, lo, hi, up, sc, 'open'
    FROM unnest(${column("key")}::text[], ${column("country")}::text[], ${column("sport")}::text[],
                ${column("kind")}::text[], ${column("detector")}::text[], ${column("windowStart")}::float8[],
                ${column("windowEnd")}::float8[], ${column("detectedAt")}::float8[], ${column("observed")}::int[],
                ${column("expected")}::float8[], ${column("expectedLow")}::float8[],
                ${column("expectedHigh")}::float8[], ${column("upliftPct")}::float8[], ${column("score")}::float8[])
         AS t(key, c, s, kind, det, ws, we, da, obs, e, lo, hi, up, sc)
    ON CONFLICT (key) DO NOTHING
    RETURNING id, key`;
  return new Map(rows.map((row) => [row.key, row.id]));
}

/** Closes the open anomaly each end event belongs to (the newest of its series and kind that it spans). */
async function endAnomalies(tx: Tx, ends: readonly AnomalyEnd[]): Promise<void> {
  for (const end of ends) {
    await tx.$executeRaw`
      UPDATE anomaly SET status = CASE WHEN status = 'open' THEN 'ended' ELSE status END,
                         ended_at = to_timestamp(${end.endedAt} / 1000.0),
                         extreme_uplift_pct = ${end.extremeUpliftPct}
      WHERE id = (
        SELECT id FROM anomaly
        WHERE country = ${end.country} AND sport = ${end.sport} AND kind = ${end.kind} AND ended_at IS NULL
          AND window_start >= to_timestamp(${end.startedAt} / 1000.0)
          AND window_start <= to_timestamp(${end.endedAt} / 1000.0)
        ORDER BY window_start DESC LIMIT 1)`;
  }
}
