// The agents' memory in Postgres, shared by every worker: short-term is the moments this games already
// produced (the moment table itself), long-term is facts the summary agent wrote about athletes, teams,
// countries and sessions (memory_fact). Athlete, team and session ids belong to one games; country facts
// are read across games.
import type { Db } from "../db/client";
import type { MemoryFact, MomentMemory, RememberedMoment } from "../agents/tools/evidence";

const GAMES_SCOPED = /^(athlete|team|session):/;

export function createPostgresMemory(db: Db, gamesId: string | null): MomentMemory {
  return {
    async recentMoments(query): Promise<RememberedMoment[]> {
      const rows = await db.moment.findMany({
        where: {
          gamesId,
          interesting: { not: null },
          peakAt: { gte: new Date(query.since), lte: new Date(query.before) },
          ...(query.sport ? { sport: query.sport } : {}),
          ...(query.sessionId ? { clipSessionId: query.sessionId } : {}),
        },
        orderBy: [{ peakAt: "desc" }, { key: "asc" }],
        take: query.limit,
        select: {
          key: true,
          sport: true,
          clipSessionId: true,
          causeEventId: true,
          headline: true,
          interesting: true,
          peakAt: true,
        },
      });
      return rows.map((row) => ({
        key: row.key,
        sport: row.sport,
        sessionId: row.clipSessionId,
        causeEventId: row.causeEventId,
        headline: row.headline,
        interesting: row.interesting ?? false,
        at: row.peakAt.toISOString(),
      }));
    },

    async facts(query): Promise<MemoryFact[]> {
      const scoped = query.subjects.filter((subject) => GAMES_SCOPED.test(subject));
      const shared = query.subjects.filter((subject) => !GAMES_SCOPED.test(subject));
      const rows = await db.memoryFact.findMany({
        where: {
          OR: [{ subject: { in: scoped }, gamesId }, { subject: { in: shared } }],
        },
        orderBy: [{ at: "desc" }, { id: "desc" }],
        take: query.limit,
      });
      return rows.map((row) => ({
        subject: row.subject,
        fact: row.fact,
        at: row.at.toISOString(),
        sourceMomentKey: row.sourceMomentKey || null,
      }));
    },

    async rememberFact(fact: MemoryFact): Promise<void> {
      // A retried stage writes the same fact again: the natural key makes that a no-op.
      await db.memoryFact.createMany({
        data: [
          {
            gamesId,
            subject: fact.subject,
            fact: fact.fact,
            at: new Date(fact.at),
            sourceMomentKey: fact.sourceMomentKey ?? "",
          },
        ],
        skipDuplicates: true,
      });
    },
  };
}
