// The durable moment pipeline on a real Postgres: a candidate written as detection writes it becomes a
// scored, described and routed moment with the offline provider; a worker that dies mid-stage loses its
// lease, the job is retried and still yields one moment; an agent that keeps answering invalid JSON fails
// its job visibly after the retries.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOfflineProvider } from "../../server/agents/llm/offline-provider";
import type { ConverseRequest, LlmProvider } from "../../server/agents/llm/types";
import { offlineComposers } from "../../server/agents/providers";
import { MOMENT_CHANNEL } from "../../server/moments/moment-channel";
import { pipelineJobs } from "../../server/moments/pipeline-jobs";
import { scoreStage } from "../../server/moments/score-stage";
import { JobRunner } from "../../server/queue/job-runner";
import { claimJobs, LeaseLostError } from "../../server/queue/job-store";
import { SCORE_MOMENT_JOB } from "../../server/queue/score-moment-job";
import type { GamesOnDisk } from "../../server/replay/games-files";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import {
  loadSmallGames,
  pipelineDeps,
  silentLog,
  storiedReactions,
  waitFor,
  writeCandidate,
} from "../support/pipeline-fixture";

let database: MigratedDatabase;
let games: GamesOnDisk;

beforeAll(async () => {
  database = await createMigratedDatabase("moment_pipeline_test");
  games = await loadSmallGames(database.db);
});
afterAll(async () => {
  await database?.dispose();
});
beforeEach(async () => {
  await database.db.$executeRawUnsafe(
    "TRUNCATE anomaly, candidate_moment, job, moment, agent_run, channel_decision, memory_fact CASCADE",
  );
});

function runner(provider?: LlmProvider, overrides?: ConstructorParameters<typeof JobRunner>[0]["overrides"]) {
  return new JobRunner({
    db: database.db,
    handlers: pipelineJobs(pipelineDeps(database.db, provider)),
    log: silentLog,
    pollMs: 50,
    reclaimEveryMs: 100,
    overrides,
  });
}

