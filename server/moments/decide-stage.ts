// Stage 3, `decide-channels`: every configured channel decides on the described moment (its rules in code,
// then its editorial model when it has guidance, then its hourly cap) and formats what it would send. One
// transaction records a decision per channel with the rule that decided and the payload, finishes the job
// and records the audit event. Delivery itself comes after editor approval; the payload is what it will
// send. An editor may approve before the channels have decided: then this transaction queues the deliveries
// (the approval found no decisions to deliver).
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { ChannelMoment } from "../agents/channels/channel-config";
import { decideChannel, type ChannelDecision } from "../agents/channels/channel-decider";
import { deciderAgent } from "../agents/channels/decider-agent";
import { runtimeFor } from "../agents/providers";
import { runAgent } from "../agents/runner";
import { interestSchema } from "../agents/scorer-agent";
import { summarySchema } from "../agents/summary-agent";
import type { AgentTrace } from "../agents/trace";
import { COUNTRY_BY_CODE } from "../reference/countries";
import { decideChannelsJob, type DecideChannelsPayload } from "../queue/decide-channels-job";
import type { JobHandler } from "../queue/job-runner";
import { enqueueDeliveries } from "../channels/deliveries";
import { subjectOf } from "./candidate-subject";
import { recordMomentEvent } from "./moment-events";
import { MOMENT_STATUSES } from "./moment-status";
import { finishStage, recordLostRun } from "./stage-results";
import { momentAwaiting, toolsFor, type PipelineDeps } from "./stage-runtime";

const HOUR_MS = 3_600_000;

/** Per channel, the moments it decided to send since `since` (for the hourly caps): one query. */
async function sentSince(db: Db, channelIds: readonly string[], since: Date): Promise<Map<string, number>> {
  if (channelIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ channel_id: string; sent: number }[]>`
    SELECT channel_id, count(*)::int AS sent FROM channel_decision
    WHERE channel_id = ANY(${channelIds as string[]}::text[]) AND decision = 'send' AND created_at >= ${since}
    GROUP BY channel_id`;
  return new Map(rows.map((row) => [row.channel_id, row.sent]));
}

/** The decisions' rows, written with the run (after it, so only when the job was still this claim's). */
function decisionsSql(momentId: bigint, decisions: readonly ChannelDecision[]): Prisma.Sql | undefined {
  if (decisions.length === 0) return undefined;
  const rows = decisions.map(
    (decision) => Prisma.sql`(${momentId}::bigint, ${decision.channelId}::text,
      ${decision.send ? "send" : "skip"}::text, ${decision.decidedBy}::text, ${decision.reason}::text,
      ${decision.priority}::int, ${decision.markets}::text[], ${decision.generatedBy ?? null}::text,
      ${decision.payload === undefined || decision.payload === null ? null : JSON.stringify(decision.payload)}::jsonb)`,
  );
  return Prisma.sql`decided AS (
    INSERT INTO channel_decision
      (moment_id, channel_id, decision, decided_by, reason, priority, markets, generated_by, payload)
    SELECT decision.* FROM (VALUES ${Prisma.join(rows)}) AS decision
    WHERE EXISTS (SELECT 1 FROM recorded)
    ON CONFLICT (moment_id, channel_id) DO NOTHING
    RETURNING id)`;
}

