// Stage 1, `score-moment`: opens the moment for a candidate (dismissed candidates are skipped), asks the
// interest scorer, and in one transaction stores its verdict and trace, finishes the job, records the audit
// event and queues the description when the moment is interesting. Uninteresting moments stay, with the
// scorer's reason. A moment an editor rejected while it was being scored keeps the editor's decision.
import type { Db, Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { runtimeFor } from "../agents/providers";
import { runAgent } from "../agents/runner";
import { scorerAgent } from "../agents/scorer-agent";
import type { MomentSubject } from "../agents/moment-evidence";
import { describeMomentJob } from "../queue/describe-moment-job";
import { enqueueJob } from "../queue/job-spec";
import { finishJob } from "../queue/job-store";
import type { JobHandler } from "../queue/job-runner";
import { scoreMomentJob, type ScoreMomentPayload } from "../queue/score-moment-job";
import { subjectOf } from "./candidate-subject";
import { recordMomentEvent } from "./moment-events";
import { assertTransition } from "./moment-status";
import { gamesIdFor, recordAgentRun, runRecorded, toolsFor, type PipelineDeps } from "./stage-runtime";

/** The candidate's moment, created (status new) on first sight; one per candidate. */
async function openMoment(
  db: Db,
  candidate: { id: bigint; key: string; sport: string; startedAt: Date; markets: Prisma.JsonValue },
  subject: MomentSubject,
  gamesId: string | null,
) {
  const countries = subject.candidate.markets.map((market) => market.country);
  await db.$transaction(async (tx: Tx) => {
    const created = await tx.moment.createManyAndReturn({
      data: [
        {
          candidateId: candidate.id,
          key: candidate.key,
          gamesId,
          sport: candidate.sport,
          country: countries[0]!,
          countries,
          markets: candidate.markets ?? [],
          peakAt: candidate.startedAt,
        },
      ],
      skipDuplicates: true,
      select: { id: true },
    });
    if (created[0]) {
      await recordMomentEvent(tx, created[0].id, {
        actor: "agent:score",
        action: "opened",
        reason: `audience peak in ${countries.join(", ")}`,
        detail: { candidateId: candidate.id.toString(), key: candidate.key },
      });
    }
  });
  return db.moment.findUniqueOrThrow({ where: { candidateId: candidate.id } });
}

export function scoreStage(deps: PipelineDeps): JobHandler<ScoreMomentPayload> {
  return {
    spec: scoreMomentJob,
    async handle({ job, payload }) {
      const { db } = deps;
      const candidate = await db.candidateMoment.findUnique({ where: { id: BigInt(payload.candidateId) } });
      if (!candidate) return { skip: `candidate ${payload.candidateId} no longer exists` };
      if (candidate.status === "dismissed") {
        return { skip: `candidate ${candidate.id} was dismissed as a country-wide surge` };
      }
      const subject = subjectOf(candidate, deps.bucketSeconds);
      const moment = await openMoment(db, candidate, subject, await gamesIdFor(db, candidate));
      if (moment.status !== "new")
        return { skip: `moment ${moment.id} is already scored (${moment.status})` };

      const at = { momentId: moment.id, stage: "score" as const, attempt: job.attempt };
      const tools = toolsFor(db, moment, subject);
      const run = await runRecorded(db, at, () =>
        runAgent(scorerAgent, subject, runtimeFor(deps.llm, "interest-scorer", deps.provider, tools)),
      );
      const status = run.output.interesting ? "interesting" : "not_interesting";
      assertTransition(moment.id, moment.status, status);
      const stored = await db.$transaction(async (tx) => {
        await finishJob(tx, job);
        await recordAgentRun(tx, at, run);
        const { count } = await tx.moment.updateMany({
          where: { id: moment.id, status: "new" },
          data: {
            status,
            interesting: run.output.interesting,
            interestScore: run.output.score,
            interestReason: run.output.reason,
            causeEventId: run.output.causeEventId,
            generatedBy: run.generatedBy,
            scoredAt: new Date(),
            updatedAt: new Date(),
          },
        });
        if (count === 0) return false;
        if (run.output.interesting) {
          await enqueueJob(tx, describeMomentJob, { momentId: moment.id.toString() });
        }
        await recordMomentEvent(tx, moment.id, {
          actor: "agent:score",
          action: "scored",
          reason: run.output.reason,
          detail: {
            interesting: run.output.interesting,
            score: run.output.score,
            generatedBy: run.generatedBy,
          },
        });
        return true;
      });
      if (!stored) {
        deps.log.info(
          { momentId: moment.id.toString(), key: moment.key },
          "moment reviewed by an editor while it was scored; kept the editor's decision",
        );
        return "finished";
      }
      deps.log.info(
        { momentId: moment.id.toString(), key: moment.key, status, score: run.output.score },
        "moment scored",
      );
      return "finished";
    },
  };
}
