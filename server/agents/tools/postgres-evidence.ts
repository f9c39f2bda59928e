// The evidence archive of one games in Postgres: play-by-play by window (or full text, through the games
// store), stories by full text or by who they are about, and traffic change around the peak.
import type { Db } from "../../db/client";
import { searchPlayByPlay, searchStories } from "../../replay/games-store";
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

export function createPostgresEvidence(db: Db, gamesId: string): EvidenceSource {
  return {
    async playByPlay(query: PlayByPlayQuery): Promise<PlayByPlayItem[]> {
      const ids = query.query
        ? (
            await searchPlayByPlay(db, {
              gamesId,
              query: query.query,
              before: new Date(query.to),
              limit: query.limit * 4,
            })
          ).map((hit) => hit.id)
        : undefined;
      const rows = await db.playByPlayEvent.findMany({
        where: {
          gamesId,
          sport: query.sport,
          occurredAt: { gte: new Date(query.from), lte: new Date(query.to) },
          ...(query.countries?.length ? { countries: { hasSome: query.countries } } : {}),
          ...(ids ? { id: { in: ids } } : {}),
        },
        orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
        take: query.limit,
        select: {
          id: true,
          sessionId: true,
          sport: true,
          type: true,
          occurredAt: true,
          timecodeSeconds: true,
          significance: true,
          countries: true,
          athleteIds: true,
          description: true,
        },
      });
      const sessionIds = [...new Set(rows.map((row) => row.sessionId))];
      const athleteIds = [...new Set(rows.flatMap((row) => row.athleteIds))];
      const [sessions, athletes] = await Promise.all([
        db.gamesSession.findMany({
          where: { gamesId, id: { in: sessionIds } },
          select: { id: true, event: true, phase: true },
        }),
        db.athlete.findMany({
          where: { gamesId, id: { in: athleteIds } },
          select: { id: true, name: true, country: true },
        }),
      ]);
      const sessionById = new Map(sessions.map((session) => [session.id, session]));
      const athleteById = new Map(athletes.map((athlete) => [athlete.id, athlete]));
      return rows.map((row) => ({
        id: row.id,
        sessionId: row.sessionId,
        event: sessionById.get(row.sessionId)?.event ?? "",
        phase: sessionById.get(row.sessionId)?.phase ?? "",
        sport: row.sport,
        type: row.type,
        occurredAt: row.occurredAt.toISOString(),
        timecodeSeconds: row.timecodeSeconds,
        significance: row.significance,
        countries: row.countries,
        athletes: row.athleteIds.flatMap((id) => {
          const athlete = athleteById.get(id);
          return athlete ? [athlete] : [];
        }),
        description: row.description,
      }));
    },

    async stories(query: StoryQuery): Promise<StoryItem[]> {
      const ranked = query.query
        ? await searchStories(db, {
            gamesId,
            query: query.query,
            before: new Date(query.before),
            limit: query.limit * 4,
          })
        : undefined;
      const rows = await db.story.findMany({
        where: {
          gamesId,
          publishedAt: { lte: new Date(query.before) },
          ...(query.sport ? { OR: [{ sport: query.sport }, { sport: null }] } : {}),
          ...(query.countries?.length ? { countries: { hasSome: query.countries } } : {}),
          ...(query.athleteIds?.length ? { athleteIds: { hasSome: query.athleteIds } } : {}),
          ...(ranked ? { id: { in: ranked.map((hit) => hit.id) } } : {}),
        },
        orderBy: [{ publishedAt: "desc" }, { id: "asc" }],
        take: ranked ? undefined : query.limit,
      });
      // Full-text rank first when there is a query; otherwise the newest stories.
      const order = new Map(ranked?.map((hit, index) => [hit.id, index]));
      if (ranked) rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      return rows.slice(0, query.limit).map((row) => ({
        id: row.id,
        kind: row.kind,
        headline: row.headline,
        excerpt: row.body.length > EXCERPT_CHARS ? `${row.body.slice(0, EXCERPT_CHARS)}…` : row.body,
        publishedAt: row.publishedAt.toISOString(),
        sport: row.sport,
        countries: row.countries,
        athleteIds: row.athleteIds,
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
