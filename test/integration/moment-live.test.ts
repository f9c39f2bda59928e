// The live moments stream on a real Postgres, through the route as Next.js calls it: a committed change
// reaches a connected client as `event: moment` with the moment's latest audit event id; a client that
// reconnects with Last-Event-ID gets every moment changed while it was away, in order, then live changes;
// one LISTEN connection serves traffic and moments, and a dropped one is caught up on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as liveMoments } from "../../app/api/live/moments/route";
import { GET as liveTraffic } from "../../app/api/live/traffic/route";
import type { Db } from "../../server/db/client";
import { editMoment, reviewMoment } from "../../server/moments/editor-review";
import { recordMomentEvent } from "../../server/moments/moment-events";
import type { MomentSummary } from "../../server/moments/moment-views";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { insertMoment } from "../support/moment-fixture";
import { SseReader, type ReceivedEvent } from "../support/sse";

let database: MigratedDatabase;
let db: Db;

beforeAll(async () => {
  database = await createMigratedDatabase("moment_live_test");
  db = database.db;
  process.env.DATABASE_URL = database.url;
});
afterAll(async () => {
  await (await import("../../server/live/hub-registry")).liveHub().close();
  await (globalThis as { peaklightDb?: Db }).peaklightDb?.$disconnect();
  await database?.dispose();
});

const summaryOf = (event: ReceivedEvent) => event.data as MomentSummary;
const isMoment =
  (id: bigint, check: (moment: MomentSummary) => boolean = () => true) =>
  (event: ReceivedEvent) =>
    event.event === "moment" && summaryOf(event).id === id.toString() && check(summaryOf(event));

async function connect(path = "/api/live/moments", lastEventId?: string) {
  const abort = new AbortController();
  const response = await liveMoments(
    new Request(`http://localhost${path}`, {
      signal: abort.signal,
      headers: lastEventId ? { "last-event-id": lastEventId } : {},
    }),
  );
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = new SseReader(response.body!);
  return {
    reader,
    close: async () => {
      abort.abort();
      await reader.close();
    },
  };
}

const edit = {
  editor: "Carla",
  headline: "An editor's headline for the moment",
  description: "An editor's description. Two sentences.",
  clipIn: null,
  clipOut: null,
};

