// Stage 2, `describe-moment`: the enrichment & summary agent writes headline, description, story with
// citations, tags and clip points; one transaction (one statement) stores them with the trace, finishes the
// job, records the audit event and queues the channel decisions. A moment an editor rejected meanwhile keeps that decision.
import { Prisma } from "../db/generated/client";
import { runtimeFor } from "../agents/providers";
import { runAgent } from "../agents/runner";
import { interestSchema } from "../agents/scorer-agent";
import { summaryAgent } from "../agents/summary-agent";
import { decideChannelsJob } from "../queue/decide-channels-job";
import { describeMomentJob, type DescribeMomentPayload } from "../queue/describe-moment-job";
import type { JobHandler } from "../queue/job-runner";
import { subjectOf } from "./candidate-subject";
import { assertTransition } from "./moment-status";
import { commitStage, okRun, recordLostRun, runRecorded } from "./stage-results";
import { momentAwaiting, toolsFor, type PipelineDeps } from "./stage-runtime";

export function describeStage(deps: PipelineDeps): JobHandler<DescribeMomentPayload> {
  return {
    spec: describeMomentJob,
    async handle({ job, payload, chainSlot }) {
      const { db } = deps;
      const awaiting = await momentAwaiting(db, payload.momentId, "interesting", "a description", ["score"]);
      if ("skip" in awaiting) return { skip: awaiting.skip };
      const { moment } = awaiting;
      assertTransition(moment.id, moment.status, "described");
      const interest = interestSchema.parse(moment.scoreOutput);
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
      const described = await commitStage(db, job, at, {
        run: okRun(run),
        waitingIn: "interesting",
        momentUpdate: Prisma.sql`status = 'described', headline = ${summary.headline},
          description = ${summary.description}, story = ${summary.story.text},
          story_citations = ${summary.story.citations}::text[], tags = ${JSON.stringify(summary.tags)}::jsonb,
          cause_event_id = ${summary.causeEventId ?? moment.causeEventId},
          clip_session_id = ${summary.clip?.sessionId ?? null}, clip_in = ${summary.clip?.in ?? null},
          clip_out = ${summary.clip?.out ?? null}, clip_reason = ${summary.clip?.reason ?? null},
          generated_by = ${run.generatedBy}, described_at = now()`,
        // The slot is asked for only now, so it is held for the commit, not the model's time.
        next: {
          spec: decideChannelsJob,
          payload: { momentId: moment.id.toString() },
          slot: chainSlot?.(decideChannelsJob.kind),
        },
        event: {
          actor: "agent:describe",
          action: "described",
          reason: summary.headline,
          detail: {
            generatedBy: run.generatedBy,
            citations: summary.story.citations,
            clip: summary.clip ? { in: summary.clip.in, out: summary.clip.out } : null,
          },
        },
      });
      const stored = described.status !== null;
      if (!stored) {
        deps.log.info(
          { momentId: moment.id.toString() },
          "moment reviewed by an editor while it was described; kept the editor's decision",
        );
        return "finished";
      }
      deps.log.info({ momentId: moment.id.toString(), headline: summary.headline }, "moment described");
      return described.chained ? { chained: described.chained } : "finished";
    },
    recordLostAttempt: (db, lost) => recordLostRun(db, "describe", lost.payload, lost.attempt),
  };
}
