// Moment memory held in one process: for tests and single-run tools. The durable, shared store (Postgres)
// replaces it in the pipeline; nothing in production keeps state only here.
import type { MemoryFact, MomentMemory, RememberedMoment } from "./evidence";

export class InMemoryMomentMemory implements MomentMemory {
  readonly moments: RememberedMoment[] = [];
  readonly factList: MemoryFact[] = [];

  async recentMoments(query: {
    sport?: string;
    sessionId?: string;
    since: number;
    before: number;
    limit: number;
  }): Promise<RememberedMoment[]> {
    return this.moments
      .filter((moment) => {
        const at = Date.parse(moment.at);
        return (
          at >= query.since &&
          at <= query.before &&
          (!query.sport || moment.sport === query.sport) &&
          (!query.sessionId || moment.sessionId === query.sessionId)
        );
      })
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.key.localeCompare(b.key))
      .slice(0, query.limit);
  }

  async facts(query: { subjects: string[]; limit: number }): Promise<MemoryFact[]> {
    const subjects = new Set(query.subjects);
    return this.factList
      .filter((fact) => subjects.has(fact.subject))
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
      .slice(0, query.limit);
  }

  async rememberFact(fact: MemoryFact): Promise<void> {
    this.factList.push(fact);
  }
}
