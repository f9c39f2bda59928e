// Peak detection in the live path against a real Postgres: final windows are judged after each committed
// batch, each peak is one anomaly written with its score-moment job in one transaction, re-runs and restarts
// add nothing, markets of one sport peaking together are one candidate, and a slow trend raises nothing.
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ANOMALY_CHANNEL, parseNotice, type AnomalyNotice } from "../../server/detect/anomaly-channel";
import { BAND_CHANNEL, parseBandChanges, type BandChange } from "../../server/detect/band-channel";
import { detectionConfig } from "../../server/detect/config";
import { LiveDetection } from "../../server/detect/live-detection";
import { syntheticSeries, type SyntheticSeriesSpec } from "../../server/detect/synthetic-series";
import type { StreamBatch } from "../../server/stream/transport";
import type { Prisma } from "../../server/db/generated/client";
import { TrafficAggregator } from "../../server/traffic/aggregator";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";

const log = pino({ level: "silent" });
const WINDOW_MS = 10_000;
const START = Date.UTC(2026, 6, 1, 12);
const TOPIC = "user-actions";
let database: MigratedDatabase;

beforeAll(async () => {
  database = await createMigratedDatabase("detection_test");
});
afterAll(async () => {
  await database?.dispose();
});
beforeEach(async () => {
  await database.db.$executeRawUnsafe(
    "TRUNCATE traffic_bucket, traffic_minute, traffic_hour, stream_offset, detector_state, anomaly, candidate_moment, job, games CASCADE",
  );
});

interface TestPlay {
  id: string;
  occurredAt: Date;
  significance: number;
  countries: string[];
  sessionId?: string;
  description?: string;
}

/** A football goal in one country's match, too small (0.5) to open a candidate on its own. */
const goal = (country: string, window: number): TestPlay => ({
  id: `${country.toLowerCase()}-goal`,
  sessionId: `${country.toLowerCase()}-match`,
  countries: [country],
  occurredAt: new Date(START + window * WINDOW_MS),
  significance: 0.5,
});

/**
 * A games with these football plays (goals), as the play-by-play grouping and candidates read them, and
 * optionally a session schedule.
 */
async function createGamesWithPlays(
  plays: readonly TestPlay[],
  hostCountry = "FR",
  sessions: Prisma.GamesSessionCreateWithoutGamesInput[] = [],
) {
  await database.db.games.create({
    data: {
      id: "test-games",
      name: "Test Games",
      seed: 1,
      size: "small",
      hostCountry,
      startsAt: new Date(START),
      endsAt: new Date(START + 86_400_000),
      sessions: { create: sessions },
      playByPlay: {
        create: plays.map((play) => ({
          sessionId: "final",
          description: "A goal",
          ...play,
          sport: "football",
          type: "goal",
          timecodeSeconds: 0,
          athleteIds: [],
        })),
      },
    },
  });
}

/** One stream worker: the aggregator with detection after each commit, as worker/stream-worker.ts wires it. */
function newWorker(checkpointEveryBuckets?: number) {
  const detection = new LiveDetection({
    db: database.db,
    ...(checkpointEveryBuckets ? { checkpointEveryBuckets } : {}),
    config: detectionConfig({}),
    grouping: {
      toleranceMs: 60_000,
      broadMinSports: 2,
      reactionMs: 180_000,
      settleMs: 60_000,
      minEventSignificance: 0.7,
      explainMs: 120_000,
      overlapMs: 60_000,
    },
    log,
  });
  const aggregator = new TrafficAggregator({
    db: database.db,
    consumerGroup: "detect",
    topic: TOPIC,
    windowSeconds: 10,
    allowedLatenessSeconds: 10,
    log,
    afterCommit: (committed) => detection.afterBatch(committed),
  });
  return {
    detection,
    aggregator,
    async handle(batches: StreamBatch[]) {
      for (const batch of batches) await aggregator.handleBatch(batch);
    },
  };
}

interface SeriesFeed {
  country: string;
  sport: string;
  spec?: SyntheticSeriesSpec;
  /** Counts per window from START instead of a synthetic spec. */
  counts?: readonly number[];
  /** Page views added per window by a bot, on top of the audience's mixed actions. */
  botPageViews?: (index: number) => number;
}

