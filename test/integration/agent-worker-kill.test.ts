// A crash of the real agent worker process: it claims a candidate's scoring and hangs in the model call (an
// OpenAI-compatible server that never answers), is killed with SIGKILL mid-stage, and a second worker takes
// the job over once its short lease (JOB_LEASE_MS) expires. Exactly one moment results, with every field
// filled, and the job and agent_run show the lost first attempt (a failed agent_run the second worker records
// when it takes the job back).
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCORE_MOMENT_JOB } from "../../server/queue/score-moment-job";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { loadSmallGames, storiedReactions, waitFor, writeCandidate } from "../support/pipeline-fixture";

/** The real agent worker as a child process (worker/agent-worker.ts), JSON logs captured. */
function startAgentWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "worker/agent-worker.ts"], {
    env: { ...process.env, LOG_FORMAT: "json", LOG_LEVEL: "info", CHANNELS_FILE: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** An OpenAI-compatible endpoint that takes requests and never answers them. */
async function startStallingModel() {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((request) => {
    request.resume();
    request.on("end", () => (requests += 1));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const LEASE_MS = "1500";
let database: MigratedDatabase;
let model: Awaited<ReturnType<typeof startStallingModel>>;

beforeAll(async () => {
  database = await createMigratedDatabase("agent_worker_kill_test");
  model = await startStallingModel();
});
afterAll(async () => {
  await model?.close();
  await database?.dispose();
});

describe("agent worker killed mid-stage", () => {
  it("loses its lease; another worker retries the job and yields exactly one complete moment", async () => {
    const { db } = database;
    const games = await loadSmallGames(db);
    const candidateId = await writeCandidate(db, storiedReactions(games)[0]!);

    const first = startAgentWorker({
      DATABASE_URL: database.url,
      LLM_PROVIDER: "openai",
      OPENAI_BASE_URL: model.baseUrl,
      LLM_TIMEOUT_MS: "600000",
      LLM_MAX_RETRIES: "0",
      JOB_LEASE_MS: LEASE_MS,
    });
    try {
      await waitFor(async () => model.requests() >= 1, "the first worker to call the model", 60_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${first.output()}`);
    }
    const claimed = await db.job.findFirstOrThrow({ where: { kind: SCORE_MOMENT_JOB } });
    expect(claimed).toMatchObject({ status: "running", attempts: 1 });
    expect(await db.moment.count({ where: { candidateId } })).toBe(1);
    await first.kill();

    const second = startAgentWorker({
      DATABASE_URL: database.url,
      LLM_PROVIDER: "offline",
      JOB_LEASE_MS: LEASE_MS,
    });
    let moment;
    try {
      moment = await waitFor(
        () => db.moment.findFirst({ where: { candidateId, routedAt: { not: null } } }),
        "the second worker to finish the moment",
        90_000,
      );
    } finally {
      expect(await second.stop(), second.output()).toBe(0);
    }
    expect(second.output()).toContain("reclaimed jobs whose lease expired");
    expect(model.requests()).toBe(1);

    expect(await db.moment.count()).toBe(1);
    expect(moment).toMatchObject({ status: "described", interesting: true, generatedBy: "offline" });
    for (const field of [
      "country",
      "interestScore",
      "interestReason",
      "causeEventId",
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
    expect(moment.storyCitations.length).toBeGreaterThan(0);

    const scoreJob = await db.job.findFirstOrThrow({ where: { kind: SCORE_MOMENT_JOB } });
    expect(scoreJob).toMatchObject({ status: "done", attempts: 2 });
    expect(scoreJob.lastError).toMatch(/attempt 1 lost its worker \(lease expired mid-job\)/);
    const runs = await db.agentRun.findMany({ where: { momentId: moment.id }, orderBy: { id: "asc" } });
    // The killed attempt wrote no results; the second worker, taking the job back, recorded it as lost, and
    // the score stage's run is attempt 2.
    expect(runs.map((run) => [run.stage, run.attempt, run.outcome])).toEqual([
      ["score", 1, "failed"],
      ["score", 2, "ok"],
      ["describe", 1, "ok"],
      ["decide", 1, "ok"],
    ]);
    expect(runs[0]).toMatchObject({
      agent: "interest-scorer",
      error: "attempt 1 lost its worker (lease expired mid-stage)",
      trace: null,
      output: null,
    });
    expect(await db.channelDecision.count({ where: { momentId: moment.id } })).toBe(2);
  });
});