describe("live moments over SSE", () => {
  it("pushes a change as it commits, and resumes after Last-Event-ID with what was missed", async () => {
    const first = await insertMoment(db, { decisions: { "editors-feed": true } });
    const second = await insertMoment(db);
    const live = await connect();
    await live.reader.until((event) => event.event === "ready");

    const approval = await reviewMoment(db, first, { action: "approve", editor: "Alice" });
    const pushed = await live.reader.until(isMoment(first, (moment) => moment.status === "approved"));
    expect(pushed.id).toBe(approval.eventId.toString());
    expect(summaryOf(pushed).lastEventId).toBe(pushed.id);
    await live.close();

    // While the client is away: an edit, a new moment, another edit.
    await editMoment(db, second, edit);
    const third = await insertMoment(db, { countries: ["JP"] });
    await editMoment(db, second, { ...edit, headline: "A second editor's headline" });

    const resumed = await connect("/api/live/moments", pushed.id);
    await resumed.reader.until((event) => event.event === "ready");
    const replayed = resumed.reader.events.filter((event) => event.event === "moment");
    // Each changed moment once, as it is now, in the order of its latest change; nothing before the id.
    expect(replayed.map((event) => summaryOf(event).id)).toEqual([third, second].map(String));
    expect(summaryOf(replayed[1]!)).toMatchObject({ version: 2, headline: "A second editor's headline" });
    const ids = replayed.map((event) => BigInt(event.id!));
    expect(ids[0]! > BigInt(pushed.id!) && ids[1]! > ids[0]!).toBe(true);

    await reviewMoment(db, third, { action: "reject", editor: "Bob", reason: "a bot burst" });
    const rejected = await resumed.reader.until(isMoment(third, (moment) => moment.status === "rejected"));
    expect(BigInt(rejected.id!) > ids[1]!).toBe(true);
    await resumed.close();

    // The inbox's lastEventId as `since` works the same way.
    const fromInbox = await connect(`/api/live/moments?since=${ids[0]!}`);
    await fromInbox.reader.until((event) => event.event === "ready");
    expect(
      fromInbox.reader.events.filter((event) => event.event === "moment").map((event) => summaryOf(event).id),
    ).toEqual([second, third].map(String));
    await fromInbox.close();
  });

  it("gives a stream on which nothing changed a resume point, so a change between two streams is not lost", async () => {
    const moment = await insertMoment(db);
    // A client that opened "from now" and saw no moment before the server ended its stream (the duration
    // cap): the only id it has is the one on `ready`, which EventSource sends back as Last-Event-ID.
    const quiet = await connect();
    const ready = await quiet.reader.until((event) => event.event === "ready");
    expect(ready.id).toMatch(/^\d+$/);
    await quiet.close();

    // Another editor approves while the client is between streams.
    const approval = await reviewMoment(db, moment, { action: "approve", editor: "Dana" });

    const resumed = await connect("/api/live/moments", ready.id);
    const replayed = await resumed.reader.until(isMoment(moment, (summary) => summary.status === "approved"));
    expect(replayed.id).toBe(approval.eventId.toString());
    const again = await resumed.reader.until((event) => event.event === "ready");
    expect(again.id).toBe(approval.eventId.toString());
    await resumed.close();
  });

  it("serves traffic and moments over one LISTEN connection and catches up after it drops", async () => {
    const traffic = new AbortController();
    const trafficResponse = await liveTraffic(
      new Request("http://localhost/api/live/traffic", { signal: traffic.signal }),
    );
    const trafficReader = new SseReader(trafficResponse.body!);
    await trafficReader.until((event) => event.event === "ready");
    const live = await connect();
    await live.reader.until((event) => event.event === "ready");
    const listeners = () => db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE application_name = 'peaklight-live' AND datname = current_database()`;
    expect((await listeners())[0]!.n).toBe(1);

    const moment = await insertMoment(db);
    await db.$executeRaw`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'peaklight-live' AND datname = current_database()`;
    // Committed while the hub is disconnected: its NOTIFY is lost, the feed reads it after reconnecting.
    await editMoment(db, moment, edit);
    await live.reader.until(
      isMoment(moment, (summary) => summary.version === 1),
      15_000,
    );
    await live.close();
    traffic.abort();
    await trafficReader.close();
  });

  it("never steps over a change whose transaction took its event id first but committed last", async () => {
    const slow = await insertMoment(db);
    const fast = await insertMoment(db);
    const live = await connect();
    await live.reader.until((event) => event.event === "ready");
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let slowEventId = 0n;
    const slowChange = db.$transaction(
      async (tx) => {
        slowEventId = await recordMomentEvent(tx, slow, { actor: "Eve", action: "edited" });
        await held;
      },
      { timeout: 20_000 },
    );
    await pause(200);
    // Without ids in commit order this one would take a higher id, commit first, and the feed would move
    // past the slow one's id before it commits.
    const fastChange = db.$transaction((tx) =>
      recordMomentEvent(tx, fast, { actor: "Finn", action: "edited" }),
    );
    await pause(300);
    release();
    const [, fastEventId] = await Promise.all([slowChange, fastChange]);
    expect(fastEventId > slowEventId).toBe(true);
    await live.reader.until(isMoment(slow, (moment) => moment.lastEventId === slowEventId.toString()));
    await live.reader.until(isMoment(fast, (moment) => moment.lastEventId === fastEventId.toString()));
    await live.close();
  });

  it("answers 400 for a Last-Event-ID or since that is not an event id", async () => {
    const badHeader = await liveMoments(
      new Request("http://localhost/api/live/moments", { headers: { "last-event-id": "yesterday" } }),
    );
    expect(badHeader.status).toBe(400);
    const badSince = await liveMoments(new Request("http://localhost/api/live/moments?since=-1"));
    expect(badSince.status).toBe(400);
    expect(JSON.stringify(await badSince.json())).toMatch(/since: expected an event id/);
  });
});
