// `npx tsx bench/detect-live.ts`: cost of peak detection in the worker's live path. (1) CPU per bucket update
// as the worker does it, one final window per step: the detector, de-dup, drafts, and the state's JSON that
// goes to Postgres at each checkpoint. (2) On a real Postgres: the stream worker's batch step with and without
// detection (40 series in 6 partitions, one window per batch), so the figure includes the detection
// transaction (bands, states, anomalies, jobs). Prints the figures; writes bench/results/detect-live.json.
// `--cpu-only` skips the Postgres part; BENCH_DETECTORS=uplift (comma list) measures only those detectors.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { draftsFromEvents } from "../server/detect/anomaly-drafts";
import { detectionConfig } from "../server/detect/config";
import { bucketsToJudge } from "../server/detect/final-buckets";
import { LiveDetection } from "../server/detect/live-detection";
import type { DetectionEvent } from "../server/detect/peak-tracker";
import { SeriesDetection } from "../server/detect/series-detection";
import { syntheticSeries } from "../server/detect/synthetic-series";
import { partitionForKey, type StreamBatch } from "../server/stream/transport";
import { TrafficAggregator } from "../server/traffic/aggregator";
import { DETECTOR_NAMES, type Assessment } from "../server/detect/types";
import { describeMachine } from "./machine";
import { startBenchServices } from "./services";

const WINDOW_MS = 10_000;
const START = Date.UTC(2026, 6, 1, 12);
const log = pino({ level: "silent" });
const CHECKPOINT_EVERY = 30;

/**
 * CPU time of this (main) thread in µs, from /proc on Linux (10 ms ticks): other threads (GC helpers, the
 * loader) and other processes sharing the cores do not count. Null where /proc is not available.
 */
