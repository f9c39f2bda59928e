// Peak detection in the real stream worker on a real Kafka broker, through a kill -9: two countries peaking
// together on one sport become one candidate moment with two markets and one job, exactly once, and the
// worker that restarts resumes the detectors from Postgres.
import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticSeries, type SyntheticSeriesSpec } from "../../server/detect/synthetic-series";
import { KafkaTransport } from "../../server/stream/kafka-transport";
import { encodeActions, type UserAction } from "../../server/stream/messages";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { startWorker, type WorkerProcess } from "../support/worker-process";

const START = Date.UTC(2026, 6, 4, 18);
const WINDOW_MS = 10_000;
let database: MigratedDatabase;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  database = await createMigratedDatabase("kafka_detection_test");
});
afterAll(async () => {
  await worker?.kill();
  await database?.dispose();
});

/** An audience's mix of actions (all page views would read as a bot burst, which detection ignores). */
const ACTION_MIX = ["page_view", "video_start", "page_view", "live_blog_open", "page_view", "share"] as const;

function actionsOf(country: string, sport: string, spec: SyntheticSeriesSpec): UserAction[] {
  return syntheticSeries({ startMs: START, ...spec }).flatMap((bucket) =>
    Array.from({ length: bucket.observed }, (_, i) => ({
      v: 1 as const,
      type: ACTION_MIX[i % ACTION_MIX.length]!,
      country,
      sport,
      ts: bucket.bucketStart + Math.floor((i * WINDOW_MS) / bucket.observed),
    })),
  );
}

describe("peak detection in the stream worker on Kafka", () => {
  it("stores one candidate with two markets and one job, across a kill -9 and restart", async () => {
    const brokers = process.env.TEST_KAFKA_BROKERS!;
    const suffix = randomBytes(3).toString("hex");
    const topic = `user-actions-${suffix}`;
    const env = {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_USER_ACTIONS: topic,
      KAFKA_TOPIC_DEAD_LETTER: `${topic}.dead-letter`,
      KAFKA_GROUP_ID: `detect-${suffix}`,
      KAFKA_TOPIC_PARTITIONS: "3",
    };
    const peak = { buckets: 300, baseViewers: 80, peaks: [{ atBucket: 200, buckets: 6, upliftPct: 150 }] };
    const actions = [
      ...actionsOf("FR", "football", { ...peak, seed: 3 }),
      ...actionsOf("DE", "football", { ...peak, seed: 9 }),
      ...actionsOf("ES", "cycling", { buckets: 300, baseViewers: 60, trendPerHour: 0.5, seed: 5 }),
    ].sort((a, b) => a.ts - b.ts);
    const transport = new KafkaTransport({
      brokers: [brokers],
      clientId: "detect-test",
      log: pino({ level: "warn" }),
    });
    await transport.ensureTopic(topic, 3);
    const produce = async (from: number, to: number) => {
      const part = actions.filter((a) => a.ts >= START + from * WINDOW_MS && a.ts < START + to * WINDOW_MS);
      for (let i = 0; i < part.length; i += 5_000)
        await transport.send(topic, encodeActions(part.slice(i, i + 5_000), 100));
    };

    // The first 150 windows, then the worker dies without warning mid-stream.
    await produce(0, 150);
    worker = startWorker(env);
    const judged = () => database.db.trafficBucket.count({ where: { expected: { not: null } } });
    await expect.poll(judged, { timeout: 90_000, interval: 500 }).toBeGreaterThan(3 * 120);
    await worker.kill();
    expect(await database.db.anomaly.count()).toBe(0);

    await produce(150, 300);
    worker = startWorker(env);
    await expect
      .poll(() => database.db.anomaly.count({ where: { status: "ended" } }), {
        timeout: 90_000,
        interval: 500,
      })
      .toBe(2);
    await expect.poll(judged, { timeout: 60_000, interval: 500 }).toBeGreaterThan(3 * 280); // 298 final windows less the 12 of warm-up, per series
    expect(await worker.stop(), worker.output()).toBe(0);

    const anomalies = await database.db.anomaly.findMany({ orderBy: { country: "asc" } });
    expect(
      anomalies.map((a) => [a.country, a.sport, a.kind, (a.windowStart.getTime() - START) / WINDOW_MS]),
    ).toEqual([
      ["DE", "football", "peak", 200],
      ["FR", "football", "peak", 200],
    ]);
    const candidates = await database.db.candidateMoment.findMany();
    expect(candidates).toHaveLength(1);
    expect((candidates[0]!.markets as { country: string }[]).map((m) => m.country).sort()).toEqual([
      "DE",
      "FR",
    ]);
    const jobs = await database.db.job.findMany();
    expect(jobs.map((job) => job.kind)).toEqual(["score-moment"]);
    // Every final window was judged once: each series' detector learned exactly up to its stored window.
    for (const state of await database.db.detectorState.findMany()) {
      const lastWindow = (state.lastBucketStart.getTime() - START) / WINDOW_MS;
      const learned = (state.state as { detector: { baseline: { learned: number } } }).detector.baseline
        .learned;
      expect(learned, `${state.country}|${state.sport}`).toBe(lastWindow + 1);
    }
    await transport.close();
  });
});
