// The agents' memory in Postgres, shared by every worker: short-term is the moments this games already
// produced (the moment table itself), long-term is facts the summary agent wrote about athletes, teams,
// countries and sessions (memory_fact). Athlete, team and session ids belong to one games; country facts
// are read across games. Raw SQL, one statement per call: these run on agent turns, the pipeline's hot path.
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { MemoryFact, MomentMemory, RememberedMoment } from "../agents/tools/evidence";

const GAMES_SCOPED = /^(athlete|team|session):/;

/** `column = value`, or `column IS NULL` for a null value (as Prisma's `where: { column: null }`). */
const equalsOrNull = (column: string, value: string | null) =>
  value === null ? Prisma.sql`${Prisma.raw(column)} IS NULL` : Prisma.sql`${Prisma.raw(column)} = ${value}`;

export function createPostgresMemory(db: Db, gamesId: string | null): MomentMemory {
  return {
    async recentMoments(query): Promise<RememberedMoment[]> {
      const rows = await db.$queryRaw<
        {
          key: string;
          sport: string;
          clip_session_id: string | null;
          cause_event_id: string | null;
          headline: string | null;
          interesting: boolean | null;
          peak_at: Date;
        }[]
      >`
        SELECT key, sport, clip_session_id, cause_event_id, headline, interesting, peak_at FROM moment
        WHERE ${equalsOrNull("games_id", gamesId)} AND interesting IS NOT NULL
          AND peak_at >= ${new Date(query.since)} AND peak_at <= ${new Date(query.before)}
          ${query.sport ? Prisma.sql`AND sport = ${query.sport}` : Prisma.empty}
          ${query.sessionId ? Prisma.sql`AND clip_session_id = ${query.sessionId}` : Prisma.empty}
        ORDER BY peak_at DESC, key ASC
        LIMIT ${query.limit}`;
      return rows.map((row) => ({
        key: row.key,
        sport: row.sport,
        sessionId: row.clip_session_id,
        causeEventId: row.cause_event_id,
        headline: row.headline,
        interesting: row.interesting ?? false,
        at: row.peak_at.toISOString(),
      }));
    },

    async facts(query): Promise<MemoryFact[]> {
      const scoped = query.subjects.filter((subject) => GAMES_SCOPED.test(subject));
      const shared = query.subjects.filter((subject) => !GAMES_SCOPED.test(subject));
      const rows = await db.$queryRaw<
        { subject: string; fact: string; at: Date; source_moment_key: string }[]
      >`
        SELECT subject, fact, at, source_moment_key FROM memory_fact
        WHERE (subject = ANY(${scoped}::text[]) AND ${equalsOrNull("games_id", gamesId)})
           OR subject = ANY(${shared}::text[])
        ORDER BY at DESC, id DESC
        LIMIT ${query.limit}`;
      return rows.map((row) => ({
        subject: row.subject,
        fact: row.fact,
        at: row.at.toISOString(),
        sourceMomentKey: row.source_moment_key || null,
      }));
    },

    async rememberFact(fact: MemoryFact): Promise<void> {
      // A retried stage writes the same fact again: the natural key makes that a no-op.
      await db.$executeRaw`
        INSERT INTO memory_fact (games_id, subject, fact, at, source_moment_key)
        VALUES (${gamesId}, ${fact.subject}, ${fact.fact}, ${new Date(fact.at)}, ${fact.sourceMomentKey ?? ""})
        ON CONFLICT DO NOTHING`;
    },
  };
}