function mainThreadCpuMicros(): number | null {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat (utime, stime), counted from the state field (3): indexes 11 and 12 here.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

function cpuPerBucket(detector: (typeof DETECTOR_NAMES)[number]) {
  const seriesCount = 200;
  const buckets = 2_000;
  const all = Array.from({ length: seriesCount }, (_, index) =>
    syntheticSeries({
      buckets,
      baseViewers: 20 + (index % 50) * 8,
      peaks: [{ atBucket: 1_000, buckets: 6, upliftPct: 120 }],
      seed: index + 1,
    }),
  );
  const config = detectionConfig({ detector });
  const detections = all.map(() => new SeriesDetection(config));
  const lastJudged: (number | null)[] = all.map(() => null);
  let stateBytes = 0;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const threadStarted = mainThreadCpuMicros();
  for (let bucket = 0; bucket < buckets; bucket += 1) {
    for (let index = 0; index < seriesCount; index += 1) {
      const observation = all[index]![bucket]!;
      const { observations } = bucketsToJudge({
        lastJudged: lastJudged[index]!,
        lastFinal: observation.bucketStart,
        counts: new Map([[observation.bucketStart, observation.observed]]),
        // The action mix as traffic_bucket holds it: about two in five actions are engaged ones.
        engaged: new Map([[observation.bucketStart, Math.round(observation.observed * 0.4)]]),
        windowMs: WINDOW_MS,
        maxZeroFill: 8_640,
      });
      // As live-detection.ts does it: drafts (and their assessment lookup) only when something happened.
      const judgedNow: Assessment[] = [];
      const events: DetectionEvent[] = [];
      for (const next of observations) {
        const step = detections[index]!.update(next);
        judgedNow.push(step.assessment);
        if (step.events.length > 0) events.push(...step.events);
      }
      if (events.length > 0) {
        const assessments = new Map(judgedNow.map((assessment) => [assessment.bucketStart, assessment]));
        draftsFromEvents({ country: "FR", sport: "x", detector, windowMs: WINDOW_MS, events, assessments });
      }
      // As the worker checkpoints: at every event, else every 30 windows.
      if (events.length > 0 || bucket % CHECKPOINT_EVERY === 0) {
        stateBytes = JSON.stringify(detections[index]!.toJSON()).length;
      }
      lastJudged[index] = observation.bucketStart;
    }
  }
  const updates = seriesCount * buckets;
  const cpu = process.cpuUsage(cpuStarted);
  const threadEnded = mainThreadCpuMicros();
  return {
    detector,
    updates,
    microsPerBucketWithState: Number(process.hrtime.bigint() - started) / 1000 / updates,
    // CPU time of this process: less swayed than wall time when other work shares the cores.
    cpuMicrosPerBucketWithState: (cpu.user + cpu.system) / updates,
    threadCpuMicrosPerBucketWithState:
      threadStarted === null || threadEnded === null ? null : (threadEnded - threadStarted) / updates,
    stateJsonBytes: stateBytes,
  };
}

function liveBatches(windows: number): StreamBatch[][] {
  const countries = ["FR", "DE", "GB", "ES", "IT", "NL", "BR", "JP"];
  const sports = ["football", "athletics", "swimming", "cycling", "tennis"];
  const series = countries.flatMap((country, c) =>
    sports.map((sport, s) => ({
      country,
      sport,
      counts: syntheticSeries({
        startMs: START,
        buckets: windows,
        baseViewers: 10 + ((c * 5 + s) % 9) * 6,
        peaks: (c + s) % 4 === 0 ? [{ atBucket: Math.floor(windows * 0.6), buckets: 6, upliftPct: 150 }] : [],
        seed: c * 10 + s,
      }),
    })),
  );
  const partitions = 6;
  const offsets = new Array<number>(partitions).fill(0);
  return Array.from({ length: windows }, (_, window) => {
    const records = new Map<number, StreamBatch["records"]>();
    for (const { country, sport, counts } of series) {
      const bucket = counts[window]!;
      if (bucket.observed === 0) continue;
      const partition = partitionForKey(`${country}|${sport}`, partitions);
      const actions = Array.from({ length: bucket.observed }, (_, i) => ({
        type: "page_view" as const,
        ts: bucket.bucketStart + Math.floor((i * WINDOW_MS) / bucket.observed),
      }));
      const list = records.get(partition) ?? [];
      list.push({
        offset: String(offsets[partition]!++),
        key: `${country}|${sport}`,
        value: Buffer.from(JSON.stringify({ v: 1, country, sport, actions })),
      });
      records.set(partition, list);
    }
    return [...records].map(([partition, list]) => ({ topic: "user-actions", partition, records: list }));
  });
}

async function postgresStep() {
  const services = await startBenchServices({ kafka: false });
  try {
    const windows = 360;
    const batches = liveBatches(windows);
    const run = async (withDetection: boolean) => {
      const db = await services.freshDatabase(withDetection ? "detect_on" : "detect_off");
      const detection = new LiveDetection({
        db,
        config: detectionConfig({}),
        grouping: {
          toleranceMs: 60_000,
          broadMinSports: 3,
          reactionMs: 180_000,
          settleMs: 60_000,
          minEventSignificance: 0.7,
          explainMs: 120_000,
          overlapMs: 60_000,
        },
        log,
      });
      const aggregator = new TrafficAggregator({
        db,
        consumerGroup: "bench",
        topic: "user-actions",
        windowSeconds: 10,
        allowedLatenessSeconds: 0,
        log,
        ...(withDetection ? { afterCommit: (committed) => detection.afterBatch(committed) } : {}),
      });
      const started = performance.now();
      for (const windowBatches of batches) {
        await Promise.all(windowBatches.map((batch) => aggregator.handleBatch(batch)));
      }
      const elapsedMs = performance.now() - started;
      const anomalies = await db.anomaly.count();
      const jobs = await db.job.count();
      return { elapsedMs, stats: detection.stats, anomalies, jobs, batches: aggregator.stats.batches };
    };
    const off = await run(false);
    const on = await run(true);
    const extraMs = on.elapsedMs - off.elapsedMs;
    return {
      windows,
      series: 40,
      partitions: 6,
      batches: on.batches,
      aggregateOnlyMsPerBatch: off.elapsedMs / off.batches,
      withDetectionMsPerBatch: on.elapsedMs / on.batches,
      detectionMsPerStep: extraMs / Math.max(1, on.stats.steps),
      detectionMicrosPerBucketEndToEnd: (extraMs * 1000) / Math.max(1, on.stats.bucketsJudged),
      detectorMicrosPerBucket: on.stats.detectorMicros / Math.max(1, on.stats.bucketsJudged),
      steps: on.stats.steps,
      bucketsJudged: on.stats.bucketsJudged,
      anomalies: on.anomalies,
      jobs: on.jobs,
    };
  } finally {
    await services.stop();
  }
}

// Each detector's pass runs twice and the second counts: the first warms the JIT up.
const cpu = (
  process.env.BENCH_DETECTORS
    ? DETECTOR_NAMES.filter((name) => process.env.BENCH_DETECTORS!.split(",").includes(name))
    : DETECTOR_NAMES
).map((detector) => {
  cpuPerBucket(detector);
  return cpuPerBucket(detector);
});
for (const result of cpu) {
  console.log(
    `live path CPU, ${result.detector}: ${result.microsPerBucketWithState.toFixed(2)} µs per bucket update ` +
      `(CPU time: ${result.threadCpuMicrosPerBucketWithState?.toFixed(2) ?? "?"} µs on the main thread, ` +
      `${result.cpuMicrosPerBucketWithState.toFixed(2)} µs all threads) ` +
      `(detector + de-dup + drafts + state JSON every ${CHECKPOINT_EVERY} windows, ${result.updates.toLocaleString("en")} updates; ` +
      `state ${(result.stateJsonBytes / 1024).toFixed(1)} KiB)`,
  );
}
const postgres = process.argv.includes("--cpu-only") ? undefined : await postgresStep();
if (postgres)
  console.log(
    `worker batch step on Postgres (40 series, 6 partitions, one window per batch, ${postgres.batches} batches): ` +
      `${postgres.aggregateOnlyMsPerBatch.toFixed(2)} ms aggregate only, ` +
      `${postgres.withDetectionMsPerBatch.toFixed(2)} ms with detection; ` +
      `detection adds ${postgres.detectionMsPerStep.toFixed(2)} ms per step ` +
      `(${postgres.detectionMicrosPerBucketEndToEnd.toFixed(0)} µs per judged bucket incl. the transaction, ` +
      `${postgres.detectorMicrosPerBucket.toFixed(2)} µs of it in the detector); ` +
      `${postgres.anomalies} anomalies, ${postgres.jobs} jobs`,
  );
const outDir = join(import.meta.dirname, "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, "detect-live.json"),
  `${JSON.stringify({ machine: describeMachine(), cpu, postgres }, null, 2)}\n`,
);