export function decideStage(deps: PipelineDeps): JobHandler<DecideChannelsPayload> {
  return {
    spec: decideChannelsJob,
    async handle({ job, payload }) {
      const { db } = deps;
      const now = deps.now?.() ?? Date.now();
      // Side by side: the hourly counts do not depend on the moment (wasted only when the job is skipped).
      const [awaiting, sent] = await Promise.all([
        momentAwaiting(db, payload.momentId, ["described", "approved"], "channel decisions", [
          "score",
          "describe",
        ]),
        sentSince(
          db,
          deps.channels.map((channel) => channel.id),
          new Date(now - HOUR_MS),
        ),
      ]);
      if ("skip" in awaiting) return { skip: awaiting.skip };
      const { moment } = awaiting;
      const subject = subjectOf(moment.candidate, deps.bucketSeconds);
      const channelMoment: ChannelMoment = {
        key: moment.key,
        sport: moment.sport,
        peakAt: moment.peakAt.getTime(),
        markets: subject.candidate.markets.map((market) => ({
          country: market.country,
          upliftPct: market.upliftPct,
          marketSize: COUNTRY_BY_CODE.get(market.country)?.marketSize ?? 0,
        })),
        interest: interestSchema.parse(moment.scoreOutput),
        summary: summarySchema.parse(moment.describeOutput),
        generatedBy: moment.generatedBy === "model" ? "model" : "offline",
      };
      const tools = toolsFor(db, moment, subject);
      const decisions: ChannelDecision[] = [];
      // The deciders' time, rules and editorial model runs alike (a rules-only decision still takes some).
      const deciding = performance.now();
      for (const channel of deps.channels) {
        const sentInLastHour = sent.get(channel.id) ?? 0;
        decisions.push(
          ...(await decideChannel(channel, [channelMoment], {
            now,
            sentInLastHour,
            webhookSecret: deps.webhookSecret,
            runEditorial: (input) =>
              runAgent(deciderAgent, input, runtimeFor(deps.llm, "channel-decider", deps.provider, tools)),
          })),
        );
      }
      const traces = decisions.flatMap((decision) =>
        decision.trace ? [{ channelId: decision.channelId, trace: decision.trace }] : [],
      );
      const sum = (pick: (trace: AgentTrace) => number) =>
        traces.reduce((total, entry) => total + pick(entry.trace), 0);
      const queued = await db.$transaction(async (tx) => {
        const at = { momentId: moment.id, stage: "decide" as const, attempt: job.attempt };
        // The moment's update locks its row and returns its status as of then: an editor's approval (which
        // locks the moment first too) either committed before, and is seen here, or waits for this commit
        // and then sees these decisions.
        const status = await finishStage(tx, job, at, {
          run: {
            agent: "channel-decider",
            outcome: "ok",
            trace: { editorial: traces },
            output: decisions.map(({ channelId, send, decidedBy, reason }) => ({
              channelId,
              send,
              decidedBy,
              reason,
            })),
            generatedBy: traces[0]?.trace.generatedBy ?? null,
            modelId: traces[0]?.trace.modelId ?? null,
            inputTokens: sum((trace) => trace.usage.inputTokens),
            outputTokens: sum((trace) => trace.usage.outputTokens),
            costUsd: null,
            latencyMs: Math.ceil(performance.now() - deciding), // to the next ms: rules alone take under one
          },
          alsoWrite: decisionsSql(moment.id, decisions),
          waitingIn: MOMENT_STATUSES,
          momentUpdate: Prisma.sql`routed_at = now()`,
        });
        const deliveries = status === "approved" ? await enqueueDeliveries(tx, moment.id) : [];
        await recordMomentEvent(tx, moment.id, {
          actor: "agent:decide",
          action: "routed",
          reason: routingReason(decisions),
          detail: {
            decisions: decisions.map(({ channelId, send, decidedBy, reason }) => ({
              channelId,
              send,
              decidedBy,
              reason,
            })),
            ...(deliveries.length > 0 ? { queuedDeliveries: deliveries } : {}),
          },
        });
        return deliveries;
      });
      deps.log.info(
        {
          momentId: moment.id.toString(),
          sendTo: decisions.filter((decision) => decision.send).map((decision) => decision.channelId),
          queuedDeliveries: queued,
        },
        "moment routed",
      );
      return "finished";
    },
    recordLostAttempt: (db, lost) => recordLostRun(db, "decide", lost.payload, lost.attempt),
  };
}

/** "send to editors-feed; skip newsroom-slack (outside active hours)" */
function routingReason(decisions: readonly ChannelDecision[]): string {
  const send = decisions.filter((decision) => decision.send).map((decision) => decision.channelId);
  const skip = decisions
    .filter((decision) => !decision.send)
    .map((decision) => `${decision.channelId} (${decision.reason})`);
  const parts = [
    ...(send.length > 0 ? [`send to ${send.join(", ")}`] : []),
    ...(skip.length > 0 ? [`skip ${skip.join(", ")}`] : []),
  ];
  return parts.length > 0 ? parts.join("; ").slice(0, 1_000) : "no channel is configured";
}
