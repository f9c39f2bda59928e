// Moment summaries as editors see them (MomentSummary): the inbox with its per-status counts, and the
// moments changed after an audit event id, which is what the live stream replays and forwards. One SQL shape
// for all of them, so the inbox row and the live event of a moment are the same JSON.
import { z } from "zod";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { isMomentStatus, MOMENT_STATUSES, type MomentStatus } from "./moment-status";
import type { InboxQuery, MomentInbox, MomentSummary } from "./moment-views";

export const storedMarketSchema = z.object({
  country: z.string(),
  bucketStart: z.coerce.number(),
  observed: z.number(),
  expectedViewers: z.number(),
  upliftPct: z.number(),
});
const storedMarketsSchema = z.array(storedMarketSchema);

export interface SummaryRow {
  id: bigint;
  candidate_id: bigint;
  key: string;
  sport: string;
  country: string;
  countries: string[];
  status: string;
  peak_at: Date;
  markets: unknown;
  headline: string | null;
  interest_score: number | null;
  generated_by: string | null;
  version: number;
  updated_at: Date;
  last_event_id: bigint | null;
}

/** The current headline is the latest editor version's (moment.version), else the agents'. */
const SUMMARY_SELECT = Prisma.sql`
  SELECT m.id, m.candidate_id, m.key, m.sport, m.country, m.countries, m.status, m.peak_at, m.markets,
         COALESCE(v.headline, m.headline) AS headline, m.interest_score, m.generated_by, m.version,
         m.updated_at,
         (SELECT max(e.id) FROM moment_event e WHERE e.moment_id = m.id) AS last_event_id
  FROM moment m
  LEFT JOIN moment_version v ON v.moment_id = m.id AND v.version = m.version`;

/** The markets JSON as stored on the moment (largest uplift first); malformed entries are left out. */
export function marketsOf(stored: unknown): z.infer<typeof storedMarketSchema>[] {
  const parsed = storedMarketsSchema.safeParse(stored);
  return parsed.success ? parsed.data : [];
}

export function toSummary(row: SummaryRow): MomentSummary {
  const markets = marketsOf(row.markets);
  const lead = markets.find((market) => market.country === row.country) ?? markets[0];
  return {
    id: row.id.toString(),
    candidateId: row.candidate_id.toString(),
    key: row.key,
    sport: row.sport,
    country: row.country,
    countries: row.countries,
    status: isMomentStatus(row.status) ? row.status : "new",
    peakAt: row.peak_at.getTime(),
    headline: row.headline,
    upliftPct: lead?.upliftPct ?? 0,
    interestScore: row.interest_score,
    generatedBy: row.generated_by,
    version: row.version,
    updatedAt: row.updated_at.getTime(),
    lastEventId: (row.last_event_id ?? 0n).toString(),
  };
}

function inboxFilters(query: InboxQuery, withStatus: boolean): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  // Containment (not = ANY) so a GIN index on moment.countries would serve it.
  if (query.country) conditions.push(Prisma.sql`m.countries @> ARRAY[${query.country}]::text[]`);
  if (query.sport) conditions.push(Prisma.sql`m.sport = ${query.sport}`);
  if (query.from !== undefined) conditions.push(Prisma.sql`m.peak_at >= ${new Date(query.from)}`);
  if (query.to !== undefined) conditions.push(Prisma.sql`m.peak_at < ${new Date(query.to)}`);
  if (withStatus && query.status) conditions.push(Prisma.sql`m.status = ${query.status}`);
  return conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

/** The latest audit event id: a client that opens the live stream after it misses nothing read before. */
export async function readLatestMomentEventId(db: Db): Promise<bigint> {
  const [row] = await db.$queryRaw<{ id: bigint | null }[]>`SELECT max(id) AS id FROM moment_event`;
  return row?.id ?? 0n;
}

/**
 * GET /api/moments: newest first by peak; the counts per status use the same filters except the status, so
 * the inbox's status tabs show what each would hold.
 */
export async function readInbox(db: Db, query: InboxQuery): Promise<MomentInbox> {
  // Read before the moments: a change committed in between is replayed by the stream, never missed.
  const lastEventId = await readLatestMomentEventId(db);
  const [rows, counted] = await Promise.all([
    db.$queryRaw<SummaryRow[]>`
      ${SUMMARY_SELECT} ${inboxFilters(query, true)}
      ORDER BY m.peak_at DESC, m.id DESC
      LIMIT ${query.limit}`,
    db.$queryRaw<{ status: string; moments: number }[]>`
      SELECT m.status, count(*)::int AS moments FROM moment m ${inboxFilters(query, false)}
      GROUP BY m.status`,
  ]);
  const counts = Object.fromEntries(MOMENT_STATUSES.map((status) => [status, 0])) as Record<
    MomentStatus,
    number
  >;
  for (const { status, moments } of counted) if (isMomentStatus(status)) counts[status] = moments;
  return { moments: rows.map(toSummary), counts, lastEventId: lastEventId.toString() };
}

/** One moment's summary, or null. */
export async function readMomentSummary(db: Db, id: bigint): Promise<MomentSummary | null> {
  const [row] = await db.$queryRaw<SummaryRow[]>`${SUMMARY_SELECT} WHERE m.id = ${id}`;
  return row ? toSummary(row) : null;
}

/**
 * Every moment with an audit event after `afterEventId`, as it is now, ordered by its latest event id (at most
 * `limit`; read again after the last one's id for more). One statement, so one snapshot: since event ids are
 * handed out in commit order (moment-events.ts), every event up to the last row's lastEventId is covered.
 */
export async function readMomentChangesSince(
  db: Db,
  afterEventId: bigint,
  limit = 500,
): Promise<MomentSummary[]> {
  const rows = await db.$queryRaw<SummaryRow[]>`
    ${SUMMARY_SELECT}
    WHERE m.id IN (SELECT moment_id FROM moment_event WHERE id > ${afterEventId})
    ORDER BY last_event_id ASC
    LIMIT ${limit}`;
  return rows.map(toSummary);
}
