// The editors' moment API on a real Postgres: the audit trail a real pipeline run leaves, the inbox with its
// filters and counts, the detail view, approval (deliveries queued in the approving transaction), rejection,
// conflicts between editors, and versions kept beside the agents' text. Routes are called as Next.js calls
// them: a Request in, a Response out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pino from "pino";
import { GET as getInbox } from "../../app/api/moments/route";
import { GET as getMoment } from "../../app/api/moments/[id]/route";
import { POST as postReview } from "../../app/api/moments/[id]/review/route";
import { POST as postVersion } from "../../app/api/moments/[id]/versions/route";
import type { Db } from "../../server/db/client";
import { createOfflineProvider } from "../../server/agents/llm/offline-provider";
import type { LlmProvider } from "../../server/agents/llm/types";
import { offlineComposers } from "../../server/agents/providers";
import { decideStage } from "../../server/moments/decide-stage";
import { describeStage } from "../../server/moments/describe-stage";
import { editMoment, reviewMoment } from "../../server/moments/editor-review";
import { MomentConflictError } from "../../server/moments/moment-errors";
import type { MomentDetail, MomentInbox } from "../../server/moments/moment-views";
import { pipelineJobs } from "../../server/moments/pipeline-jobs";
import { scoreStage } from "../../server/moments/score-stage";
import type { AnyJobHandler } from "../../server/queue/job-runner";
import { JobRunner } from "../../server/queue/job-runner";
import type { GamesOnDisk } from "../../server/replay/games-files";
import { BucketPartitions } from "../../server/traffic/partitions";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import { insertMoment } from "../support/moment-fixture";
import {
  loadSmallGames,
  pipelineDeps,
  silentLog,
  storiedReactions,
  waitFor,
  writeCandidate,
} from "../support/pipeline-fixture";

let database: MigratedDatabase;
let db: Db;
let games: GamesOnDisk;

beforeAll(async () => {
  database = await createMigratedDatabase("moment_api_test");
  db = database.db;
  process.env.DATABASE_URL = database.url;
  games = await loadSmallGames(db);
});
afterAll(async () => {
  await (globalThis as { peaklightDb?: Db }).peaklightDb?.$disconnect();
  await database?.dispose();
});
beforeEach(async () => {
  await db.$executeRawUnsafe(
    "TRUNCATE anomaly, candidate_moment, job, moment, agent_run, channel_decision, memory_fact CASCADE",
  );
});

async function runJobs<T>(
  handlers: AnyJobHandler[],
  until: () => Promise<T | undefined | null | false>,
  what: string,
): Promise<T> {
  const runner = new JobRunner({ db, handlers, log: silentLog, pollMs: 50, reclaimEveryMs: 100 });
  runner.start();
  try {
    return await waitFor(until, what);
  } finally {
    await runner.stop();
  }
}

