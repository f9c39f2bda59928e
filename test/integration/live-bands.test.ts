// Expected bands pushed live against a real Postgres: when detection judges a bucket, a live traffic client
// receives a `bands` event with its expected value and band, and a client resuming after an older event id
// gets the bands judged meanwhile.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BandChange } from "../../server/detect/band-channel";
import { writeDetection } from "../../server/detect/detection-store";
import { LiveHub } from "../../server/live/live-hub";
import { createTrafficStream } from "../../server/live/traffic-stream";
import { writePartitionBatch } from "../../server/traffic/bucket-store";
import { BucketPartitions } from "../../server/traffic/partitions";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { SseReader } from "../support/sse";

const T0 = Date.UTC(2026, 6, 3, 18);
const silent = pino({ level: "silent" });
let database: MigratedDatabase;
let hub: LiveHub;

beforeAll(async () => {
  database = await createMigratedDatabase("live_bands_test");
  hub = new LiveHub(database.url, silent);
  await new BucketPartitions(database.db, silent).ensureFor([T0]);
  await writePartitionBatch(database.db, {
    consumerGroup: "bands-test",
    topic: "user-actions",
    partition: 0,
    previousNextOffset: null,
    nextOffset: "1",
    maxEventTime: null,
    windowSeconds: 10,
    buckets: ["FR", "DE"].map((country) => ({
      country,
      sport: "rowing",
      bucketStart: T0,
      actions: 40,
      pageViews: 40,
      videoStarts: 0,
      liveBlogOpens: 0,
      shares: 0,
    })),
    late: [],
    deadLetters: [],
  });
});
afterAll(async () => {
  await hub?.close();
  await database?.dispose();
});

async function judge(country: string, expected: number): Promise<void> {
  await writeDetection(database.db, {
    buckets: [
      {
        country,
        sport: "rowing",
        bucketStart: T0,
        expected,
        expectedLow: expected - 5,
        expectedHigh: expected + 5,
      },
    ],
    states: [],
    anomalies: [],
    ends: [],
    grouping: {
      toleranceMs: 60_000,
      broadMinSports: 3,
      reactionMs: 180_000,
      settleMs: 60_000,
      minEventSignificance: 0.7,
      explainMs: 120_000,
      overlapMs: 60_000,
    },
  });
}

const bandsOf = (data: unknown) => data as BandChange[];

describe("expected bands over SSE", () => {
  it("pushes a judged bucket's band to the clients of its country, with an id to resume after", async () => {
    const abort = new AbortController();
    const reader = new SseReader(
      createTrafficStream({ db: database.db, hub, country: "FR", signal: abort.signal }),
    );
    await reader.until((e) => e.event === "ready");
    await judge("DE", 30);
    await judge("FR", 31);
    const event = await reader.until((e) => e.event === "bands");
    expect(bandsOf(event.data)).toEqual([["FR", "rowing", T0, 31, 26, 36, Number(event.id)]]);
    expect(reader.events.filter((e) => e.event === "bands").flatMap((e) => bandsOf(e.data))).toHaveLength(1);
    abort.abort();
    await reader.close();
  });

  it("replays the bands judged after a resuming client's last event id", async () => {
    const before = await database.db.trafficBucket.findUniqueOrThrow({
      where: { country_sport_bucketStart: { country: "FR", sport: "rowing", bucketStart: new Date(T0) } },
    });
    await judge("FR", 33);
    const abort = new AbortController();
    const reader = new SseReader(
      createTrafficStream({
        db: database.db,
        hub,
        country: "FR",
        afterSeq: Number(before.seq),
        signal: abort.signal,
      }),
    );
    const event = await reader.until((e) => e.event === "bands");
    expect(bandsOf(event.data).map((band) => band.slice(0, 6))).toEqual([["FR", "rowing", T0, 33, 28, 38]]);
    expect(Number(event.id)).toBeGreaterThan(Number(before.seq));
    abort.abort();
    await reader.close();
  });
});
