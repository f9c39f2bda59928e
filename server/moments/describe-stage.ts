// Stage 2, `describe-moment`: the enrichment & summary agent writes headline, description, story with
// citations, tags and clip points; one transaction stores them with the trace, finishes the job, records the
// audit event and queues the channel decisions. A moment an editor rejected meanwhile keeps that decision.
import { runtimeFor } from "../agents/providers";
import { runAgent } from "../agents/runner";
import { interestSchema } from "../agents/scorer-agent";
import { summaryAgent } from "../agents/summary-agent";
import { decideChannelsJob } from "../queue/decide-channels-job";
import { describeMomentJob, type DescribeMomentPayload } from "../queue/describe-moment-job";
import { enqueueJob } from "../queue/job-spec";
import { finishJob } from "../queue/job-store";
import type { JobHandler } from "../queue/job-runner";
import { subjectOf } from "./candidate-subject";
import { recordMomentEvent } from "./moment-events";
import { assertTransition } from "./moment-status";
import {
  momentAwaiting,
  recordAgentRun,
  runRecorded,
  stageOutput,
  toolsFor,
  type PipelineDeps,
} from "./stage-runtime";

export function describeStage(deps: PipelineDeps): JobHandler<DescribeMomentPayload> {
  return {
    spec: describeMomentJob,
    async handle({ job, payload }) {
      const { db } = deps;
      const awaiting = await momentAwaiting(db, payload.momentId, "interesting", "a description");
      if ("skip" in awaiting) return { skip: awaiting.skip };
      const { moment } = awaiting;
      assertTransition(moment.id, moment.status, "described");
      const interest = interestSchema.parse(await stageOutput(db, moment.id, "score"));
      const subject = subjectOf(moment.candidate, deps.bucketSeconds);
      const at = { momentId: moment.id, stage: "describe" as const, attempt: job.attempt };
      const tools = toolsFor(db, moment, subject);
      const run = await runRecorded(db, at, () =>
        runAgent(
          summaryAgent,
          { ...subject, interest },
          runtimeFor(deps.llm, "enrichment-summary", deps.provider, tools),
        ),
      );
      const summary = run.output;
      const stored = await db.$transaction(async (tx) => {
        await finishJob(tx, job);
        await recordAgentRun(tx, at, run);
        const { count } = await tx.moment.updateMany({
          where: { id: moment.id, status: "interesting" },
          data: {
            status: "described",
            headline: summary.headline,
            description: summary.description,
            story: summary.story.text,
            storyCitations: summary.story.citations,
            tags: summary.tags,
            causeEventId: summary.causeEventId ?? moment.causeEventId,
            clipSessionId: summary.clip?.sessionId ?? null,
            clipIn: summary.clip?.in ?? null,
            clipOut: summary.clip?.out ?? null,
            clipReason: summary.clip?.reason ?? null,
            generatedBy: run.generatedBy,
            describedAt: new Date(),
            updatedAt: new Date(),
          },
        });
        if (count === 0) return false;
        await enqueueJob(tx, decideChannelsJob, { momentId: moment.id.toString() });
        await recordMomentEvent(tx, moment.id, {
          actor: "agent:describe",
          action: "described",
          reason: summary.headline,
          detail: {
            generatedBy: run.generatedBy,
            citations: summary.story.citations,
            clip: summary.clip ? { in: summary.clip.in, out: summary.clip.out } : null,
          },
        });
        return true;
      });
      if (!stored) {
        deps.log.info(
          { momentId: moment.id.toString() },
          "moment reviewed by an editor while it was described; kept the editor's decision",
        );
        return "finished";
      }
      deps.log.info({ momentId: moment.id.toString(), headline: summary.headline }, "moment described");
      return "finished";
    },
  };
}
