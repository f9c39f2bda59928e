// The operators' view on a real Postgres: stage figures (runs, error rate, nearest-rank p50/p95, tokens,
// cost sums and per moment, including the channel deciders' editorial costs) over agent_run rows in and out
// of the window, queue depths with the oldest queued age, the jobs list with the moment each job is about,
// "retry now" fenced on failed (with the runners woken), and a moment's trace waterfall. Routes are called
// as Next.js calls them: a Request in, a Response out.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as getJobs } from "../../app/api/ops/jobs/route";
import { POST as postRetry } from "../../app/api/ops/jobs/[id]/retry/route";
import { GET as getTrace } from "../../app/api/ops/moments/[id]/trace/route";
import { GET as getSummary } from "../../app/api/ops/summary/route";
import type { Db } from "../../server/db/client";
import type { Prisma } from "../../server/db/generated/client";
import type { MomentTrace, OpsJob, OpsJobList, OpsSummary } from "../../server/observability/ops-views";
import { JOB_CHANNEL } from "../../server/queue/job-spec";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { insertMoment } from "../support/moment-fixture";

let database: MigratedDatabase;
let db: Db;

beforeAll(async () => {
  database = await createMigratedDatabase("ops_observability_test");
  db = database.db;
  process.env.DATABASE_URL = database.url;
});
afterAll(async () => {
  await (globalThis as { peaklightDb?: Db }).peaklightDb?.$disconnect();
  await database?.dispose();
});
beforeEach(async () => {
  await db.$executeRawUnsafe("TRUNCATE candidate_moment, job, moment, agent_run, channel_delivery CASCADE");
});

const url = (path: string) => `http://localhost${path}`;
const context = (id: string) => ({ params: Promise.resolve({ id }) });
const agoMs = (ms: number) => new Date(Date.now() - ms);

interface RunRow {
  momentId: bigint;
  stage: string;
  attempt: number;
  outcome?: string;
  latencyMs: number;
  costUsd?: number | null;
  inputTokens?: number;
  outputTokens?: number;
  createdAt?: Date;
  trace?: Prisma.InputJsonValue;
  generatedBy?: string;
  modelId?: string;
  error?: string;
}

async function insertRuns(rows: RunRow[]): Promise<void> {
  await db.agentRun.createMany({
    data: rows.map((row) => ({
      momentId: row.momentId,
      stage: row.stage,
      attempt: row.attempt,
      agent: `${row.stage}-agent`,
      outcome: row.outcome ?? "ok",
      latencyMs: row.latencyMs,
      costUsd: row.costUsd === undefined ? 0.001 : row.costUsd,
      inputTokens: row.inputTokens ?? 100,
      outputTokens: row.outputTokens ?? 10,
      createdAt: row.createdAt ?? agoMs(60_000),
      trace: row.trace,
      generatedBy: row.generatedBy ?? "model",
      modelId: row.modelId ?? "amazon.nova-lite-v1:0",
      error: row.error,
    })),
  });
}

async function summary(window: string): Promise<OpsSummary> {
  const response = await getSummary(new Request(url(`/api/ops/summary?window=${window}`)));
  expect(response.status).toBe(200);
  return (await response.json()) as OpsSummary;
}

async function insertJob(job: {
  kind: string;
  status: string;
  payload: Prisma.InputJsonValue;
  attempts?: number;
  lastError?: string;
  createdAt?: Date;
  runAfter?: Date;
  lockedUntil?: Date;
}): Promise<bigint> {
  const row = await db.job.create({
    data: {
      kind: job.kind,
      dedupeKey: `${job.kind}:${JSON.stringify(job.payload)}:${Math.random()}`,
      payload: job.payload,
      status: job.status,
      attempts: job.attempts ?? 1,
      lastError: job.lastError,
      createdAt: job.createdAt,
      runAfter: job.runAfter,
      lockedUntil: job.lockedUntil,
    },
  });
  return row.id;
}