const context = (id: bigint | string) => ({ params: Promise.resolve({ id: id.toString() }) });
const url = (path: string) => `http://localhost${path}`;
const post = (path: string, body: unknown) =>
  new Request(url(path), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function detailOf(id: bigint): Promise<MomentDetail> {
  const response = await getMoment(new Request(url(`/api/moments/${id}`)), context(id));
  expect(response.status).toBe(200);
  return (await response.json()) as MomentDetail;
}

async function review(id: bigint, body: unknown) {
  return postReview(post(`/api/moments/${id}/review`, body), context(id));
}

describe("audit trail and detail from a real pipeline run", () => {
  it("records opened, scored, described and routed, and fills every detail field", async () => {
    const reaction = storiedReactions(games)[0]!;
    const candidateId = await writeCandidate(db, reaction);
    const moment = await runJobs(
      pipelineJobs(pipelineDeps(db)),
      () => db.moment.findFirst({ where: { candidateId, routedAt: { not: null } } }),
      "the moment to be routed",
    );
    // The lead market's traffic around the peak, as the stream worker writes it.
    const peakAt = moment.peakAt.getTime();
    const buckets = Array.from({ length: 5 }, (_, index) => peakAt + (index - 2) * 10_000);
    await new BucketPartitions(db, pino({ level: "silent" })).ensureFor(buckets);
    await db.trafficBucket.createMany({
      data: buckets.map((bucketStart, index) => ({
        country: moment.country,
        sport: moment.sport,
        bucketStart: new Date(bucketStart),
        windowSeconds: 10,
        actions: 100 + index * 50,
        pageViews: 100 + index * 50,
        videoStarts: 0,
        liveBlogOpens: 0,
        shares: 0,
        expected: index === 4 ? null : 100,
      })),
    });

    const events = await db.momentEvent.findMany({ where: { momentId: moment.id }, orderBy: { id: "asc" } });
    expect(events.map((event) => [event.actor, event.action])).toEqual([
      ["agent:score", "opened"],
      ["agent:score", "scored"],
      ["agent:describe", "described"],
      ["agent:decide", "routed"],
    ]);
    expect(events[1]!.reason).toBe(moment.interestReason);
    expect(events[2]!.reason).toBe(moment.headline);
    expect(events[3]!.reason).toMatch(/send to editors-feed/);

    const detail = await detailOf(moment.id);
    expect(detail).toMatchObject({
      id: moment.id.toString(),
      candidateId: candidateId.toString(),
      status: "described",
      headline: moment.headline,
      interesting: true,
      interestReason: moment.interestReason,
      generatedBy: "offline",
      version: 0,
      lastEventId: events[3]!.id.toString(),
      current: { headline: moment.headline, clipIn: moment.clipIn, clipOut: moment.clipOut },
      ai: { headline: moment.headline, description: moment.description },
      story: moment.story,
      review: null,
      versions: [],
      deliveries: [],
    });
    expect(detail.upliftPct).toBeGreaterThan(0);
    expect(detail.markets.map((market) => market.country)).toEqual(moment.countries);
    expect(detail.audit.map((entry) => entry.action)).toEqual(["opened", "scored", "described", "routed"]);
    expect(detail.decisions.map((decision) => decision.channelId).sort()).toEqual([
      "editors-feed",
      "newsroom-slack",
    ]);
    expect(detail.tags).toMatchObject({ sport: moment.sport });

    // Evidence: play-by-play around the peak with broadcast timecodes, the cause event among it.
    expect(detail.evidence.length).toBeGreaterThan(0);
    expect(detail.evidence.map((event) => event.id)).toContain(moment.causeEventId);
    for (const event of detail.evidence) {
      expect(event.timecode).toMatch(/^\d{2}:[0-5]\d:[0-5]\d$/);
      expect(event.occurredAt).toBeGreaterThanOrEqual(peakAt - 5 * 60_000);
      expect(event.occurredAt).toBeLessThanOrEqual(peakAt + 2 * 60_000);
    }
    const sorted = [...detail.evidence].sort((a, b) => a.occurredAt - b.occurredAt);
    expect(detail.evidence).toEqual(sorted);

    // The clip session's start places its timecodes on the wall clock.
    expect(detail.clip.sessionId).toBe(moment.clipSessionId);
    const session = await db.gamesSession.findFirstOrThrow({ where: { id: moment.clipSessionId! } });
    expect(detail.clip.broadcastStart).toBe(session.startsAt.getTime());
    const inSession = detail.evidence.filter((event) => event.sessionId === moment.clipSessionId);
    expect(inSession.length).toBeGreaterThan(0);
    for (const event of inSession) {
      const [h, m, s] = event.timecode.split(":").map(Number);
      expect(detail.clip.broadcastStart! + (h! * 3600 + m! * 60 + s!) * 1000).toBe(event.occurredAt);
    }

    expect(detail.citedStories.map((story) => story.id)).toEqual(moment.storyCitations);
    for (const story of detail.citedStories) {
      expect(story.headline.length).toBeGreaterThan(0);
      expect(story.excerpt.length).toBeGreaterThan(20);
      expect(story.excerpt.length).toBeLessThanOrEqual(241);
    }
    expect(detail.traffic).toEqual(
      buckets.map((bucketStart, index) => ({
        bucketStart,
        actions: 100 + index * 50,
        expected: index === 4 ? null : 100,
      })),
    );
  });

  it("queues the deliveries when the channels decide after an editor approved", async () => {
    const candidateId = await writeCandidate(db, storiedReactions(games)[1]!);
    const deps = pipelineDeps(db);
    const described = await runJobs(
      [scoreStage(deps), describeStage(deps)],
      () => db.moment.findFirst({ where: { candidateId, status: "described" } }),
      "the moment to be described",
    );
    const approved = await reviewMoment(db, described.id, { action: "approve", editor: "Alice" });
    expect(approved.queuedDeliveries).toEqual([]);
    await runJobs(
      [decideStage(deps)],
      () => db.moment.findFirst({ where: { id: described.id, routedAt: { not: null } } }),
      "the moment to be routed",
    );
    const sends = await db.channelDecision.findMany({ where: { momentId: described.id, decision: "send" } });
    expect(sends.length).toBeGreaterThan(0);
    const deliveries = await db.channelDelivery.findMany({ where: { momentId: described.id } });
    expect(deliveries.map((delivery) => delivery.channelId).sort()).toEqual(
      sends.map((decision) => decision.channelId).sort(),
    );
    expect(await db.job.count({ where: { kind: "deliver-moment" } })).toBe(sends.length);
    const detail = await detailOf(described.id);
    expect(detail.status).toBe("approved");
    expect(detail.audit.map((entry) => entry.action)).toEqual([
      "opened",
      "scored",
      "described",
      "approved",
      "routed",
    ]);
  });

  it("keeps an editor's rejection made while the agents were describing the moment", async () => {
    const candidateId = await writeCandidate(db, storiedReactions(games)[0]!);
    const scored = await runJobs(
      [scoreStage(pipelineDeps(db))],
      () => db.moment.findFirst({ where: { candidateId, status: "interesting" } }),
      "the moment to be scored",
    );
    // The summary agent's model call waits until the editor has rejected the moment.
    const offline = createOfflineProvider(offlineComposers());
    let asked = false;
    let answer!: () => void;
    const rejected = new Promise<void>((resolve) => (answer = resolve));
    const waiting: LlmProvider = {
      kind: "offline",
      converse: async (request) => {
        asked = true;
        await rejected;
        return offline.converse(request);
      },
    };
    const runner = new JobRunner({
      db,
      handlers: [describeStage(pipelineDeps(db, waiting))],
      log: silentLog,
      pollMs: 50,
      reclaimEveryMs: 100,
    });
    runner.start();
    await waitFor(async () => asked, "the summary agent to be asked");
    await reviewMoment(db, scored.id, { action: "reject", editor: "Bob", reason: "a push notification" });
    answer();
    await waitFor(
      async () => (await db.job.count({ where: { kind: "describe-moment", status: "done" } })) === 1,
      "the describe job to finish",
    );
    await runner.stop();
    const moment = await db.moment.findUniqueOrThrow({ where: { id: scored.id } });
    expect(moment).toMatchObject({ status: "rejected", reviewedBy: "Bob", headline: null });
    expect(await db.job.count({ where: { kind: "decide-channels" } })).toBe(0);
    const actions = await db.momentEvent.findMany({ where: { momentId: scored.id }, orderBy: { id: "asc" } });
    expect(actions.map((event) => event.action)).toEqual(["opened", "scored", "rejected"]);
  });
});

describe("inbox", () => {
  it("filters by country (any of the moment's markets), sport, status and time, counting per status", async () => {
    const t0 = Date.UTC(2026, 6, 3, 12);
    const a = await insertMoment(db, { countries: ["FR"], sport: "football", peakAt: t0 });
    const b = await insertMoment(db, { countries: ["GB", "FR"], sport: "athletics", peakAt: t0 + 60_000 });
    const c = await insertMoment(db, { countries: ["DE"], sport: "football", peakAt: t0 + 120_000 });
    const d = await insertMoment(db, {
      countries: ["FR"],
      sport: "football",
      peakAt: t0 + 180_000,
      status: "not_interesting",
    });
    await reviewMoment(db, c, { action: "approve", editor: "Alice" });

    const read = async (query: string) => {
      const response = await getInbox(new Request(url(`/api/moments${query}`)));
      expect(response.status).toBe(200);
      return (await response.json()) as MomentInbox;
    };
    const all = await read("");
    expect(all.moments.map((moment) => moment.id)).toEqual([d, c, b, a].map(String));
    expect(all.counts).toEqual({
      new: 0,
      interesting: 0,
      not_interesting: 1,
      described: 2,
      approved: 1,
      rejected: 0,
    });
    expect(all.lastEventId).toBe(all.moments.find((moment) => moment.id === c.toString())!.lastEventId);

    const france = await read("?country=FR");
    expect(france.moments.map((moment) => moment.id)).toEqual([d, b, a].map(String));
    expect(france.moments.find((moment) => moment.id === b.toString())!.country).toBe("GB");
    expect(france.counts).toMatchObject({ not_interesting: 1, described: 2, approved: 0 });

    const described = await read("?country=FR&status=described&sport=football");
    expect(described.moments.map((moment) => moment.id)).toEqual([a.toString()]);
    // Counts ignore the status filter, so the tabs show what each status would hold.
    expect(described.counts).toMatchObject({ not_interesting: 1, described: 1, approved: 0 });

    const window = await read(`?from=${t0 + 60_000}&to=${t0 + 180_000}&limit=1`);
    expect(window.moments.map((moment) => moment.id)).toEqual([c.toString()]);
    expect(window.counts).toMatchObject({ described: 1, approved: 1, not_interesting: 0 });

    const bad = await getInbox(new Request(url("/api/moments?country=france&status=maybe")));
    expect(bad.status).toBe(400);
    const problems = ((await bad.json()) as { problems: string[] }).problems.join("\n");
    expect(problems).toMatch(/country: expected an ISO country code/);
    expect(problems).toMatch(/status:/);
  });
});

describe("review", () => {
  it("approves: one delivery and one deliver-moment job per accepting channel, with the approval", async () => {
    const id = await insertMoment(db, {
      decisions: { "editors-feed": true, "partner-webhook": true, "newsroom-slack": false },
    });
    const response = await review(id, { action: "approve", editor: "Alice", reason: "great moment" });
    expect(response.status).toBe(200);
    const detail = (await response.json()) as MomentDetail;
    expect(detail).toMatchObject({
      status: "approved",
      review: { by: "Alice", reason: "great moment" },
    });
    expect(detail.deliveries.map((delivery) => [delivery.channelId, delivery.status]).sort()).toEqual([
      ["editors-feed", "queued"],
      ["partner-webhook", "queued"],
    ]);
    expect(detail.audit.at(-1)).toMatchObject({ actor: "Alice", action: "approved", reason: "great moment" });
    expect(detail.lastEventId).toBe(detail.audit.at(-1)!.id);
    const jobs = await db.job.findMany({ where: { kind: "deliver-moment" }, orderBy: { id: "asc" } });
    expect(
      jobs.map((job) => job.payload).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    ).toEqual([
      { momentId: id.toString(), channelId: "editors-feed" },
      { momentId: id.toString(), channelId: "partner-webhook" },
    ]);
    // The approval and its deliveries are one transaction: they carry the same commit's transaction id.
    const [same] = await db.$queryRaw<{ same: boolean }[]>`
      SELECT (SELECT array_agg(DISTINCT xmin::text) FROM channel_delivery WHERE moment_id = ${id})
           = (SELECT array_agg(DISTINCT xmin::text) FROM moment WHERE id = ${id}) AS same`;
    expect(same?.same).toBe(true);
  });

  it("refuses a second decision with who decided first (409), and approving what is not described yet", async () => {
    const id = await insertMoment(db, { decisions: { "editors-feed": true } });
    expect((await review(id, { action: "approve", editor: "Alice" })).status).toBe(200);
    const again = await review(id, { action: "approve", editor: "Bob" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/already approved by Alice at .* UTC/);
    expect(await db.channelDelivery.count({ where: { momentId: id } })).toBe(1);
    expect(await db.momentEvent.count({ where: { momentId: id, action: "approved" } })).toBe(1);

    const early = await insertMoment(db, { status: "interesting" });
    const tooEarly = await review(early, { action: "approve", editor: "Alice" });
    expect(tooEarly.status).toBe(409);
    expect(((await tooEarly.json()) as { error: string }).error).toMatch(/still being described/);
    const rejected = await review(early, { action: "reject", editor: "Alice", reason: "a bot burst" });
    expect(rejected.status).toBe(200);
    expect(((await rejected.json()) as MomentDetail).status).toBe("rejected");
  });

  it("answers 400 for a rejection without a reason, a bad id, bad JSON or an unknown action; 404 for no moment", async () => {
    const id = await insertMoment(db);
    const noReason = await review(id, { action: "reject", editor: "Alice" });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(await noReason.json())).toMatch(/reason/);
    const badAction = await review(id, { action: "publish", editor: "Alice" });
    expect(badAction.status).toBe(400);
    const noEditor = await review(id, { action: "approve", editor: "  " });
    expect(JSON.stringify(await noEditor.json())).toMatch(/say who you are/);
    const badJson = await postReview(post(`/api/moments/${id}/review`, "{approve"), context(id));
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: string }).error).toBe("invalid JSON");
    const badId = await postReview(
      post("/api/moments/abc/review", { action: "approve", editor: "A" }),
      context("abc"),
    );
    expect(badId.status).toBe(400);
    expect(JSON.stringify(await badId.json())).toMatch(/id: expected a moment id/);
    const missing = await review(999_999n, { action: "approve", editor: "Alice" });
    expect(missing.status).toBe(404);
    expect((await getMoment(new Request(url("/api/moments/999999")), context(999_999n))).status).toBe(404);
    expect((await db.moment.findUniqueOrThrow({ where: { id } })).status).toBe("described");
  });

  it("lets exactly one of two editors win when one approves and the other rejects at once", async () => {
    for (let round = 0; round < 6; round += 1) {
      const id = await insertMoment(db, { decisions: { "editors-feed": true } });
      const outcomes = await Promise.allSettled([
        reviewMoment(db, id, { action: "approve", editor: "Alice" }),
        reviewMoment(db, id, { action: "reject", editor: "Bob", reason: "seen it before" }),
      ]);
      const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
      const lost = outcomes.filter((outcome) => outcome.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(MomentConflictError);
      const winner = (won[0] as PromiseFulfilledResult<{ status: string }>).value.status;
      const moment = await db.moment.findUniqueOrThrow({ where: { id } });
      expect(moment.status).toBe(winner);
      expect(moment.reviewedBy).toBe(winner === "approved" ? "Alice" : "Bob");
      expect(
        await db.momentEvent.count({ where: { momentId: id, action: { in: ["approved", "rejected"] } } }),
      ).toBe(1);
      expect(await db.channelDelivery.count({ where: { momentId: id } })).toBe(winner === "approved" ? 1 : 0);
    }
  });
});

