// Stage 3, `decide-channels`: every configured channel decides on the described moment (its rules in code,
// then its editorial model when it has guidance, then its hourly cap) and formats what it would send. One
// transaction records a decision per channel with the rule that decided and the payload, finishes the job
// and records the audit event. Delivery itself comes after editor approval; the payload is what it will
// send. An editor may approve before the channels have decided: then this transaction queues the deliveries
// (the approval found no decisions to deliver).
import type { Prisma } from "../db/generated/client";
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
import { finishJob } from "../queue/job-store";
import type { JobHandler } from "../queue/job-runner";
import { enqueueDeliveries } from "../channels/deliveries";
import { subjectOf } from "./candidate-subject";
import { recordMomentEvent } from "./moment-events";
import { momentAwaiting, stageOutput, toolsFor, type PipelineDeps } from "./stage-runtime";

const HOUR_MS = 3_600_000;

export function decideStage(deps: PipelineDeps): JobHandler<DecideChannelsPayload> {
  return {
    spec: decideChannelsJob,
    async handle({ job, payload }) {
      const { db } = deps;
      const awaiting = await momentAwaiting(
        db,
        payload.momentId,
        ["described", "approved"],
        "channel decisions",
      );
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
        interest: interestSchema.parse(await stageOutput(db, moment.id, "score")),
        summary: summarySchema.parse(await stageOutput(db, moment.id, "describe")),
        generatedBy: moment.generatedBy === "model" ? "model" : "offline",
      };
      const now = deps.now?.() ?? Date.now();
      const tools = toolsFor(db, moment, subject);
      const decisions: ChannelDecision[] = [];
      for (const channel of deps.channels) {
        const sentInLastHour = await db.channelDecision.count({
          where: { channelId: channel.id, decision: "send", createdAt: { gte: new Date(now - HOUR_MS) } },
        });
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
        await finishJob(tx, job);
        // Taken before the decisions are written: an editor's approval (which locks the moment first too)
        // either committed before, and is seen here, or waits and then sees these decisions.
        const [locked] = await tx.$queryRaw<{ status: string }[]>`
          SELECT status FROM moment WHERE id = ${moment.id} FOR UPDATE`;
        await tx.agentRun.create({
          data: {
            momentId: moment.id,
            stage: "decide",
            attempt: job.attempt,
            agent: "channel-decider",
            outcome: "ok",
            trace: { editorial: traces } as unknown as Prisma.InputJsonValue,
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
            latencyMs: sum((trace) => trace.latencyMs),
          },
        });
        await tx.channelDecision.createMany({
          data: decisions.map((decision) => ({
            momentId: moment.id,
            channelId: decision.channelId,
            decision: decision.send ? "send" : "skip",
            decidedBy: decision.decidedBy,
            reason: decision.reason,
            priority: decision.priority,
            markets: decision.markets,
            generatedBy: decision.generatedBy,
            payload: (decision.payload ?? undefined) as Prisma.InputJsonValue | undefined,
          })),
          skipDuplicates: true,
        });
        await tx.moment.update({
          where: { id: moment.id },
          data: { routedAt: new Date(), updatedAt: new Date() },
        });
        const deliveries = locked?.status === "approved" ? await enqueueDeliveries(tx, moment.id) : [];
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