describe("stage figures", () => {
  it("counts runs, failures, nearest-rank latency percentiles, tokens and cost per stage in the window", async () => {
    const first = await insertMoment(db, { status: "new" });
    const second = await insertMoment(db, { status: "new" });
    // 20 scorer runs, 100 … 2000 ms, two of them failed; the second moment's runs cost nothing known.
    await insertRuns(
      Array.from({ length: 20 }, (_, index) => ({
        momentId: index < 10 ? first : second,
        stage: "score",
        attempt: (index % 10) + 1,
        latencyMs: (index + 1) * 100,
        outcome: index === 3 || index === 17 ? "failed" : "ok",
        costUsd: index < 10 ? 0.002 : null,
        inputTokens: 1_000,
        outputTokens: 50,
        generatedBy: index % 2 === 0 ? "model" : "offline",
      })),
    );
    // Outside the last hour, inside the last day.
    await insertRuns([
      { momentId: first, stage: "score", attempt: 11, latencyMs: 60_000, createdAt: agoMs(2 * 3_600_000) },
    ]);
    // The channel deciders: cost from the editorial traces (two channels' models ran), and a run where only
    // rules decided (no model call: costs nothing).
    await insertRuns([
      {
        momentId: first,
        stage: "decide",
        attempt: 1,
        latencyMs: 800,
        costUsd: null,
        trace: {
          editorial: [
            { channelId: "newsroom-slack", trace: { costUsd: 0.01, turns: [] } },
            { channelId: "editors-feed", trace: { costUsd: 0.005, turns: [] } },
          ],
        },
      },
      {
        momentId: second,
        stage: "decide",
        attempt: 1,
        latencyMs: 2,
        costUsd: null,
        trace: { editorial: [] },
      },
    ]);

    const hour = await summary("1h");
    const score = hour.stages.find((stage) => stage.stage === "score")!;
    expect(score).toMatchObject({
      label: "Interest scorer",
      runs: 20,
      failures: 2,
      errorRate: 0.1,
      latencyP50Ms: 1_000,
      latencyP95Ms: 1_900,
      latencyMaxMs: 2_000,
      inputTokens: 20_000,
      outputTokens: 1_000,
      pricedRuns: 10,
      moments: 2,
      modelIds: ["amazon.nova-lite-v1:0"],
      generatedBy: { model: 10, offline: 10 },
    });
    expect(score.costUsd).toBeCloseTo(0.02, 10);
    // Per moment: over the moments whose cost is known (only the first).
    expect(score.costPerMomentUsd).toBeCloseTo(0.02, 10);

    const decide = hour.stages.find((stage) => stage.stage === "decide")!;
    expect(decide.runs).toBe(2);
    expect(decide.costUsd).toBeCloseTo(0.015, 10);
    expect(decide.costPerMomentUsd).toBeCloseTo(0.0075, 10);

    const describeStage = hour.stages.find((stage) => stage.stage === "describe")!;
    expect(describeStage).toMatchObject({ runs: 0, errorRate: null, latencyP95Ms: null, costUsd: null });
    expect(hour.stages.map((stage) => stage.stage)).toEqual(["score", "describe", "decide"]);
    expect(hour.totals).toMatchObject({ runs: 22, failures: 2, moments: 2 });
    expect(hour.totals.costUsd).toBeCloseTo(0.035, 10);

    const day = await summary("24h");
    expect(day.stages.find((stage) => stage.stage === "score")).toMatchObject({
      runs: 21,
      latencyMaxMs: 60_000,
    });
    expect(day.at - day.from).toBe(86_400_000);
  });

  it("refuses a window it does not know with a 400 naming it", async () => {
    const response = await getSummary(new Request(url("/api/ops/summary?window=2h")));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("window");
  });
});

