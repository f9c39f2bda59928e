// What the pipeline bench looks inside with: SQL round trips and transactions a pool sends (counted in
// node-postgres, by the pool's application_name), and per-stage spans (wall, CPU, model time, round trips)
// around each job handler. Spans are only meaningful when one job runs at a time.
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { AnyJobHandler } from "../server/queue/job-runner";

export interface RoundTrips {
  /** Statements sent, BEGIN and COMMIT included. */
  queries: number;
  /** Transactions opened (BEGIN). */
  transactions: number;
}

/**
 * Counts the statements every pg client connected as `applicationName` sends from now on (the bench's own
 * queries go through another pool, so they do not count). Patches pg.Client's prototype: bench only.
 */
export function countRoundTrips(applicationName: string) {
  const counts: RoundTrips = { queries: 0, transactions: 0 };
  const prototype = pg.Client.prototype as unknown as {
    query: (this: pg.Client, ...args: unknown[]) => unknown;
  };
  const original = prototype.query;
  prototype.query = function query(this: pg.Client, ...args: unknown[]) {
    // connectionParameters is node-postgres's parsed configuration; @types/pg does not declare it.
    const parameters = (this as unknown as { connectionParameters?: { application_name?: string } })
      .connectionParameters;
    if (parameters?.application_name === applicationName) {
      counts.queries += 1;
      const first = args[0];
      const text = typeof first === "string" ? first : (first as { text?: string } | undefined)?.text;
      if (text === "BEGIN") counts.transactions += 1;
    }
    return original.apply(this, args);
  };
  return {
    read: (): RoundTrips => ({ ...counts }),
    restore: () => {
      prototype.query = original;
    },
  };
}

export interface StageSpan {
  stage: string;
  /** performance.now() when the handler returned, and this process's CPU (µs, user + system) by then. */
  endedAt: number;
  cpuMicrosAtEnd: number;
  wallMs: number;
  modelMs: number;
  cpuMs: number;
  queries: number;
  transactions: number;
}

/** Wraps each handler's `handle` to record a span per job it runs; `take` returns and clears them. */
export function withStageSpans(
  handlers: readonly AnyJobHandler[],
  probes: { modelMs: () => number; roundTrips: () => RoundTrips },
) {
  let spans: StageSpan[] = [];
  const wrapped = handlers.map((handler): AnyJobHandler => ({
    ...handler,
    async handle(run) {
      const model = probes.modelMs();
      const trips = probes.roundTrips();
      const cpu = process.cpuUsage();
      const started = performance.now();
      try {
        return await handler.handle(run);
      } finally {
        const endedAt = performance.now();
        const cpuAtEnd = process.cpuUsage();
        const used = process.cpuUsage(cpu);
        const after = probes.roundTrips();
        spans.push({
          stage: handler.spec.kind,
          endedAt,
          cpuMicrosAtEnd: cpuAtEnd.user + cpuAtEnd.system,
          wallMs: endedAt - started,
          modelMs: probes.modelMs() - model,
          cpuMs: (used.user + used.system) / 1_000,
          queries: after.queries - trips.queries,
          transactions: after.transactions - trips.transactions,
        });
      }
    },
  }));
  return {
    handlers: wrapped,
    take: (): StageSpan[] => {
      const taken = spans;
      spans = [];
      return taken;
    },
  };
}
