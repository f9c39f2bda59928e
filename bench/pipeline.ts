// The agent pipeline on an embedded Postgres: a `small` games loaded as the archive, its audience reactions
// written as detection writes them, and the real job runner (LISTEN wake-ups) running score → describe →
// decide. Prints, per moment, the pipeline's overhead excluding model time (offline provider, and Bedrock
// through the real AWS SDK against a local Converse server that answers at once), its CPU (this process and
// Postgres), the SQL statements and transactions the runner sent, the same per stage, moments per second with
// 8 jobs per stage at once, retrieval latency (memory, play-by-play search, stories full-text search) and RSS.
// Usage: tsx bench/pipeline.ts [--rounds N] [--moments N] [--json FILE] [--compare EARLIER.json]
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import pino from "pino";
import { createOfflineProvider } from "../server/agents/llm/offline-provider";
import type { LlmProvider } from "../server/agents/llm/types";
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
import { startInstantBedrock } from "./instant-bedrock";
import { cpuSnapshot, describeMachine } from "./machine";
import { percentiles, startPhaseMeter } from "./measure";
import { countRoundTrips, withStageSpans, type StageSpan } from "./pipeline-probes";
import {
  printComparison,
  printOverhead,
  printThroughput,
  writeFigures,
  type OverheadFigures,
  type PipelineFigures,
  type StageFigures,
  type ThroughputFigures,
} from "./pipeline-report";
import { startBenchServices, type BenchServices } from "./services";

const log = pino({ level: "silent" });
const BUCKET_MS = 10_000;
const CONCURRENCY = 8;
const RETRIEVAL_QUERIES = 200;
/** The runner's pool connects under this name, so only its statements are counted (not the bench's own). */
const RUNNER_APPLICATION = "peaklight-bench-runner";
const roundTrips = countRoundTrips(RUNNER_APPLICATION);