describe("queue", () => {
  it("counts jobs per kind and status, with the oldest queued job's age and expired leases", async () => {
    await insertJob({
      kind: "score-moment",
      status: "queued",
      payload: { candidateId: "1" },
      createdAt: agoMs(90_000),
    });
    await insertJob({
      kind: "score-moment",
      status: "queued",
      payload: { candidateId: "2" },
      createdAt: agoMs(5_000),
      runAfter: new Date(Date.now() + 60_000),
    });
    await insertJob({
      kind: "score-moment",
      status: "running",
      payload: { candidateId: "3" },
      lockedUntil: agoMs(1_000),
    });
    await insertJob({
      kind: "describe-moment",
      status: "failed",
      payload: { momentId: "9" },
      lastError: "boom",
    });
    await insertJob({ kind: "describe-moment", status: "done", payload: { momentId: "8" } });

    const { queue, failedJobs, lastFailureAt } = await summary("15m");
    expect(queue).toEqual([
      {
        kind: "describe-moment",
        queued: 0,
        due: 0,
        running: 0,
        leaseExpired: 0,
        failed: 1,
        done: 1,
        oldestQueuedAgeMs: null,
      },
      expect.objectContaining({
        kind: "score-moment",
        queued: 2,
        due: 1,
        running: 1,
        leaseExpired: 1,
        failed: 0,
      }),
    ]);
    const oldest = queue.find((row) => row.kind === "score-moment")!.oldestQueuedAgeMs!;
    expect(oldest).toBeGreaterThanOrEqual(89_000);
    expect(oldest).toBeLessThan(150_000);
    expect(failedJobs).toBe(1);
    expect(lastFailureAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it("lists jobs by status and kind with the moment each is about", async () => {
    const momentId = await insertMoment(db, { status: "interesting" });
    const { candidateId } = await db.moment.findUniqueOrThrow({ where: { id: momentId } });
    const scoreJob = await insertJob({
      kind: "score-moment",
      status: "failed",
      payload: { anomalyId: "1", candidateId: candidateId.toString() },
      lastError: "AgentRunError: provider down",
      attempts: 4,
    });
    const describeJob = await insertJob({
      kind: "describe-moment",
      status: "failed",
      payload: { momentId: momentId.toString() },
    });
    await insertJob({ kind: "describe-moment", status: "failed", payload: { momentId: "not-a-number" } });
    await insertJob({ kind: "describe-moment", status: "done", payload: { momentId: momentId.toString() } });

    const response = await getJobs(new Request(url("/api/ops/jobs?status=failed&limit=10")));
    expect(response.status).toBe(200);
    const { jobs } = (await response.json()) as OpsJobList;
    expect(jobs).toHaveLength(3);
    const byId = new Map(jobs.map((job) => [job.id, job]));
    expect(byId.get(scoreJob.toString())).toMatchObject({
      kind: "score-moment",
      attempts: 4,
      lastError: "AgentRunError: provider down",
      momentId: momentId.toString(),
    });
    expect(byId.get(describeJob.toString())!.momentId).toBe(momentId.toString());
    expect(jobs.filter((job) => job.momentId === null)).toHaveLength(1);

    const scoreOnly = (await (
      await getJobs(new Request(url("/api/ops/jobs?kind=score-moment")))
    ).json()) as OpsJobList;
    expect(scoreOnly.jobs.map((job) => job.id)).toEqual([scoreJob.toString()]);

    for (const bad of ["status=dead", "limit=0", "limit=500", "kind=DROP%20TABLE"]) {
      const refused = await getJobs(new Request(url(`/api/ops/jobs?${bad}`)));
      expect(refused.status, bad).toBe(400);
    }
  });
});

describe("retry now", () => {
  it("queues a failed job again, due at once, and wakes the runners; only a failed one", async () => {
    const failed = await insertJob({
      kind: "describe-moment",
      status: "failed",
      payload: { momentId: "1" },
      attempts: 4,
      lastError: "AgentRunError: invalid output twice",
      runAfter: agoMs(3_600_000),
    });
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const woken: string[] = [];
    listener.on("notification", (message) => woken.push(message.payload ?? ""));
    await listener.query(`LISTEN ${JOB_CHANNEL}`);
    try {
      const response = await postRetry(
        new Request(url(`/api/ops/jobs/${failed}/retry`), { method: "POST" }),
        context(failed.toString()),
      );
      expect(response.status).toBe(200);
      const job = (await response.json()) as OpsJob;
      expect(job).toMatchObject({ id: failed.toString(), status: "queued", attempts: 4 });
      const row = await db.job.findUniqueOrThrow({ where: { id: failed } });
      expect(row.status).toBe("queued");
      expect(row.runAfter.getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(row.lockedUntil).toBeNull();
      await expect.poll(() => woken).toEqual(["describe-moment"]);

      // Pressed twice (or by two operators): the second finds it queued.
      const again = await postRetry(
        new Request(url(`/api/ops/jobs/${failed}/retry`), { method: "POST" }),
        context(failed.toString()),
      );
      expect(again.status).toBe(409);
      expect(((await again.json()) as { error: string }).error).toContain("is queued, not failed");
    } finally {
      await listener.end();
    }
  });

  it("refuses a running or done job with 409, an unknown one with 404 and a bad id with 400", async () => {
    const running = await insertJob({
      kind: "score-moment",
      status: "running",
      payload: { candidateId: "5" },
    });
    const done = await insertJob({ kind: "score-moment", status: "done", payload: { candidateId: "6" } });
    const post = (id: string) =>
      postRetry(new Request(url(`/api/ops/jobs/${id}/retry`), { method: "POST" }), context(id));
    expect((await post(running.toString())).status).toBe(409);
    expect((await post(done.toString())).status).toBe(409);
    expect((await db.job.findUniqueOrThrow({ where: { id: running } })).status).toBe("running");
    expect((await db.job.findUniqueOrThrow({ where: { id: done } })).status).toBe("done");
    expect((await post("999999")).status).toBe(404);
    expect((await post("abc")).status).toBe(400);
  });
});

describe("moment trace", () => {
  it("lays a moment's agent runs on a time axis with turns, tool calls, errors and its jobs", async () => {
    const momentId = await insertMoment(db, { status: "described" });
    const ended = Date.now() - 30_000;
    await insertRuns([
      {
        momentId,
        stage: "describe",
        attempt: 1,
        outcome: "failed",
        latencyMs: 4_000,
        createdAt: new Date(ended - 10_000),
        error: "summary: invalid output twice",
        trace: {
          outcome: "invalid_output",
          turns: [
            {
              index: 0,
              latencyMs: 1_500,
              attempts: 2,
              stopReason: "tool_use",
              usage: { inputTokens: 900, outputTokens: 80 },
              toolCalls: [
                {
                  id: "a",
                  name: "search_stories",
                  args: {},
                  allowed: true,
                  ok: true,
                  latencyMs: 40,
                  resultItems: 2,
                },
              ],
            },
          ],
        },
      },
      { momentId, stage: "score", attempt: 1, latencyMs: 1_000, createdAt: new Date(ended - 20_000) },
      { momentId, stage: "describe", attempt: 2, latencyMs: 3_000, createdAt: new Date(ended) },
      {
        momentId,
        stage: "decide",
        attempt: 1,
        latencyMs: 500,
        costUsd: null,
        createdAt: new Date(ended + 1_000),
        trace: { editorial: [{ channelId: "newsroom-slack", trace: { costUsd: 0.004, turns: [] } }] },
      },
    ]);
    await insertJob({
      kind: "describe-moment",
      status: "done",
      payload: { momentId: momentId.toString() },
      attempts: 2,
    });

    const response = await getTrace(
      new Request(url(`/api/ops/moments/${momentId}/trace`)),
      context(momentId.toString()),
    );
    expect(response.status).toBe(200);
    const trace = (await response.json()) as MomentTrace;
    expect(trace.runs.map((run) => `${run.stage}#${run.attempt}:${run.outcome}`)).toEqual([
      "score#1:ok",
      "describe#1:failed",
      "describe#2:ok",
      "decide#1:ok",
    ]);
    // The channel deciders' cost comes from their editorial traces.
    expect(trace.runs[3]!.costUsd).toBeCloseTo(0.004, 10);
    const failed = trace.runs[1]!;
    expect(failed).toMatchObject({
      startMs: ended - 14_000,
      endMs: ended - 10_000,
      durationMs: 4_000,
      error: "summary: invalid output twice",
      traceOutcome: "invalid_output",
    });
    expect(failed.turns[0]!.toolCalls[0]).toMatchObject({ name: "search_stories", ok: true, resultItems: 2 });
    expect(trace.jobs).toEqual([
      expect.objectContaining({ kind: "describe-moment", status: "done", momentId: trace.momentId }),
    ]);

    expect(
      (await getTrace(new Request(url("/api/ops/moments/424242/trace")), context("424242"))).status,
    ).toBe(404);
    expect((await getTrace(new Request(url("/api/ops/moments/0/trace")), context("0"))).status).toBe(400);
  });
});
