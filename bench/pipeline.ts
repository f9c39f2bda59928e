// The agent pipeline on an embedded Postgres: a `small` games loaded as the archive, its audience reactions
// written as detection writes them, and the real job runner (LISTEN wake-ups) running score → describe →
// decide. Prints, per moment, the pipeline's overhead excluding model time (offline provider, and Bedrock
// through the real AWS SDK against a local Converse server that answers at once), retrieval latency (memory,
// play-by-play search, stories full-text search), moments per second with 8 jobs per stage at once, and RSS.
// Usage: tsx bench/pipeline.ts [--rounds N] [--moments N]
import fs from "node:fs/promises";
import { createServer as createHttp2Server, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import pino from "pino";
import { createBedrockProvider } from "../server/agents/llm/bedrock-provider";
import { createOfflineProvider } from "../server/agents/llm/offline-provider";
import type { ConverseRequest, LlmProvider } from "../server/agents/llm/types";
import { offlineComposers } from "../server/agents/providers";
import { createPostgresEvidence } from "../server/agents/tools/postgres-evidence";
import { configuredChannels } from "../server/channels/configured-channels";
import { parseConfig } from "../server/config/env";
import { createDb, type Db } from "../server/db/client";
import { MOMENT_CHANNEL } from "../server/moments/moment-channel";
import { pipelineJobs } from "../server/moments/pipeline-jobs";
import { createPostgresMemory } from "../server/moments/postgres-memory";
import { JobRunner } from "../server/queue/job-runner";
import { enqueueScoreMoment } from "../server/queue/score-moment-job";
import { readGames, writeGames, type GamesOnDisk } from "../server/replay/games-files";
import { loadGames } from "../server/replay/games-store";
import { planGames } from "../server/simulator/games";
import type { GroundTruthMoment } from "../server/simulator/types";
import { cpuSnapshot, describeMachine } from "./machine";
import { percentiles, startPhaseMeter, type Percentiles } from "./measure";
import { startBenchServices, type BenchServices } from "./services";

const log = pino({ level: "silent" });
const BUCKET_MS = 10_000;
const CONCURRENCY = 8;
const RETRIEVAL_QUERIES = 200;

function argOf(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} expects a positive integer`);
  return value;
}

/** Measures time spent inside the provider: the model's time, which the overhead excludes. */
function timedProvider(inner: LlmProvider) {
  let modelMs = 0;
  const provider: LlmProvider = {
    kind: inner.kind,
    async converse(request) {
      const started = performance.now();
      try {
        return await inner.converse(request);
      } finally {
        modelMs += performance.now() - started;
      }
    },
  };
  return {
    provider,
    read: () => modelMs,
    reset: () => {
      modelMs = 0;
    },
  };
}

/**
 * A Bedrock Runtime Converse endpoint (h2c, like the fake in server/agents/llm/fake-servers.ts) whose model
 * answers at once: the offline composer's answer to the same request, which the client side registers under
 * an id carried in the request's metadata. Only the composing is model time; the SDK path is overhead.
 */
async function startInstantBedrock() {
  const offline = createOfflineProvider(offlineComposers());
  const pending = new Map<string, ConverseRequest>();
  let composeMs = 0;
  let nextId = 0;
  const sessions = new Set<Http2Session>();
  const server = createHttp2Server((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { requestMetadata?: { agent?: string } };
      const original = pending.get(body.requestMetadata?.agent?.split("#")[1] ?? "");
      if (!original) {
        response.writeHead(400, {
          "content-type": "application/json",
          "x-amzn-errortype": "ValidationException",
        });
        response.end(JSON.stringify({ message: "unknown request" }));
        return;
      }
      const started = performance.now();
      void offline.converse(original).then((result) => {
        composeMs += performance.now() - started;
        const content = result.content.map((block) =>
          block.type === "text"
            ? { text: block.text }
            : { toolUse: { toolUseId: block.id, name: block.name, input: block.input } },
        );
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            output: { message: { role: "assistant", content } },
            stopReason: result.stopReason,
            usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
            metrics: { latencyMs: 0 },
          }),
        );
      });
    });
  });
  server.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const bedrock = createBedrockProvider({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" },
    retry: { maxRetries: 0, baseDelayMs: 100, maxDelayMs: 100 },
  });
  const provider: LlmProvider = {
    kind: "bedrock",
    async converse(request) {
      const id = String((nextId += 1));
      pending.set(id, request);
      try {
        return await bedrock.converse({ ...request, agent: `${request.agent}#${id}` });
      } finally {
        pending.delete(id);
      }
    },
  };
  return {
    provider,
    modelMs: () => composeMs,
    resetModelMs: () => {
      composeMs = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

async function loadArchive(db: Db): Promise<GamesOnDisk> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "peaklight-bench-games-"));
  try {
    await writeGames(planGames({ seed: 4, size: "small" }), dir);
    const games = await readGames(dir);
    await loadGames(db, games);
    return games;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Writes a reaction as detection would (anomalies, candidate, score-moment job); `index` (ms) keeps keys unique. */
async function writeCandidate(db: Db, moment: GroundTruthMoment, index: number): Promise<void> {
  const sport = moment.markets[0]!.sport;
  const bucketStart = Math.floor(moment.start / BUCKET_MS) * BUCKET_MS + index;
  await db.$transaction(async (tx) => {
    const candidate = await tx.candidateMoment.create({
      data: {
        key: `${sport}|${bucketStart}`,
        sport,
        startedAt: new Date(bucketStart),
        lastPeakAt: new Date(Math.floor(moment.peak / BUCKET_MS) * BUCKET_MS),
        status: "open",
      },
    });
    const markets = [];
    for (const market of moment.markets.filter((entry) => entry.sport === sport)) {
      const observed = Math.round(200 * (1 + market.peakUpliftPct / 100));
      const anomaly = await tx.anomaly.create({
        data: {
          key: `${market.country}|${sport}|peak|${bucketStart}`,
          country: market.country,
          sport,
          kind: "peak",
          detector: "uplift",
          windowStart: new Date(bucketStart),
          windowEnd: new Date(bucketStart + BUCKET_MS),
          detectedAt: new Date(bucketStart + BUCKET_MS),
          observed,
          expected: 200,
          expectedLow: 160,
          expectedHigh: 240,
          upliftPct: market.peakUpliftPct,
          score: 0.8,
          status: "ended",
          candidateId: candidate.id,
        },
      });
      markets.push({
        country: market.country,
        anomalyId: anomaly.id.toString(),
        bucketStart,
        observed,
        expectedViewers: 200,
        upliftPct: market.peakUpliftPct,
        score: 0.8,
      });
    }
    markets.sort((a, b) => b.upliftPct - a.upliftPct);
    await tx.candidateMoment.update({
      where: { id: candidate.id },
      data: { markets, score: 0.8, extraViewers: markets.reduce((sum, m) => sum + m.observed - 200, 0) },
    });
    await enqueueScoreMoment(
      tx,
      { anomalyId: markets[0]!.anomalyId, candidateId: candidate.id.toString() },
      0,
    );
  });
}

async function outstandingJobs(db: Db): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM job WHERE status IN ('queued', 'running')`;
  return rows[0]!.n;
}

/**
 * Resolves when no job is queued or running, checking after each moment notification (the last stage's
 * transaction notifies as it commits), so waiting costs no polling queries.
 */
async function drainWatcher(url: string, db: Db) {
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  let wake: (() => void) | undefined;
  listener.on("notification", () => wake?.());
  await listener.query(`LISTEN ${MOMENT_CHANNEL}`);
  return {
    async untilDrained(timeoutMs = 300_000): Promise<void> {
      const deadline = performance.now() + timeoutMs;
      while ((await outstandingJobs(db)) > 0) {
        if (performance.now() > deadline) throw new Error("the pipeline did not drain in time");
        // A notification, or a slow re-check in case one was missed between the count and the wait.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 250);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    close: () => listener.end(),
  };
}

function runnerFor(db: Db, url: string, provider: LlmProvider): JobRunner {
  const handlers = pipelineJobs({
    db,
    provider,
    llm: parseConfig({ LLM_PROVIDER: provider.kind === "bedrock" ? "bedrock" : "offline" }),
    bucketSeconds: 10,
    channels: configuredChannels(),
    log,
  });
  return new JobRunner({
    db,
    handlers,
    log,
    listenUrl: url,
    overrides: Object.fromEntries(
      handlers.map((handler) => [handler.spec.kind, { concurrency: CONCURRENCY }]),
    ),
  });
}

interface OverheadResult {
  label: string;
  overhead: Percentiles;
  endToEnd: Percentiles;
  modelMsPerMoment: number;
  moments: number;
  /** CPU per moment of this process (the runner, stages, agents, Prisma): its cost even on shared cores. */
  nodeCpuMs: Percentiles;
  /** Postgres CPU per moment (mean: /proc counts in 10 ms ticks). */
  postgresCpuMsPerMoment: number;
}

/** One moment at a time: enqueue, wait for the queue to drain; overhead = wall time − model time. */
async function measureOverhead(
  services: BenchServices,
  label: string,
  name: string,
  provider: LlmProvider,
  model: { read(): number; reset(): void },
  rounds: number,
): Promise<OverheadResult> {
  await services.freshDatabase(name);
  const db = createDb(services.postgres.url(name), CONCURRENCY);
  try {
    const games = await loadArchive(db);
    const reactions = games.groundTruth.filter((moment) => !moment.decoy && moment.markets.length > 0);
    const runner = runnerFor(db, services.postgres.url(name), provider);
    const drain = await drainWatcher(services.postgres.url(name), db);
    await runner.start();
    const overhead: number[] = [];
    const endToEnd: number[] = [];
    let modelTotal = 0;
    let routedSoFar = 0;
    const nodeCpuMs: number[] = [];
    const postgresCpuMs: number[] = [];
    const warmup = 5;
    try {
      for (let round = 0; round < rounds + warmup; round++) {
        const reaction = reactions[round % reactions.length]!;
        // Postgres's CPU from /proc (its backends are the postmaster's children), read outside the window
        // this process's own CPU is measured in, so walking /proc does not count.
        const postgresFrom = cpuSnapshot({ postgres: services.postgres.pid }).postgres ?? 0;
        model.reset();
        const nodeFrom = process.cpuUsage();
        const started = performance.now();
        await writeCandidate(db, reaction, round);
        await drain.untilDrained();
        const wall = performance.now() - started;
        const nodeCpu = process.cpuUsage(nodeFrom);
        const roundPostgresMs =
          ((cpuSnapshot({ postgres: services.postgres.pid }).postgres ?? 0) - postgresFrom) * 1_000;
        // Only moments that went through all three stages count (uninteresting ones stop after scoring).
        const routed = await db.moment.count({ where: { routedAt: { not: null } } });
        const wentThrough = routed > routedSoFar;
        routedSoFar = routed;
        if (round >= warmup && wentThrough) {
          overhead.push(wall - model.read());
          endToEnd.push(wall);
          nodeCpuMs.push((nodeCpu.user + nodeCpu.system) / 1_000);
          postgresCpuMs.push(roundPostgresMs);
          modelTotal += model.read();
        }
      }
    } finally {
      await runner.stop();
      await drain.close();
    }
    return {
      label,
      overhead: percentiles(overhead)!,
      endToEnd: percentiles(endToEnd)!,
      modelMsPerMoment: modelTotal / Math.max(1, overhead.length),
      moments: overhead.length,
      nodeCpuMs: percentiles(nodeCpuMs)!,
      postgresCpuMsPerMoment: postgresCpuMs.reduce((sum, value) => sum + value, 0) / postgresCpuMs.length,
    };
  } finally {
    await db.$disconnect();
  }
}

async function measureThroughput(services: BenchServices, moments: number) {
  const name = "peaklight_bench_pipeline_throughput";
  await services.freshDatabase(name);
  const url = services.postgres.url(name);
  const db = createDb(url, CONCURRENCY);
  const games = await loadArchive(db);
  const reactions = games.groundTruth.filter((moment) => !moment.decoy && moment.markets.length > 0);
  for (let index = 0; index < moments; index++) {
    await writeCandidate(db, reactions[index % reactions.length]!, index);
  }
  const offline = timedProvider(createOfflineProvider(offlineComposers()));
  const runner = runnerFor(db, url, offline.provider);
  const drain = await drainWatcher(url, db);
  const meter = startPhaseMeter({ postgres: services.postgres.pid });
  const started = performance.now();
  await runner.start();
  await drain.untilDrained();
  await drain.close();
  const seconds = (performance.now() - started) / 1_000;
  const measured = meter.finish(moments);
  await runner.stop();
  const routed = await db.moment.count({ where: { routedAt: { not: null } } });
  return { db, games, seconds, routed, scored: await db.moment.count(), measured };
}

async function measureRetrieval(db: Db, games: GamesOnDisk) {
  const gamesId = games.manifest.id;
  const evidence = createPostgresEvidence(db, gamesId);
  const memory = createPostgresMemory(db, gamesId);
  const events = games.playByPlay.filter((event) => event.athleteIds.length > 0);
  const athletes = new Map(games.athletes.map((athlete) => [athlete.id, athlete]));
  const time = async (run: (index: number) => Promise<unknown>) => {
    const samples: number[] = [];
    for (let index = 0; index < RETRIEVAL_QUERIES + 10; index++) {
      const started = performance.now();
      await run(index);
      if (index >= 10) samples.push(performance.now() - started);
    }
    return percentiles(samples)!;
  };
  const eventAt = (index: number) => events[index % events.length]!;
  const athleteOf = (index: number) => athletes.get(eventAt(index).athleteIds[0]!)!;
  return {
    facts: await db.memoryFact.count(),
    rows: {
      "memory read (facts)": await time((index) =>
        memory.facts({
          subjects: [
            `athlete:${athleteOf(index).id}`,
            `country:${eventAt(index).countries[0] ?? "FI"}`,
            `team:${eventAt(index).countries[0] ?? "FI"}-${eventAt(index).sport}`,
          ],
          limit: 40,
        }),
      ),
      "memory read (recent moments)": await time((index) =>
        memory.recentMoments({
          sport: eventAt(index).sport,
          since: eventAt(index).ts - 3_600_000,
          before: eventAt(index).ts,
          limit: 20,
        }),
      ),
      "play-by-play search": await time((index) =>
        evidence.playByPlay({
          sport: eventAt(index).sport,
          from: eventAt(index).ts - 600_000,
          to: eventAt(index).ts + 60_000,
          query: eventAt(index).type,
          limit: 20,
        }),
      ),
      "stories full-text search": await time((index) =>
        evidence.stories({
          query: athleteOf(index).name.split(" ").at(-1)!,
          before: eventAt(index).ts,
          limit: 5,
        }),
      ),
    },
  };
}

const ms = (value: number) => value.toFixed(1).padStart(7);

async function main(): Promise<void> {
  const rounds = argOf("rounds", 60);
  const moments = argOf("moments", 200);
  const machine = describeMachine();
  console.log(
    `Agent pipeline bench on ${machine.cores} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}; ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} at start`,
  );
  const services = await startBenchServices({ kafka: false });
  const bedrock = await startInstantBedrock();
  try {
    const offline = timedProvider(createOfflineProvider(offlineComposers()));
    const overheads = [
      await measureOverhead(
        services,
        "offline provider",
        "peaklight_bench_pipeline_offline",
        offline.provider,
        offline,
        rounds,
      ),
      await measureOverhead(
        services,
        "Bedrock SDK, instant model",
        "peaklight_bench_pipeline_bedrock",
        bedrock.provider,
        { read: bedrock.modelMs, reset: bedrock.resetModelMs },
        rounds,
      ),
    ];
    console.log(`\nPer moment, score → describe → decide, one at a time (${rounds} rounds after 5 warm-up):`);
    console.log(
      "provider                     moments  overhead p50     p95  end-to-end p50     p95  model ms/moment  Node CPU ms p50     p95  Postgres CPU ms",
    );
    for (const result of overheads) {
      console.log(
        `${result.label.padEnd(28)} ${String(result.moments).padStart(7)}  ${ms(result.overhead.p50)} ${ms(result.overhead.p95)}   ${ms(result.endToEnd.p50)} ${ms(result.endToEnd.p95)}   ${ms(result.modelMsPerMoment)}  ${ms(result.nodeCpuMs.p50)} ${ms(result.nodeCpuMs.p95)}  ${ms(result.postgresCpuMsPerMoment)}`,
      );
    }

    const throughput = await measureThroughput(services, moments);
    console.log(
      `\nThroughput, ${moments} candidates queued at once, ${CONCURRENCY} jobs per stage at once (offline provider):`,
    );
    console.log(
      `  ${throughput.scored} moments scored, ${throughput.routed} routed in ${throughput.seconds.toFixed(1)} s: ` +
        `${(throughput.scored / throughput.seconds).toFixed(1)} moments/s ` +
        `(${(throughput.routed / throughput.seconds).toFixed(1)} full pipelines/s); ` +
        `RSS ${throughput.measured.rssMb.before} → peak ${throughput.measured.rssMb.peak} MB; ` +
        `CPU bench ${throughput.measured.cpu.benchSeconds.toFixed(1)} s, Postgres ${throughput.measured.cpu.postgresSeconds?.toFixed(1) ?? "?"} s`,
    );

    const retrieval = await measureRetrieval(throughput.db, throughput.games);
    console.log(
      `\nRetrieval (${RETRIEVAL_QUERIES} queries each after 10 warm-up; ${retrieval.facts} memory facts):`,
    );
    console.log("query                          ms p50  ms p95  ms max");
    for (const [label, p] of Object.entries(retrieval.rows)) {
      console.log(`${label.padEnd(30)} ${ms(p.p50)} ${ms(p.p95)} ${ms(p.max)}`);
    }
    await throughput.db.$disconnect();
    console.log(
      `\nRSS at the end: ${Math.round(process.memoryUsage().rss / 1024 ** 2)} MB; ` +
        `load average ${os.loadavg()[0]!.toFixed(1)} (other work on the machine inflates wall times, not CPU ms)`,
    );
  } finally {
    await bedrock.close();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