/** An audience's usual mix of actions, in the same share in and out of a peak (a bot would add page views). */
const ACTION_MIX = [
  "page_view",
  "video_start",
  "page_view",
  "live_blog_open",
  "page_view",
  "video_start",
  "page_view",
  "share",
] as const;

/**
 * The series' actions as stream batches of one partition, `bucketsPerBatch` windows each, in event-time
 * order across the series; one message per series and window, its actions spread over the window.
 */
function partitionBatches(partition: number, feeds: SeriesFeed[], bucketsPerBatch = 20): StreamBatch[] {
  const counts = feeds.map((feed) =>
    feed.counts
      ? feed.counts.map((observed, index) => ({ bucketStart: START + index * WINDOW_MS, observed }))
      : syntheticSeries({ startMs: START, ...feed.spec! }),
  );
  const buckets = Math.max(...counts.map((series) => series.length));
  const batches: StreamBatch[] = [];
  let offset = 0;
  for (let from = 0; from < buckets; from += bucketsPerBatch) {
    const records: StreamBatch["records"] = [];
    for (let index = from; index < Math.min(buckets, from + bucketsPerBatch); index += 1) {
      feeds.forEach((feed, seriesIndex) => {
        const bucket = counts[seriesIndex]![index];
        if (!bucket || bucket.observed === 0) return;
        const bots = feed.botPageViews?.(index) ?? 0;
        const total = bucket.observed + bots;
        const actions = Array.from({ length: total }, (_, i) => ({
          type: i < bucket.observed ? ACTION_MIX[i % ACTION_MIX.length]! : ("page_view" as const),
          ts: bucket.bucketStart + Math.floor((i * WINDOW_MS) / total),
        }));
        records.push({
          offset: String(offset++),
          key: `${feed.country}|${feed.sport}`,
          value: Buffer.from(JSON.stringify({ v: 1, country: feed.country, sport: feed.sport, actions })),
        });
      });
    }
    batches.push({ topic: TOPIC, partition, records });
  }
  return batches;
}

const peakSpec: SyntheticSeriesSpec = {
  buckets: 300,
  baseViewers: 80,
  peaks: [{ atBucket: 200, buckets: 6, upliftPct: 150 }],
  seed: 3,
};

async function counts() {
  const [anomalies, jobs, candidates] = await Promise.all([
    database.db.anomaly.count(),
    database.db.job.count(),
    database.db.candidateMoment.count(),
  ]);
  return { anomalies, jobs, candidates };
}

async function listen(): Promise<{ notices: AnomalyNotice[]; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const notices: AnomalyNotice[] = [];
  client.on("notification", (message) => notices.push(parseNotice(message.payload ?? "")));
  await client.query(`LISTEN ${ANOMALY_CHANNEL}`);
  return { notices, close: () => client.end() };
}