describe("versions", () => {
  const edit = {
    editor: "Carla",
    headline: "Record-breaking final lap lifts France",
    description: "An editor's rewrite. Two sentences here.",
    clipIn: "00:09:50",
    clipOut: "00:10:40",
  };

  it("keeps each edit as a version beside the agents' text and shows the latest as current", async () => {
    const id = await insertMoment(db);
    const before = await detailOf(id);
    const first = await postVersion(
      post(`/api/moments/${id}/versions`, { ...edit, baseVersion: 0 }),
      context(id),
    );
    expect(first.status).toBe(201);
    const afterFirst = (await first.json()) as MomentDetail;
    expect(afterFirst).toMatchObject({
      version: 1,
      headline: edit.headline,
      current: { headline: edit.headline, description: edit.description, clipIn: "00:09:50" },
      ai: before.ai,
    });
    expect(afterFirst.ai.headline).not.toBe(edit.headline);
    expect(afterFirst.audit.at(-1)).toMatchObject({
      actor: "Carla",
      action: "edited",
      reason: "changed headline, description, clipIn",
    });

    // Another editor still on version 0 is told someone saved meanwhile.
    const stale = await postVersion(
      post(`/api/moments/${id}/versions`, {
        ...edit,
        editor: "Dan",
        headline: "Something else",
        baseVersion: 0,
      }),
      context(id),
    );
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: string }).error).toMatch(/edited by Carla \(version 1\)/);

    const second = await editMoment(db, id, {
      ...edit,
      headline: "A second take on the final lap",
      baseVersion: 1,
    });
    expect(second).toMatchObject({ version: 2, changed: ["headline"] });
    const detail = await detailOf(id);
    expect(detail.versions.map((version) => [version.version, version.editor, version.headline])).toEqual([
      [1, "Carla", edit.headline],
      [2, "Carla", "A second take on the final lap"],
    ]);
    expect(detail.current.headline).toBe("A second take on the final lap");
    expect(detail.ai).toEqual(before.ai);
    const inbox = (await (await getInbox(new Request(url("/api/moments")))).json()) as MomentInbox;
    expect(inbox.moments[0]).toMatchObject({
      id: id.toString(),
      headline: "A second take on the final lap",
      version: 2,
    });

    const badClip = await postVersion(
      post(`/api/moments/${id}/versions`, { ...edit, clipIn: "00:10:40", clipOut: "00:09:50" }),
      context(id),
    );
    expect(badClip.status).toBe(400);
    expect(JSON.stringify(await badClip.json())).toMatch(/clip in must be before clip out/);
  });

  it("refuses edits once the moment is approved or rejected", async () => {
    const id = await insertMoment(db);
    await reviewMoment(db, id, { action: "approve", editor: "Alice" });
    const refused = await postVersion(post(`/api/moments/${id}/versions`, edit), context(id));
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /already approved by Alice .*can no longer be edited/,
    );
    expect(await db.momentVersion.count({ where: { momentId: id } })).toBe(0);
    expect((await db.moment.findUniqueOrThrow({ where: { id } })).version).toBe(0);
  });
});