function argOf(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} expects a positive integer`);
  return value;
}

function pathArg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = process.argv[index + 1];
  if (!value || value.startsWith("--")) throw new Error(`--${name} expects a file path`);
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

/** The runner's own pool, named so its statements are counted apart from the bench's. */
function runnerDb(url: string): Db {
  return createDb(`${url}?application_name=${RUNNER_APPLICATION}`, CONCURRENCY);
}

function runnerFor(db: Db, url: string, provider: LlmProvider, modelMs: () => number) {
  const spans = withStageSpans(
    pipelineJobs({
      db,
      provider,
      llm: parseConfig({ LLM_PROVIDER: provider.kind === "bedrock" ? "bedrock" : "offline" }),
      bucketSeconds: 10,
      channels: configuredChannels(),
      log,
    }),
    { modelMs, roundTrips: roundTrips.read },
  );
  const runner = new JobRunner({
    db,
    handlers: spans.handlers,
    log,
    listenUrl: url,
    overrides: Object.fromEntries(
      spans.handlers.map((handler) => [handler.spec.kind, { concurrency: CONCURRENCY }]),
    ),
  });
  return { runner, takeSpans: spans.take };
}

const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

function stageFigures(spans: readonly StageSpan[]): StageFigures[] {
  const stages = [...new Set(spans.map((span) => span.stage))];
  return stages.map((stage) => {
    const of = spans.filter((span) => span.stage === stage);
    return {
      stage,
      overheadMs: percentiles(of.map((span) => span.wallMs - span.modelMs))!,
      cpuMs: percentiles(of.map((span) => span.cpuMs))!,
      queries: mean(of.map((span) => span.queries)),
      transactions: mean(of.map((span) => span.transactions)),
    };
  });
}

/**
 * One moment at a time: write the candidate, wait for the queue to drain. Overhead = from the candidate's
 * commit to the end of the last stage, minus model time; end-to-end = the whole round (write and drain check
 * included).
 */
async function measureOverhead(
  services: BenchServices,
  label: string,
  name: string,
  provider: LlmProvider,
  model: { read(): number; reset(): void },
  rounds: number,
): Promise<OverheadFigures> {
  await services.freshDatabase(name);
  const url = services.postgres.url(name);
  const db = createDb(url, 2);
  const workerDb = runnerDb(url);
  try {
    const games = await loadArchive(db);
    const reactions = games.groundTruth.filter((moment) => !moment.decoy && moment.markets.length > 0);
    const { runner, takeSpans } = runnerFor(workerDb, url, provider, model.read);
    const drain = await drainWatcher(url, db);
    await runner.start();
    const overhead: number[] = [];
    const endToEnd: number[] = [];
    let modelTotal = 0;
    let routedSoFar = 0;
    const nodeCpuMs: number[] = [];
    const postgresCpuMs: number[] = [];
    const queries: number[] = [];
    const transactions: number[] = [];
    const spans: StageSpan[] = [];
    const warmup = 5;
    try {
      for (let round = 0; round < rounds + warmup; round++) {
        const reaction = reactions[round % reactions.length]!;
        // Postgres's CPU from /proc (its backends are the postmaster's children), read outside the window
        // this process's own CPU is measured in, so walking /proc does not count.
        const postgresFrom = cpuSnapshot({ postgres: services.postgres.pid }).postgres ?? 0;
        model.reset();
        takeSpans();
        const tripsFrom = roundTrips.read();
        const started = performance.now();
        await writeCandidate(db, reaction, round);
        // The pipeline's time and CPU run from the candidate's commit (what detection hands over) to the end
        // of the last stage; the bench's own write and drain check stay out of them.
        const committed = performance.now();
        const cpuAtCommit = process.cpuUsage();
        await drain.untilDrained();
        const wall = performance.now() - started;
        const trips = roundTrips.read();
        const roundPostgresMs =
          ((cpuSnapshot({ postgres: services.postgres.pid }).postgres ?? 0) - postgresFrom) * 1_000;
        // Only moments that went through all three stages count (uninteresting ones stop after scoring).
        const routed = await db.moment.count({ where: { routedAt: { not: null } } });
        const wentThrough = routed > routedSoFar;
        routedSoFar = routed;
        const roundSpans = takeSpans();
        const lastStage = roundSpans.at(-1);
        if (round >= warmup && wentThrough && lastStage) {
          overhead.push(lastStage.endedAt - committed - model.read());
          endToEnd.push(wall);
          nodeCpuMs.push((lastStage.cpuMicrosAtEnd - cpuAtCommit.user - cpuAtCommit.system) / 1_000);
          postgresCpuMs.push(roundPostgresMs);
          queries.push(trips.queries - tripsFrom.queries);
          transactions.push(trips.transactions - tripsFrom.transactions);
          spans.push(...roundSpans);
          modelTotal += model.read();
        }
      }
    } finally {
      await runner.stop();
      await drain.close();
    }
    return {
      label,
      moments: overhead.length,
      overhead: percentiles(overhead)!,
      endToEnd: percentiles(endToEnd)!,
      modelMsPerMoment: modelTotal / Math.max(1, overhead.length),
      nodeCpuMs: percentiles(nodeCpuMs)!,
      postgresCpuMsPerMoment: mean(postgresCpuMs),
      queriesPerMoment: mean(queries),
      transactionsPerMoment: mean(transactions),
      stages: stageFigures(spans),
    };
  } finally {
    await Promise.all([db.$disconnect(), workerDb.$disconnect()]);
  }
}

async function measureThroughput(services: BenchServices, moments: number) {
  const name = "peaklight_bench_pipeline_throughput";
  await services.freshDatabase(name);
  const url = services.postgres.url(name);
  const db = createDb(url, 2);
  const workerDb = runnerDb(url);
  const games = await loadArchive(db);
  const reactions = games.groundTruth.filter((moment) => !moment.decoy && moment.markets.length > 0);
  for (let index = 0; index < moments; index++) {
    await writeCandidate(db, reactions[index % reactions.length]!, index);
  }
  const offline = timedProvider(createOfflineProvider(offlineComposers()));
  const { runner } = runnerFor(workerDb, url, offline.provider, offline.read);
  const drain = await drainWatcher(url, db);
  const tripsFrom = roundTrips.read();
  const meter = startPhaseMeter({ postgres: services.postgres.pid });
  const started = performance.now();
  await runner.start();
  await drain.untilDrained();
  await drain.close();
  const seconds = (performance.now() - started) / 1_000;
  const measured = meter.finish(moments);
  const trips = roundTrips.read();
  await runner.stop();
  await workerDb.$disconnect();
  const routed = await db.moment.count({ where: { routedAt: { not: null } } });
  const scored = await db.moment.count();
  const figures: ThroughputFigures = {
    candidates: moments,
    scored,
    routed,
    seconds,
    momentsPerSecond: scored / seconds,
    pipelinesPerSecond: routed / seconds,
    nodeCpuMsPerMoment: (measured.cpu.benchSeconds * 1_000) / scored,
    postgresCpuMsPerMoment:
      measured.cpu.postgresSeconds === null ? null : (measured.cpu.postgresSeconds * 1_000) / scored,
    queriesPerMoment: (trips.queries - tripsFrom.queries) / scored,
    transactionsPerMoment: (trips.transactions - tripsFrom.transactions) / scored,
    rssMb: { before: measured.rssMb.before, peak: measured.rssMb.peak },
  };
  return { db, games, figures };
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
  const jsonFile = pathArg("json");
  const compareFile = pathArg("compare");
  const machine = describeMachine();
  const loadAtStart = os.loadavg()[0]!;
  console.log(
    `Agent pipeline bench on ${machine.cores} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}; ` +
      `load average ${loadAtStart.toFixed(1)} at start`,
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
    printOverhead(rounds, overheads);

    const throughput = await measureThroughput(services, moments);
    printThroughput(CONCURRENCY, throughput.figures);

    const retrieval = await measureRetrieval(throughput.db, throughput.games);
    console.log(
      `\nRetrieval (${RETRIEVAL_QUERIES} queries each after 10 warm-up; ${retrieval.facts} memory facts):`,
    );
    console.log("query                          ms p50  ms p95  ms max");
    for (const [label, p] of Object.entries(retrieval.rows)) {
      console.log(`${label.padEnd(30)} ${ms(p.p50)} ${ms(p.p95)} ${ms(p.max)}`);
    }
    await throughput.db.$disconnect();
    const loadAtEnd = os.loadavg()[0]!;
    console.log(
      `\nRSS at the end: ${Math.round(process.memoryUsage().rss / 1024 ** 2)} MB; ` +
        `load average ${loadAtEnd.toFixed(1)} (other work on the machine inflates wall times, not CPU ms)`,
    );
    const figures: PipelineFigures = {
      generatedAt: new Date().toISOString(),
      machine,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      overhead: overheads,
      throughput: throughput.figures,
      retrieval: retrieval.rows,
    };
    if (jsonFile) await writeFigures(jsonFile, figures);
    if (compareFile) await printComparison(compareFile, figures);
  } finally {
    await bedrock.close();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
