// Live push against a real Postgres: a committed bucket write reaches an SSE client through NOTIFY/LISTEN,
// and a client that reconnects with its last event id gets exactly what it missed.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveHub } from "../../server/live/live-hub";
import { COUNTRY_TOTAL_SPORT } from "../../server/stream/messages";
import { createTrafficStream } from "../../server/live/traffic-stream";
import { writePartitionBatch } from "../../server/traffic/bucket-store";
import { BucketPartitions } from "../../server/traffic/partitions";
import type { BucketChange } from "../../server/traffic/live-channel";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { SseReader } from "../support/sse";

const T0 = Date.UTC(2026, 6, 2, 20);
let database: MigratedDatabase;
let hub: LiveHub;

beforeAll(async () => {
  database = await createMigratedDatabase("live_test");
  hub = new LiveHub(database.url, pino({ level: "silent" }));
});
afterAll(async () => {
  await hub?.close();
  if (process.env.DATABASE_URL) await (await import("../../server/live/hub-registry")).liveHub().close();
  await database?.dispose();
});

let offset = 0;
async function write(country: string, sport: string, bucketStart: number, actions: number) {
  offset += 1;
  await new BucketPartitions(database.db, pino({ level: "silent" })).ensureFor([bucketStart]);
  return writePartitionBatch(database.db, {
    consumerGroup: "live-test",
    topic: "user-actions",
    partition: 0,
    previousNextOffset: offset === 1 ? null : String(offset - 1),
    nextOffset: String(offset),
    maxEventTime: null,
    windowSeconds: 10,
    buckets: [
      {
        country,
        sport,
        bucketStart,
        actions,
        pageViews: actions,
        videoStarts: 0,
        liveBlogOpens: 0,
        shares: 0,
      },
    ],
    late: [],
    deadLetters: [],
  });
}

const changesOf = (data: unknown) => data as BucketChange[];

describe("live traffic over SSE", () => {
  it("pushes each committed change to subscribers of that country only", async () => {
    const abort = new AbortController();
    const reader = new SseReader(
      createTrafficStream({ db: database.db, hub, country: "FR", signal: abort.signal }),
    );
    await reader.until((e) => e.event === "ready");
    await write("US", "football", T0, 7);
    await write("FR", "athletics", T0, 3);
    await write("FR", "athletics", T0, 2); // increments the same bucket
    const latest = await reader.until(
      (e) => e.event === "buckets" && changesOf(e.data).some((c) => c[1] === "athletics" && c[3] === 5),
    );
    const received = reader.events.filter((e) => e.event === "buckets").flatMap((e) => changesOf(e.data));
    expect(received.every((c) => c[0] === "FR")).toBe(true);
    expect(Number(latest.id)).toBe(changesOf(latest.data).at(-1)![4]);
    abort.abort();
    await reader.close();
  });

  it("replays what a client missed after its Last-Event-ID, then continues live", async () => {
    const [seen] = await write("GB", "swimming", T0, 1);
    const lastEventId = seen![4];
    await write("GB", "swimming", T0 + 10_000, 4); // missed while disconnected
    await write("GB", "cycling", T0, 6); // missed while disconnected

    const abort = new AbortController();
    const reader = new SseReader(
      createTrafficStream({
        db: database.db,
        hub,
        country: "GB",
        afterSeq: lastEventId,
        signal: abort.signal,
      }),
    );
    await reader.until((e) => e.event === "ready");
    const replayed = reader.events
      .filter((e) => e.event === "buckets")
      .flatMap((e) => changesOf(e.data))
      .filter((c) => c[1] !== COUNTRY_TOTAL_SPORT); // each write also moves GB's total
    expect(replayed.map((c) => [c[1], c[2] - T0, c[3]])).toEqual([
      ["swimming", 10_000, 4],
      ["cycling", 0, 6],
    ]);
    await write("GB", "cycling", T0, 1);
    await reader.until(
      (e) => e.event === "buckets" && changesOf(e.data).some((c) => c[1] === "cycling" && c[3] === 7),
    );
    abort.abort();
    await reader.close();
  });

  it("recovers when Postgres drops the live connection, catching up on what it missed", async () => {
    const abort = new AbortController();
    const reader = new SseReader(
      createTrafficStream({ db: database.db, hub, country: "AU", signal: abort.signal }),
    );
    await reader.until((e) => e.event === "ready");
    await write("AU", "sailing", T0, 1);
    await reader.until((e) => e.event === "buckets");
    await database.db.$executeRaw`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'peaklight-live' AND datname = current_database()`;
    await write("AU", "sailing", T0, 2); // committed while the hub is disconnected: its NOTIFY is lost
    await reader.until(
      (e) => e.event === "buckets" && changesOf(e.data).some((c) => c[1] === "sailing" && c[3] === 3),
      15_000,
    );
    abort.abort();
    await reader.close();
  });

  it("serves the route with validation: a bad country is a 400 naming the parameter", async () => {
    process.env.DATABASE_URL = database.url;
    const { GET } = await import("../../app/api/live/traffic/route");
    const bad = await GET(new Request("http://localhost/api/live/traffic?country=france"));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("country: expected a country code such as FR");

    const abort = new AbortController();
    const response = await GET(
      new Request("http://localhost/api/live/traffic?country=JP&since=0", { signal: abort.signal }),
    );
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    await write("JP", "judo", T0, 9);
    const reader = new SseReader(response.body!);
    await reader.until(
      (e) => e.event === "buckets" && changesOf(e.data).some((c) => c[0] === "JP" && c[3] === 9),
    );
    abort.abort();
    await reader.close();
  });
});
