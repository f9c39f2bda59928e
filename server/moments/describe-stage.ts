// Stage 2, `describe-moment`: the enrichment & summary agent writes headline, description, story with
// citations, tags and clip points; one transaction stores them with the trace, finishes the job and queues
// the channel decisions.
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
import { notifyMomentChanged } from "./moment-channel";
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
      await db.$transaction(async (tx) => {
        await finishJob(tx, job);
        await recordAgentRun(tx, at, run);
        await tx.moment.update({
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
        await enqueueJob(tx, decideChannelsJob, { momentId: moment.id.toString() });
        await notifyMomentChanged(tx, moment.id);
      });
      deps.log.info({ momentId: moment.id.toString(), headline: summary.headline }, "moment described");
      return "finished";
    },
  };
}
