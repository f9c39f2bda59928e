// A moment's trace for the waterfall: every agent_run on it (stage, attempt, when it started — recorded time
// minus latency — and how long it took, outcome, turns and tool calls, tokens, cost, error), the jobs about
// it and its deliveries. Null when the moment does not exist.
import type { Db } from "../db/client";
import { jobsOfMoment } from "./ops-jobs";
import { traceSteps } from "./ops-trace-steps";
import type { MomentTrace, TraceRun } from "./ops-views";

export async function readMomentTrace(db: Db, momentId: bigint): Promise<MomentTrace | null> {
  const moment = await db.moment.findUnique({
    where: { id: momentId },
    select: {
      id: true,
      candidateId: true,
      key: true,
      sport: true,
      country: true,
      status: true,
      headline: true,
      agentRuns: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      deliveries: { orderBy: { channelId: "asc" } },
    },
  });
  if (!moment) return null;
  const runs: TraceRun[] = moment.agentRuns
    .map((run) => {
      const endMs = run.createdAt.getTime();
      const steps = traceSteps(run.trace);
      return {
        id: run.id.toString(),
        stage: run.stage,
        attempt: run.attempt,
        agent: run.agent,
        outcome: run.outcome,
        startMs: endMs - run.latencyMs,
        endMs,
        durationMs: run.latencyMs,
        modelId: run.modelId,
        generatedBy: run.generatedBy,
        inputTokens: run.inputTokens,
        outputTokens: run.outputTokens,
        costUsd: run.costUsd ?? steps.editorialCostUsd,
        error: run.error,
        traceOutcome: steps.outcome,
        turns: steps.turns,
      };
    })
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  return {
    momentId: moment.id.toString(),
    key: moment.key,
    sport: moment.sport,
    country: moment.country,
    status: moment.status,
    headline: moment.headline,
    runs,
    jobs: await jobsOfMoment(db, moment.id, moment.candidateId),
    deliveries: moment.deliveries.map((delivery) => ({
      channelId: delivery.channelId,
      status: delivery.status,
      attempts: delivery.attempts,
      error: delivery.error,
      createdAt: delivery.createdAt.getTime(),
      sentAt: delivery.sentAt?.getTime() ?? null,
    })),
  };
}