describe("moment pipeline", () => {
  it("turns a candidate into a scored, described and routed moment with every field filled", async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const notices: string[] = [];
    listener.on("notification", (message) => notices.push(message.payload ?? ""));
    await listener.query(`LISTEN ${MOMENT_CHANNEL}`);

    const reaction = storiedReactions(games)[0]!;
    const candidateId = await writeCandidate(database.db, reaction);
    const jobs = runner();
    const started = performance.now();
    jobs.start();
    const moment = await waitFor(
      () => database.db.moment.findFirst({ where: { candidateId, routedAt: { not: null } } }),
      "the moment to be routed",
    );
    const elapsedMs = performance.now() - started;
    await jobs.stop();
    // Score and describe each claimed the next stage's job in their own commit: no wake-up between stages.
    expect(jobs.stats.chained).toBe(2);

    expect(moment).toMatchObject({
      key: expect.stringMatching(/\|/),
      gamesId: games.manifest.id,
      status: "described",
      interesting: true,
      causeEventId: reaction.causeEventId,
      generatedBy: "offline",
    });
    for (const field of [
      "country",
      "interestScore",
      "interestReason",
      "headline",
      "description",
      "story",
      "tags",
      "clipSessionId",
      "clipIn",
      "clipOut",
      "clipReason",
      "scoredAt",
      "describedAt",
      "routedAt",
    ] as const) {
      expect(moment[field], field).not.toBeNull();
    }
    expect(moment.countries.length).toBeGreaterThan(0);
    expect(moment.storyCitations.length).toBeGreaterThan(0);
    expect(moment.clipIn! < moment.clipOut!).toBe(true);

    const runs = await database.db.agentRun.findMany({
      where: { momentId: moment.id },
      orderBy: { id: "asc" },
    });
    expect(runs.map((run) => [run.stage, run.attempt, run.outcome])).toEqual([
      ["score", 1, "ok"],
      ["describe", 1, "ok"],
      ["decide", 1, "ok"],
    ]);
    expect(runs[0]!.trace).toMatchObject({ agent: "interest-scorer", generatedBy: "offline" });
    // Every stage records the time it took, the rules-only channel deciders too (operators read p50/p95).
    expect(runs.every((run) => run.latencyMs > 0)).toBe(true);

    const decisions = await database.db.channelDecision.findMany({ where: { momentId: moment.id } });
    expect(decisions.map((decision) => decision.channelId).sort()).toEqual([
      "editors-feed",
      "newsroom-slack",
    ]);
    const feed = decisions.find((decision) => decision.channelId === "editors-feed")!;
    expect(feed).toMatchObject({ decision: "send", decidedBy: "rules_passed" });
    expect(feed.payload).toMatchObject({ format: "feed", item: { title: moment.headline } });

    const allJobs = await database.db.job.findMany({ orderBy: { id: "asc" } });
    expect(allJobs.map((job) => [job.kind, job.status, job.attempts])).toEqual([
      ["score-moment", "done", 1],
      ["describe-moment", "done", 1],
      ["decide-channels", "done", 1],
    ]);
    await waitFor(async () => notices.length >= 4, "four moment notices");
    expect(new Set(notices)).toEqual(new Set([moment.id.toString()]));
    await listener.end();
    console.log(
      `[moment-pipeline] candidate → routed moment in ${Math.round(elapsedMs)} ms (offline provider)`,
    );
  });

  it("keeps an uninteresting moment with the scorer's reason and goes no further", async () => {
    const reaction = storiedReactions(games)[0]!;
    const candidateId = await writeCandidate(database.db, reaction);
    // Move the candidate far from any play-by-play: nothing explains it.
    await database.db.candidateMoment.update({
      where: { id: candidateId },
      data: { startedAt: new Date(Date.UTC(2020, 0, 1)), lastPeakAt: new Date(Date.UTC(2020, 0, 1)) },
    });
    const jobs = runner();
    jobs.start();
    const moment = await waitFor(
      () => database.db.moment.findFirst({ where: { candidateId, interesting: { not: null } } }),
      "the moment to be scored",
    );
    await waitFor(async () => (await database.db.job.count({ where: { status: "done" } })) === 1, "job done");
    await jobs.stop();
    expect(moment).toMatchObject({ status: "not_interesting", interesting: false, headline: null });
    expect(moment.interestReason).toMatch(/explains it/);
    expect(await database.db.job.count()).toBe(1);
  });

  it("skips a dismissed candidate without a moment", async () => {
    const candidateId = await writeCandidate(database.db, storiedReactions(games)[0]!);
    await database.db.candidateMoment.update({ where: { id: candidateId }, data: { status: "dismissed" } });
    const jobs = runner();
    jobs.start();
    await waitFor(async () => (await database.db.job.count({ where: { status: "done" } })) === 1, "job done");
    await jobs.stop();
    expect(await database.db.moment.count()).toBe(0);
  });

  it("retries a job whose worker died mid-stage and still yields one moment", async () => {
    const candidateId = await writeCandidate(database.db, storiedReactions(games)[1]!);
    // The first worker claims the job, opens the moment, and hangs in the model call; it never renews its
    // lease (as if killed), and only wakes after another worker has finished the job.
    const [stale] = await claimJobs(database.db, SCORE_MOMENT_JOB, 1, 500);
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const offline = createOfflineProvider(offlineComposers());
    const hanging: LlmProvider = {
      kind: "offline",
      converse: async (request: ConverseRequest) => {
        await woken;
        return offline.converse(request);
      },
    };
    const staleRun = scoreStage(pipelineDeps(database.db, hanging)).handle({
      job: stale!,
      payload: stale!.payload as { anomalyId: string; candidateId: string },
      signal: new AbortController().signal,
    });
    await waitFor(
      () => database.db.moment.findFirst({ where: { candidateId } }),
      "the stale run to open the moment",
    );

    const jobs = runner(undefined, { "score-moment": { leaseMs: 500 } });
    jobs.start();
    await waitFor(
      () => database.db.moment.findFirst({ where: { candidateId, routedAt: { not: null } } }),
      "the retried moment to be routed",
    );
    wake();
    await expect(staleRun).rejects.toBeInstanceOf(LeaseLostError);
    await jobs.stop();

    expect(await database.db.moment.count()).toBe(1);
    const scoreJob = await database.db.job.findFirstOrThrow({ where: { kind: SCORE_MOMENT_JOB } });
    expect(scoreJob).toMatchObject({ status: "done", attempts: 2 });
    expect(jobs.stats.reclaimed).toBe(1);
    // The lost attempt is recorded when the queue takes the job back; the stale run, woken later, adds nothing.
    const scored = await database.db.agentRun.findMany({ where: { stage: "score" }, orderBy: { id: "asc" } });
    expect(scored.map((run) => [run.attempt, run.outcome])).toEqual([
      [1, "failed"],
      [2, "ok"],
    ]);
    expect(scored[0]!.error).toBe("attempt 1 lost its worker (lease expired mid-stage)");
    expect(await database.db.channelDecision.count()).toBe(2);
  });

  it("fails the job visibly when the agent keeps giving invalid answers", async () => {
    const candidateId = await writeCandidate(database.db, storiedReactions(games)[0]!);
    let calls = 0;
    const scripted: LlmProvider = {
      kind: "openai",
      converse: async () => {
        calls += 1;
        return {
          content: [{ type: "text", text: '{"interesting": "maybe", "score": 7}' }],
          stopReason: "end_turn",
          usage: { inputTokens: 100, outputTokens: 10 },
          latencyMs: 1,
          attempts: 1,
        };
      },
    };
    const jobs = runner(scripted, { "score-moment": { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 20 } });
    jobs.start();
    const job = await waitFor(
      () => database.db.job.findFirst({ where: { kind: SCORE_MOMENT_JOB, status: "failed" } }),
      "the job to fail",
    );
    await jobs.stop();

    expect(job.attempts).toBe(2);
    expect(job.lastError).toMatch(/AgentOutputInvalidError: interest-scorer gave an invalid answer twice/);
    // Each attempt: the answer, then the corrected answer after being told what was wrong.
    expect(calls).toBe(4);
    const moment = await database.db.moment.findFirstOrThrow({ where: { candidateId } });
    expect(moment.status).toBe("new");
    const runs = await database.db.agentRun.findMany({
      where: { momentId: moment.id },
      orderBy: { attempt: "asc" },
    });
    expect(runs.map((run) => [run.stage, run.attempt, run.outcome, run.generatedBy])).toEqual([
      ["score", 1, "failed", "model"],
      ["score", 2, "failed", "model"],
    ]);
    expect(runs[0]!.error).toMatch(/interesting/);
    expect(runs[0]!.inputTokens).toBe(200);
    expect(await database.db.job.count()).toBe(1);
  });
});
