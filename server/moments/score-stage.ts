// Stage 1, `score-moment`: opens the moment for a candidate (dismissed candidates are skipped), asks the
// interest scorer, and in one transaction (one statement) stores its verdict and trace, finishes the job,
// records the audit event and queues the description when the moment is interesting. Uninteresting moments stay, with the
// scorer's reason. A moment an editor rejected while it was being scored keeps the editor's decision.
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { runtimeFor } from "../agents/providers";
import { runAgent } from "../agents/runner";
import { scorerAgent } from "../agents/scorer-agent";
import type { MomentSubject } from "../agents/moment-evidence";
import { describeMomentJob } from "../queue/describe-moment-job";
import type { JobHandler } from "../queue/job-runner";
import { scoreMomentJob, type ScoreMomentPayload } from "../queue/score-moment-job";
import { subjectOf, type StoredCandidate } from "./candidate-subject";
import { momentEventCtes } from "./moment-events";
import { assertTransition } from "./moment-status";
import { commitStage, okRun, recordLostRun, runRecorded } from "./stage-results";
import { toolsFor, type PipelineDeps } from "./stage-runtime";

/** The moment a score job works on: what the stage reads of it. */
interface OpenMoment {
  id: bigint;
  key: string;
  gamesId: string | null;
  status: string;
}

interface CandidateRow {
  id: bigint;
  key: string;
  sport: string;
  status: string;
  started_at: Date;
  last_peak_at: Date | null;
  markets: unknown;
  score: number;
  extra_viewers: number;
  /** The games whose archive explains it: its cause event's, else the latest loaded games covering it. */
  games_id: string | null;
  moment_id: bigint | null;
  moment_key: string | null;
  moment_games_id: string | null;
  moment_status: string | null;
}

/** The candidate, the games that explains it and its moment if one is open already: one query. */
async function readCandidate(db: Db, candidateId: bigint): Promise<CandidateRow | undefined> {
  const [row] = await db.$queryRaw<CandidateRow[]>`
    SELECT c.id, c.key, c.sport, c.status, c.started_at, c.last_peak_at, c.markets, c.score, c.extra_viewers,
           COALESCE(c.cause_games_id,
                    (SELECT g.id FROM games g WHERE g.starts_at <= c.started_at AND g.ends_at >= c.started_at
                     ORDER BY g.loaded_at DESC LIMIT 1)) AS games_id,
           m.id AS moment_id, m.key AS moment_key, m.games_id AS moment_games_id, m.status AS moment_status
    FROM candidate_moment c LEFT JOIN moment m ON m.candidate_id = c.id
    WHERE c.id = ${candidateId}`;
  return row;
}

/**
 * The candidate's moment, created (status new) with its `opened` event on first sight; one per candidate. One
 * statement: the insert, then the event, which (moment-events.ts) locks after the insert and notifies.
 */
async function openMoment(
  db: Db,
  candidate: StoredCandidate,
  subject: MomentSubject,
  gamesId: string | null,
): Promise<OpenMoment> {
  const countries = subject.candidate.markets.map((market) => market.country);
  const opened = await db.$queryRaw<{ moment_id: bigint }[]>`
    WITH opened AS (
      INSERT INTO moment (candidate_id, key, games_id, sport, country, countries, markets, peak_at)
      VALUES (${candidate.id}, ${candidate.key}, ${gamesId}, ${candidate.sport}, ${countries[0]!},
              ${countries}::text[], ${JSON.stringify(candidate.markets ?? [])}::jsonb, ${candidate.startedAt})
      ON CONFLICT DO NOTHING
      RETURNING id),
    ${momentEventCtes("opened", {
      actor: "agent:score",
      action: "opened",
      reason: `audience peak in ${countries.join(", ")}`,
      detail: { candidateId: candidate.id.toString(), key: candidate.key },
    })}
    SELECT moment_id FROM event_notified`;
  if (opened[0]) {
    return { id: opened[0].moment_id, key: candidate.key, gamesId, status: "new" };
  }
  // Another attempt opened it meanwhile.
  const [moment] = await db.$queryRaw<OpenMoment[]>`
    SELECT id, key, games_id AS "gamesId", status FROM moment WHERE candidate_id = ${candidate.id}`;
  if (!moment) throw new Error(`candidate ${candidate.id}: its moment was neither created nor found`);
  return moment;
}

export function scoreStage(deps: PipelineDeps): JobHandler<ScoreMomentPayload> {
  return {
    spec: scoreMomentJob,
    async handle({ job, payload, chainSlot }) {
      const { db } = deps;
      const row = await readCandidate(db, BigInt(payload.candidateId));
      if (!row) return { skip: `candidate ${payload.candidateId} no longer exists` };
      if (row.status === "dismissed") {
        return { skip: `candidate ${row.id} was dismissed as a country-wide surge` };
      }
      const candidate: StoredCandidate = {
        id: row.id,
        key: row.key,
        sport: row.sport,
        startedAt: row.started_at,
        lastPeakAt: row.last_peak_at,
        markets: row.markets,
        score: row.score,
        extraViewers: row.extra_viewers,
      };
      const subject = subjectOf(candidate, deps.bucketSeconds);
      const moment: OpenMoment =
        row.moment_id !== null
          ? {
              id: row.moment_id,
              key: row.moment_key!,
              gamesId: row.moment_games_id,
              status: row.moment_status!,
            }
          : await openMoment(db, candidate, subject, row.games_id);
      if (moment.status !== "new")
        return { skip: `moment ${moment.id} is already scored (${moment.status})` };

      const at = { momentId: moment.id, stage: "score" as const, attempt: job.attempt };
      const tools = toolsFor(db, moment, subject);
      const run = await runRecorded(db, at, () =>
        runAgent(scorerAgent, subject, runtimeFor(deps.llm, "interest-scorer", deps.provider, tools)),
      );
      const status = run.output.interesting ? "interesting" : "not_interesting";
      assertTransition(moment.id, moment.status, status);
      const scored = await commitStage(db, job, at, {
        run: okRun(run),
        waitingIn: "new",
        momentUpdate: Prisma.sql`status = ${status}, interesting = ${run.output.interesting},
          interest_score = ${run.output.score}, interest_reason = ${run.output.reason},
          cause_event_id = ${run.output.causeEventId}, generated_by = ${run.generatedBy}, scored_at = now()`,
        // The slot is asked for only now, so it is held for the commit, not the model's time.
        next: run.output.interesting
          ? {
              spec: describeMomentJob,
              payload: { momentId: moment.id.toString() },
              slot: chainSlot?.(describeMomentJob.kind),
            }
          : undefined,
        event: {
          actor: "agent:score",
          action: "scored",
          reason: run.output.reason,
          detail: {
            interesting: run.output.interesting,
            score: run.output.score,
            generatedBy: run.generatedBy,
          },
        },
      });
      const stored = scored.status !== null;
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
      return scored.chained ? { chained: scored.chained } : "finished";
    },
    recordLostAttempt: (db, lost) =>
      recordLostRun(db, "score", { candidateId: lost.payload.candidateId }, lost.attempt),
  };
}
