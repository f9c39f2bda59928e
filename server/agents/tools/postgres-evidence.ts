// The evidence archive of one games in Postgres: play-by-play by window (or full text), stories by full text
// or by who they are about, and traffic change around the peak. Each tool call is one SQL query (raw: these
// run on every agent turn, and Prisma's query building costs more than the queries).
import type { Db } from "../../db/client";
import { Prisma } from "../../db/generated/client";
import type {
  EvidenceSource,
  PlayByPlayItem,
  PlayByPlayQuery,
  SeriesChange,
  StoryItem,
  StoryQuery,
  TrafficContext,
  TrafficQuery,
} from "./evidence";

const EXCERPT_CHARS = 400;

interface PlayByPlayRow {
  id: string;
  session_id: string;
  event: string;
  phase: string;
  sport: string;
  type: string;
  occurred_at: Date;
  timecode_seconds: number;
  significance: number;
  countries: string[];
  athletes: { id: string; name: string; country: string }[];
  description: string;
}

interface StoryRow {
  id: string;
  kind: string;
  headline: string;
  excerpt: string;
  published_at: Date;
  sport: string | null;
  countries: string[];
  athlete_ids: string[];
}

export function createPostgresEvidence(db: Db, gamesId: string): EvidenceSource {
  return {
    // One query: the window (or the full-text hits in it, best `limit × 4` first, as searchPlayByPlay ranks
    // them), each event with its session and its athletes in the order the event lists them.
    async playByPlay(query: PlayByPlayQuery): Promise<PlayByPlayItem[]> {
      const to = new Date(query.to);
      const rows = await db.$queryRaw<PlayByPlayRow[]>`
        SELECT p.id, p.session_id, COALESCE(s.event, '') AS event, COALESCE(s.phase, '') AS phase, p.sport,
               p.type, p.occurred_at, p.timecode_seconds, p.significance, p.countries, p.description,
               COALESCE((SELECT json_agg(json_build_object('id', a.id, 'name', a.name, 'country', a.country)
                                          ORDER BY listed.position)
                         FROM unnest(p.athlete_ids) WITH ORDINALITY AS listed(athlete_id, position)
                         JOIN athlete a ON a.games_id = p.games_id AND a.id = listed.athlete_id),
                        '[]'::json) AS athletes
        FROM play_by_play p
        LEFT JOIN games_session s ON s.games_id = p.games_id AND s.id = p.session_id
        WHERE p.games_id = ${gamesId} AND p.sport = ${query.sport}
          AND p.occurred_at >= ${new Date(query.from)} AND p.occurred_at <= ${to}
          ${query.countries?.length ? Prisma.sql`AND p.countries && ${query.countries}::text[]` : Prisma.empty}
          ${
            query.query
              ? Prisma.sql`AND p.id IN (
                  SELECT hit.id FROM play_by_play hit
                  WHERE hit.games_id = ${gamesId}
                    AND hit.search @@ websearch_to_tsquery('english', ${query.query})
                    AND hit.occurred_at <= ${to}
                  ORDER BY ts_rank(hit.search, websearch_to_tsquery('english', ${query.query})) DESC,
                           hit.occurred_at DESC, hit.id
                  LIMIT ${query.limit * 4})`
              : Prisma.empty
          }
        ORDER BY p.occurred_at, p.id
        LIMIT ${query.limit}`;
      return rows.map((row) => ({
        id: row.id,
        sessionId: row.session_id,
        event: row.event,
        phase: row.phase,
        sport: row.sport,
        type: row.type,
        occurredAt: row.occurred_at.toISOString(),
        timecodeSeconds: row.timecode_seconds,
        significance: row.significance,
        countries: row.countries,
        athletes: row.athletes,
        description: row.description,
      }));
    },

    // One query: with a full-text query, its best `limit × 4` hits that pass the filters, by rank; without,
    // the newest stories that do. The body is cut to an excerpt in SQL.
    async stories(query: StoryQuery): Promise<StoryItem[]> {
      const before = new Date(query.before);
      const ranked = query.query
        ? Prisma.sql`JOIN (
            SELECT hit.id, row_number() OVER (
                     ORDER BY ts_rank(hit.search, websearch_to_tsquery('english', ${query.query})) DESC,
                              hit.published_at DESC, hit.id) AS position
            FROM story hit
            WHERE hit.games_id = ${gamesId} AND hit.search @@ websearch_to_tsquery('english', ${query.query})
              AND hit.published_at <= ${before}
            ORDER BY position
            LIMIT ${query.limit * 4}) AS ranked ON ranked.id = s.id`
        : Prisma.empty;
      const rows = await db.$queryRaw<StoryRow[]>`
        SELECT s.id, s.kind, s.headline,
               CASE WHEN char_length(s.body) > ${EXCERPT_CHARS}::int
                    THEN left(s.body, ${EXCERPT_CHARS}::int) || '…' ELSE s.body END AS excerpt,
               s.published_at, s.sport, s.countries, s.athlete_ids
        FROM story s ${ranked}
        WHERE s.games_id = ${gamesId} AND s.published_at <= ${before}
          ${query.sport ? Prisma.sql`AND (s.sport = ${query.sport} OR s.sport IS NULL)` : Prisma.empty}
          ${query.countries?.length ? Prisma.sql`AND s.countries && ${query.countries}::text[]` : Prisma.empty}
          ${query.athleteIds?.length ? Prisma.sql`AND s.athlete_ids && ${query.athleteIds}::text[]` : Prisma.empty}
        ORDER BY ${query.query ? Prisma.sql`ranked.position` : Prisma.sql`s.published_at DESC, s.id`}
        LIMIT ${query.limit}`;
      return rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        headline: row.headline,
        excerpt: row.excerpt,
        publishedAt: row.published_at.toISOString(),
        sport: row.sport,
        countries: row.countries,
        athleteIds: row.athlete_ids,
      }));
    },

    async traffic(query: TrafficQuery): Promise<TrafficContext> {
      const windowMs = query.windowSeconds * 1_000;
      const rows = await db.$queryRaw<
        { country: string; sport: string; actions: number; previous: number }[]
      >`
        SELECT country, sport,
               coalesce(sum(actions) FILTER (WHERE bucket_start >= ${new Date(query.at - windowMs)}), 0)::float8 AS actions,
               coalesce(sum(actions) FILTER (WHERE bucket_start < ${new Date(query.at - windowMs)}), 0)::float8 AS previous
        FROM traffic_bucket
        WHERE bucket_start >= ${new Date(query.at - 2 * windowMs)} AND bucket_start < ${new Date(query.at)}
          AND (sport = ${query.sport} OR country = ANY(${query.countries}))
        GROUP BY country, sport`;
      const change = (row: (typeof rows)[number]): SeriesChange => ({
        country: row.country,
        sport: row.sport,
        actions: row.actions,
        previousActions: row.previous,
        changePct: Math.round(((row.actions - row.previous) / Math.max(1, row.previous)) * 100),
      });
      const inCandidate = new Set(query.countries);
      return {
        sameSportOtherMarkets: rows
          .filter((row) => row.sport === query.sport && !inCandidate.has(row.country))
          .map(change)
          .sort((a, b) => b.changePct - a.changePct)
          .slice(0, 20),
        otherSportsSameMarkets: rows
          .filter((row) => row.sport !== query.sport && inCandidate.has(row.country))
          .map(change)
          .sort((a, b) => b.changePct - a.changePct),
      };
    },
  };
}