describe("peak detection in the live path", () => {
  it("turns an injected peak into exactly one anomaly, one candidate and one job, and stores the band", async () => {
    const listener = await listen();
    const worker = newWorker();
    await worker.handle(partitionBatches(0, [{ country: "FR", sport: "football", spec: peakSpec }]));

    const anomalies = await database.db.anomaly.findMany();
    expect(anomalies).toHaveLength(1);
    const [anomaly] = anomalies;
    expect(anomaly).toMatchObject({ country: "FR", sport: "football", kind: "peak", detector: "uplift" });
    expect(anomaly!.windowStart.getTime()).toBe(START + 200 * WINDOW_MS);
    expect(anomaly!.upliftPct).toBeGreaterThan(40);
    expect(anomaly!.score).toBeGreaterThanOrEqual(0.5);
    expect(anomaly!.status).toBe("ended");

    const jobs = await database.db.job.findMany();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: "score-moment", status: "queued", attempts: 0 });
    expect(jobs[0]!.payload).toEqual({
      anomalyId: anomaly!.id.toString(),
      candidateId: anomaly!.candidateId!.toString(),
    });
    const candidate = await database.db.candidateMoment.findUniqueOrThrow({
      where: { id: anomaly!.candidateId! },
    });
    expect(candidate.status).toBe("open");
    expect((candidate.markets as { country: string }[]).map((market) => market.country)).toEqual(["FR"]);

    // Every final window after the warm-up carries its expected value and band, drawn around the series.
    const judged = await database.db.trafficBucket.findMany({
      where: { country: "FR", expected: { not: null } },
      orderBy: { bucketStart: "asc" },
    });
    expect(judged.length).toBeGreaterThan(250);
    const calm = judged.find((bucket) => bucket.bucketStart.getTime() === START + 150 * WINDOW_MS)!;
    expect(calm.expected!).toBeGreaterThan(60);
    expect(calm.expected!).toBeLessThan(100);
    expect(calm.expectedLow!).toBeLessThan(calm.expected!);
    expect(calm.expectedHigh!).toBeGreaterThan(calm.expected!);

    await expect
      .poll(() => listener.notices.flatMap((notice) => notice.anomalyIds))
      .toEqual([anomaly!.id.toString()]);
    await listener.close();
    expect(worker.detection.stats).toMatchObject({ anomalies: 1, jobsQueued: 1, failedSteps: 0 });
  });

  it("writes neither the anomaly nor its job when the transaction fails, and catches up on the next batch", async () => {
    await database.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_job() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'job table refuses writes (test)'; END $$`);
    await database.db.$executeRawUnsafe(
      "CREATE TRIGGER refuse_job BEFORE INSERT ON job FOR EACH ROW EXECUTE FUNCTION refuse_job()",
    );
    const worker = newWorker();
    const batches = partitionBatches(0, [{ country: "FR", sport: "football", spec: peakSpec }]);
    // Up to and including the windows where the peak fires (windows 200-219 arrive in batch 10).
    await worker.handle(batches.slice(0, 11));
    expect(worker.detection.stats.failedSteps).toBeGreaterThan(0);
    expect(await counts()).toEqual({ anomalies: 0, jobs: 0, candidates: 0 });
    const state = await database.db.detectorState.findUniqueOrThrow({
      where: { country_sport: { country: "FR", sport: "football" } },
    });
    expect(state.lastBucketStart.getTime()).toBeLessThan(START + 200 * WINDOW_MS);

    await database.db.$executeRawUnsafe("DROP TRIGGER refuse_job ON job");
    await database.db.$executeRawUnsafe("DROP FUNCTION refuse_job");
    await worker.handle(batches.slice(11));
    expect(await counts()).toEqual({ anomalies: 1, jobs: 1, candidates: 1 });
  });

  it("adds nothing when the same batches are delivered again, or judged again from scratch", async () => {
    const batches = partitionBatches(0, [{ country: "FR", sport: "football", spec: peakSpec }]);
    await newWorker().handle(batches);
    expect(await counts()).toEqual({ anomalies: 1, jobs: 1, candidates: 1 });

    // A rewound consumer redelivers every batch: the stored offsets skip them.
    await newWorker().handle(batches);
    expect(await counts()).toEqual({ anomalies: 1, jobs: 1, candidates: 1 });

    // Lost detector states: the series is judged again from its first window, and the same peak (same
    // natural key) is not stored twice, nor queued twice.
    await database.db.detectorState.deleteMany();
    const rejudge = newWorker();
    await rejudge.detection.afterBatch({
      partition: 0,
      // The watermark the last batch left: windows 0-297 final (a later one would judge zeros past the
      // series' end, a real drop).
      watermark: START + 299 * WINDOW_MS - 1,
      series: [{ country: "FR", sport: "football" }],
    });
    expect(rejudge.detection.stats.bucketsJudged).toBe(298);
    expect(await counts()).toEqual({ anomalies: 1, jobs: 1, candidates: 1 });
  });

  it("resumes each series' detector from Postgres after a restart: the open peak ends, nothing re-fires", async () => {
    const spec: SyntheticSeriesSpec = {
      buckets: 300,
      baseViewers: 50,
      peaks: [
        { atBucket: 120, buckets: 6, upliftPct: 150 },
        { atBucket: 240, buckets: 6, upliftPct: 150 },
      ],
      seed: 4,
    };
    const batches = partitionBatches(0, [{ country: "BR", sport: "judo", spec }], 5);
    const first = newWorker();
    // Through window 124: the first peak has fired and is still open.
    await first.handle(batches.slice(0, 25));
    const open = await database.db.anomaly.findMany();
    expect(open.map((anomaly) => anomaly.status)).toEqual(["open"]);

    const restarted = newWorker();
    await restarted.handle(batches.slice(25));
    const anomalies = await database.db.anomaly.findMany({ orderBy: { windowStart: "asc" } });
    expect(anomalies.map((anomaly) => (anomaly.windowStart.getTime() - START) / WINDOW_MS)).toEqual([
      120, 240,
    ]);
    // Ended by the restarted worker's tracker, which knew the peak was in progress.
    expect(anomalies.map((anomaly) => anomaly.status)).toEqual(["ended", "ended"]);
    expect(await database.db.job.count()).toBe(2);
    // Windows 0-297 are final (the watermark trails the newest action by the allowed lateness); the state is
    // checkpointed every 30 windows and at every event, and each window was learned exactly once.
    const state = await database.db.detectorState.findFirstOrThrow();
    const lastWindow = (state.lastBucketStart.getTime() - START) / WINDOW_MS;
    expect(lastWindow).toBeGreaterThan(297 - 30);
    expect((state.state as { detector: { baseline: { learned: number } } }).detector.baseline.learned).toBe(
      lastWindow + 1,
    );
  });

  it("takes a worker down for three hours as a gap, not as an audience of 0: nothing fires when traffic returns", async () => {
    // Two flat series of one partition; the stream stops for three hours (nothing flows, as when the workers
    // or the stream are down), then the same audience comes back to a restarted worker.
    const [before, silence, after] = [300, 1_080, 300];
    const flat = (seed: number) =>
      syntheticSeries({
        startMs: START,
        buckets: before + silence + after,
        baseViewers: 80,
        peaks: [],
        seed,
      }).map((bucket, index) => (index >= before && index < before + silence ? 0 : bucket.observed));
    const batches = partitionBatches(0, [
      { country: "FR", sport: "football", counts: flat(5) },
      { country: "DE", sport: "athletics", counts: flat(6) },
    ]);
    const returnsAt = (before + silence) / 20;
    await newWorker().handle(batches.slice(0, before / 20));
    const restarted = newWorker();
    await restarted.handle(batches.slice(returnsAt));

    expect(await counts()).toEqual({ anomalies: 0, jobs: 0, candidates: 0 });
    // What the chart draws once the audience is back: the expected line is at its level again, not near 0.
    const backAt = new Date(START + (before + silence + 60) * WINDOW_MS);
    const judged = await database.db.trafficBucket.findMany({
      where: { bucketStart: { gte: backAt }, expected: { not: null } },
    });
    expect(judged.length).toBeGreaterThan(400);
    for (const bucket of judged) expect(bucket.expected!).toBeGreaterThan(0.7 * 80);
  });

  it("groups two countries peaking together on one sport into one candidate with two markets", async () => {
    const together = (seed: number): SyntheticSeriesSpec => ({ ...peakSpec, seed });
    // Two workers, one partition each, as after a consumer-group split.
    const [one, two] = [newWorker(), newWorker()];
    const frBatches = partitionBatches(0, [{ country: "FR", sport: "football", spec: together(3) }]);
    const deBatches = partitionBatches(1, [{ country: "DE", sport: "football", spec: together(9) }]);
    await Promise.all([one.handle(frBatches), two.handle(deBatches)]);

    expect(await counts()).toEqual({ anomalies: 2, jobs: 1, candidates: 1 });
    const candidate = await database.db.candidateMoment.findFirstOrThrow();
    const markets = candidate.markets as { country: string; upliftPct: number }[];
    expect(markets.map((market) => market.country).sort()).toEqual(["DE", "FR"]);
    expect(markets.every((market) => market.upliftPct > 40)).toBe(true);
    expect(candidate).toMatchObject({ sport: "football", status: "open" });
    expect(candidate.extraViewers).toBeGreaterThan(0);
  });

  it("lets a market the candidate does not hold yet join within the tolerance of its latest peak", async () => {
    // France peaks first, Germany 50 s later, Italy 100 s after France (50 s after Germany): one reaction
    // reaching markets in turn. Each worker stores its peak in its own transaction, so the candidate's latest
    // peak and countries come from Postgres.
    const workers = [newWorker(), newWorker(), newWorker()];
    const feeds = [
      { country: "FR", at: 200, seed: 3 },
      { country: "DE", at: 205, seed: 9 },
      { country: "IT", at: 210, seed: 5 },
    ];
    for (const [index, feed] of feeds.entries()) {
      const spec = { ...peakSpec, seed: feed.seed, peaks: [{ ...peakSpec.peaks![0]!, atBucket: feed.at }] };
      await workers[index]!.handle(
        partitionBatches(index, [{ country: feed.country, sport: "football", spec }]),
      );
    }

    expect(await counts()).toEqual({ anomalies: 3, jobs: 1, candidates: 1 });
    const candidate = await database.db.candidateMoment.findFirstOrThrow();
    const markets = candidate.markets as { country: string }[];
    expect(markets.map((market) => market.country).sort()).toEqual(["DE", "FR", "IT"]);
  });

  it("keeps two matches of one sport apart when play-by-play names a different cause for each peak", async () => {
    // Both markets peak together, but France reacts to its match and Australia to another one.
    await createGamesWithPlays([goal("FR", 196), goal("AU", 197)]);
    const [one, two] = [newWorker(), newWorker()];
    const frBatches = partitionBatches(0, [
      { country: "FR", sport: "football", spec: { ...peakSpec, seed: 3 } },
    ]);
    const auBatches = partitionBatches(1, [
      { country: "AU", sport: "football", spec: { ...peakSpec, seed: 9 } },
    ]);
    await Promise.all([one.handle(frBatches), two.handle(auBatches)]);

    expect(await counts()).toEqual({ anomalies: 2, jobs: 2, candidates: 2 });
    const candidates = await database.db.candidateMoment.findMany();
    expect(
      candidates
        .map((candidate) => (candidate.markets as { country: string }[]).map((m) => m.country))
        .sort(),
    ).toEqual([["AU"], ["FR"]]);
  });

  it("opens no candidate for a peak play-by-play does not explain while its sport has play-by-play", async () => {
    // France's only goal came 1,000 s before its peak (window 200): the peak is stored, no candidate opens.
    await createGamesWithPlays([goal("FR", 100)]);
    await newWorker().handle(partitionBatches(0, [{ country: "FR", sport: "football", spec: peakSpec }]));
    expect(await counts()).toEqual({ anomalies: 1, jobs: 0, candidates: 0 });
    expect((await database.db.anomaly.findFirstOrThrow()).candidateId).toBeNull();
  });

  it("sets apart a country-wide surge over three sports: no candidate moment is left open", async () => {
    const sports = ["football", "tennis", "swimming"];
    const feeds = sports.map((sport, index) => ({
      country: "IT",
      sport,
      spec: { ...peakSpec, seed: 20 + index },
    }));
    await newWorker().handle(partitionBatches(2, feeds));
    const anomalies = await database.db.anomaly.findMany();
    expect(anomalies).toHaveLength(3);
    expect(anomalies.every((anomaly) => anomaly.status === "broad")).toBe(true);
    const candidates = await database.db.candidateMoment.findMany();
    expect(candidates.every((candidate) => candidate.status === "dismissed")).toBe(true);
  });

  it("keeps a peak that play-by-play explains out of a country-wide surge", async () => {
    // Italy's football and tennis rise in the same minute; a goal explains the football peak, so it is a
    // moment, and tennis alone is no surge either.
    await createGamesWithPlays([goal("IT", 196)], "IT");
    const feeds = ["football", "tennis"].map((sport, index) => ({
      country: "IT",
      sport,
      spec: { ...peakSpec, seed: 40 + index },
    }));
    await newWorker().handle(partitionBatches(2, feeds));
    const anomalies = await database.db.anomaly.findMany({ orderBy: { sport: "asc" } });
    expect(anomalies.map((anomaly) => [anomaly.sport, anomaly.status === "broad"])).toEqual([
      ["football", false],
      ["tennis", false],
    ]);
    const candidates = await database.db.candidateMoment.findMany();
    expect(candidates.filter((candidate) => candidate.status === "open")).toHaveLength(2);
  });

  it("raises nothing on a slow trend", async () => {
    const spec: SyntheticSeriesSpec = { buckets: 720, baseViewers: 60, trendPerHour: 0.5, seed: 5 };
    await newWorker().handle(partitionBatches(0, [{ country: "ES", sport: "cycling", spec }], 30));
    expect(await counts()).toEqual({ anomalies: 0, jobs: 0, candidates: 0 });
    expect(await database.db.trafficBucket.count({ where: { expected: { not: null } } })).toBeGreaterThan(
      690,
    );
  });

  it("announces each judged bucket's band with a new seq, so live clients get the band without a re-read", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const announced: BandChange[] = [];
    client.on("notification", (message) => announced.push(...parseBandChanges(message.payload ?? "")));
    await client.query(`LISTEN ${BAND_CHANNEL}`);
    const spec: SyntheticSeriesSpec = { buckets: 120, baseViewers: 60, seed: 3 };
    await newWorker().handle(partitionBatches(0, [{ country: "NL", sport: "judo", spec }], 20));

    const judged = await database.db.trafficBucket.findMany({
      where: { country: "NL", sport: "judo", expected: { not: null } },
      orderBy: { bucketStart: "asc" },
    });
    expect(judged.length).toBeGreaterThan(90);
    await expect.poll(() => announced.length).toBe(judged.length);
    const byStart = new Map(announced.map((change) => [change[2], change]));
    for (const bucket of judged) {
      const change = byStart.get(bucket.bucketStart.getTime())!;
      expect(change.slice(0, 2)).toEqual(["NL", "judo"]);
      expect(change.slice(3, 6)).toEqual([bucket.expected, bucket.expectedLow, bucket.expectedHigh]);
      // The bucket's seq is the one announced: a client resuming after an older id reads it again.
      expect(change[6]).toBe(Number(bucket.seq));
    }
    // Judging moved each bucket's seq past those of the warm-up buckets counted in the same first batch.
    const warmUp = await database.db.trafficBucket.findMany({
      where: { country: "NL", sport: "judo", bucketStart: { lt: judged[0]!.bucketStart } },
    });
    expect(warmUp.length).toBeGreaterThan(0);
    const judgedSeqs = judged.map((bucket) => Number(bucket.seq));
    expect(Math.min(...judgedSeqs)).toBeGreaterThan(Math.max(...warmUp.map((bucket) => Number(bucket.seq))));
    await client.end();
  });

  it("serves anomalies and bands to the dashboard, and answers 400 to a bad query", async () => {
    await newWorker().handle(partitionBatches(0, [{ country: "FR", sport: "football", spec: peakSpec }]));
    process.env.DATABASE_URL = database.url;
    const { GET } = await import("../../app/api/anomalies/route");
    const from = new Date(START).toISOString();
    const to = START + 3_600_000;
    const response = await GET(
      new Request(`http://localhost/api/anomalies?country=FR&from=${from}&to=${to}`),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      anomalies: { kind: string; candidate: { markets: unknown[] } }[];
    };
    expect(body.anomalies).toHaveLength(1);
    expect(body.anomalies[0]!.kind).toBe("peak");
    expect(body.anomalies[0]!.candidate.markets).toHaveLength(1);
    const other = await GET(new Request(`http://localhost/api/anomalies?country=DE&from=${from}&to=${to}`));
    expect(((await other.json()) as { anomalies: unknown[] }).anomalies).toEqual([]);

    for (const bad of ["country=france", "from=yesterday", `from=${to}&to=${START}`]) {
      const refused = await GET(new Request(`http://localhost/api/anomalies?${bad}`));
      expect(refused.status).toBe(400);
    }

    const { readTrafficWindow } = await import("../../server/traffic/queries");
    const window = await readTrafficWindow(database.db, {
      minutes: 60,
      country: "FR",
      windowSeconds: 10,
      now: START + 3_000_000,
    });
    expect(window.bands.length).toBeGreaterThan(250);
    const [country, sport, , expected, low, high] = window.bands[100]!;
    expect([country, sport]).toEqual(["FR", "football"]);
    expect(low).toBeLessThan(expected);
    expect(high).toBeGreaterThan(expected);
  });

  it("reads the action mix with the counts: a burst of page views alone (a bot) raises no anomaly", async () => {
    const flat: SyntheticSeriesSpec = { buckets: 300, baseViewers: 80, seed: 3 };
    await newWorker().handle(
      partitionBatches(0, [
        // The same +150 % for six windows: as page views only on football, as an audience's mix on judo.
        {
          country: "FR",
          sport: "football",
          spec: flat,
          botPageViews: (i) => (i >= 200 && i < 206 ? 120 : 0),
        },
        {
          country: "FR",
          sport: "judo",
          spec: { ...flat, peaks: [{ atBucket: 200, buckets: 6, upliftPct: 150 }] },
        },
      ]),
    );
    const anomalies = await database.db.anomaly.findMany({ where: { kind: "peak" } });
    expect(anomalies.map((anomaly) => anomaly.sport)).toEqual(["judo"]);
  });

  it("expects the audience gathering for a session in Postgres's schedule, so the ramp is no peak", async () => {
    // Both sports grow almost sixfold over the ten minutes before 260 windows in; only judo has a session then.
    const noise = [0, 6, -5, 9, -8, 3, -2];
    const ramp = Array.from({ length: 300 }, (_, index) => {
      const base = 100 + Math.max(0, Math.min(60, index - 200)) * 8;
      return Math.round(base + noise[index % 7]! * Math.sqrt(base / 100));
    });
    await createGamesWithPlays([], "FR", [
      {
        id: "judo-001",
        sport: "judo",
        event: "-73 kg",
        phase: "final",
        startsAt: new Date(START + 260 * WINDOW_MS),
        endsAt: new Date(START + 620 * WINDOW_MS),
        countries: ["FR"],
        athleteIds: [],
      },
    ]);
    await newWorker().handle(
      partitionBatches(0, [
        { country: "FR", sport: "judo", counts: ramp },
        { country: "FR", sport: "tennis", counts: ramp },
      ]),
    );
    const anomalies = await database.db.anomaly.findMany({ where: { kind: "peak" } });
    expect(anomalies.length).toBeGreaterThan(0);
    expect(new Set(anomalies.map((anomaly) => anomaly.sport))).toEqual(new Set(["tennis"]));
  });

  it("opens a candidate from a significant play-by-play event before traffic reacts, then links the peak", async () => {
    await createGamesWithPlays(
      [
        { significance: 0.9, id: "goal-1", occurredAt: new Date(START + 185 * WINDOW_MS) },
        // Too small to open a candidate on its own.
        { significance: 0.2, id: "throw-in", occurredAt: new Date(START + 100 * WINDOW_MS) },
      ].map((play) => ({ ...play, countries: ["FR", "DE"], description: "Late winner in the final" })),
    );
    const worker = newWorker();
    const batches = partitionBatches(0, [{ country: "FR", sport: "football", spec: peakSpec }], 10);
    // Through window 199: the event (window 185) is in the past, the audience has not reacted yet.
    await worker.handle(batches.slice(0, 20));
    const waiting = await database.db.candidateMoment.findMany();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      status: "awaiting-traffic",
      causeEventId: "goal-1",
      sport: "football",
    });
    expect(await database.db.job.count()).toBe(0);

    await worker.handle(batches.slice(20));
    const [candidate] = await database.db.candidateMoment.findMany();
    expect(candidate).toMatchObject({ id: waiting[0]!.id, status: "open", causeEventId: "goal-1" });
    expect((candidate!.markets as { country: string }[]).map((market) => market.country)).toEqual(["FR"]);
    expect(await counts()).toEqual({ anomalies: 1, jobs: 1, candidates: 1 });
  });

  it("refuses to write over a series another worker advanced meanwhile, then reloads and goes on", async () => {
    const batches = partitionBatches(0, [{ country: "FR", sport: "football", spec: peakSpec }], 10);
    const zombie = newWorker(1);
    await zombie.handle(batches.slice(0, 10));
    // The partition moved to another worker, which judged up to window ~147.
    await newWorker(1).handle(batches.slice(10, 15));
    const moved = await database.db.detectorState.findFirstOrThrow();

    // The first worker still believes it owns the partition and judges from its stale detector, through the
    // last stored window (149).
    const step = { partition: 0, series: [{ country: "FR", sport: "football" }] };
    await zombie.detection.afterBatch({ ...step, watermark: START + 150 * WINDOW_MS });
    expect(zombie.detection.stats.staleStates).toBe(1);
    const kept = await database.db.detectorState.findFirstOrThrow();
    expect(kept.lastBucketStart).toEqual(moved.lastBucketStart);

    // Reloaded from Postgres, it goes on from where the other worker stopped.
    await zombie.detection.afterBatch({ ...step, watermark: START + 150 * WINDOW_MS });
    const resumed = await database.db.detectorState.findFirstOrThrow();
    expect(resumed.lastBucketStart.getTime()).toBe(START + 149 * WINDOW_MS);
    expect((resumed.state as { detector: { baseline: { learned: number } } }).detector.baseline.learned).toBe(
      150,
    );
  });
});
