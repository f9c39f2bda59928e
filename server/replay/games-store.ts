// Loads a games' schedule, athletes, play-by-play, stories and ground truth into Postgres (replacing an
// earlier load of the same games), and searches stories and play-by-play by full text for the agents.
import type { Db } from "../db/client";
import type { GamesPlan } from "../simulator/games";

export type GamesRecords = Pick<
  GamesPlan,
  "manifest" | "athletes" | "sessions" | "playByPlay" | "stories" | "groundTruth"
>;

export interface LoadOptions {
  /** Maps every time of the games (e.g. onto the wall clock of a re-timed replay); identity by default. */
  retime?: (ts: number) => number;
  /** Store under this id instead of the manifest's (e.g. one id per demo run). */
  gamesId?: string;
}

export interface LoadedCounts {
  athletes: number;
  sessions: number;
  playByPlay: number;
  stories: number;
  groundTruth: number;
}

const CHUNK = 2_000;

function chunks<T>(items: T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) =>
    items.slice(i * CHUNK, (i + 1) * CHUNK),
  );
}

export async function loadGames(
  db: Db,
  games: GamesRecords,
  options: LoadOptions = {},
): Promise<LoadedCounts> {
  const at = (ts: number) => new Date(options.retime ? options.retime(ts) : ts);
  const gamesId = options.gamesId ?? games.manifest.id;
  const { manifest } = games;
  await db.$transaction(
    async (tx) => {
      await tx.games.deleteMany({ where: { id: gamesId } });
      await tx.games.create({
        data: {
          id: gamesId,
          name: manifest.name,
          seed: manifest.seed,
          size: manifest.size,
          hostCountry: manifest.hostCountry,
          startsAt: at(manifest.start),
          endsAt: at(manifest.end),
        },
      });
      for (const part of chunks(games.athletes)) {
        await tx.athlete.createMany({
          data: part.map(({ id, name, country, sport, born, biography }) => ({
            gamesId,
            id,
            name,
            country,
            sport,
            born,
            biography,
          })),
        });
      }
      for (const part of chunks(games.sessions)) {
        await tx.gamesSession.createMany({
          data: part.map((s) => ({
            gamesId,
            id: s.id,
            sport: s.sport,
            event: s.event,
            phase: s.phase,
            startsAt: at(s.startsAt),
            endsAt: at(s.endsAt),
            countries: s.countries,
            athleteIds: s.athleteIds,
          })),
        });
      }
      for (const part of chunks(games.playByPlay)) {
        await tx.playByPlayEvent.createMany({
          data: part.map((e) => ({
            gamesId,
            id: e.id,
            sessionId: e.sessionId,
            sport: e.sport,
            type: e.type,
            occurredAt: at(e.ts),
            timecodeSeconds: e.timecode,
            significance: e.significance,
            countries: e.countries,
            athleteIds: e.athleteIds,
            description: e.description,
          })),
        });
      }
      for (const part of chunks(games.stories)) {
        await tx.story.createMany({
          data: part.map((s) => ({
            gamesId,
            id: s.id,
            kind: s.kind,
            headline: s.headline,
            body: s.body,
            publishedAt: at(s.publishedAt),
            sport: s.sport,
            countries: s.countries,
            athleteIds: s.athleteIds,
          })),
        });
      }
      for (const part of chunks(games.groundTruth)) {
        await tx.groundTruthMoment.createMany({
          data: part.map((m) => ({
            gamesId,
            id: m.id,
            kind: m.kind,
            decoy: m.decoy,
            startAt: at(m.start),
            peakAt: at(m.peak),
            endAt: at(m.end),
            markets: m.markets.map((market) => ({ ...market })),
            significance: m.significance,
            causeEventId: m.causeEventId,
          })),
        });
      }
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
  return {
    athletes: games.athletes.length,
    sessions: games.sessions.length,
    playByPlay: games.playByPlay.length,
    stories: games.stories.length,
    groundTruth: games.groundTruth.length,
  };
}

export interface StoryHit {
  id: string;
  kind: string;
  headline: string;
  publishedAt: Date;
  rank: number;
}

export interface SearchOptions {
  gamesId: string;
  /** Web-search syntax: words, "quoted phrases", -excluded. */
  query: string;
  /** Only what was published (or happened) by then: an agent must not read the future. */
  before?: Date;
  limit?: number;
}

/** Stories matching a full-text query, best first (headline matches weigh more than body matches). */
export async function searchStories(db: Db, options: SearchOptions): Promise<StoryHit[]> {
  return db.$queryRaw<StoryHit[]>`
    SELECT id, kind, headline, published_at AS "publishedAt",
           ts_rank(search, websearch_to_tsquery('english', ${options.query}))::float8 AS rank
    FROM story
    WHERE games_id = ${options.gamesId}
      AND search @@ websearch_to_tsquery('english', ${options.query})
      AND published_at <= ${options.before ?? new Date(8.64e15)}
    ORDER BY rank DESC, published_at DESC, id
    LIMIT ${options.limit ?? 10}`;
}

export interface PlayByPlayHit {
  id: string;
  sport: string;
  type: string;
  occurredAt: Date;
  significance: number;
  description: string;
  rank: number;
}

/** Play-by-play events matching a full-text query, best first. */
export async function searchPlayByPlay(db: Db, options: SearchOptions): Promise<PlayByPlayHit[]> {
  return db.$queryRaw<PlayByPlayHit[]>`
    SELECT id, sport, type, occurred_at AS "occurredAt", significance, description,
           ts_rank(search, websearch_to_tsquery('english', ${options.query}))::float8 AS rank
    FROM play_by_play
    WHERE games_id = ${options.gamesId}
      AND search @@ websearch_to_tsquery('english', ${options.query})
      AND occurred_at <= ${options.before ?? new Date(8.64e15)}
    ORDER BY rank DESC, occurred_at DESC, id
    LIMIT ${options.limit ?? 10}`;
}
