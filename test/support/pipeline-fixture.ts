// A moment for the pipeline tests: a generated `small` games in Postgres, and one of its audience reactions
// (to a significant play-by-play event with a story about an athlete in it) written as detection writes it:
// anomalies, their candidate moment and the score-moment job.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { Db } from "../../server/db/client";
import { parseConfig } from "../../server/config/env";
import { createOfflineProvider } from "../../server/agents/llm/offline-provider";
import type { LlmProvider } from "../../server/agents/llm/types";
import { offlineComposers } from "../../server/agents/providers";
import { configuredChannels } from "../../server/channels/configured-channels";
import type { PipelineDeps } from "../../server/moments/stage-runtime";
import { enqueueScoreMoment } from "../../server/queue/score-moment-job";
import { readGames, writeGames, type GamesOnDisk } from "../../server/replay/games-files";
import { loadGames } from "../../server/replay/games-store";
import { planGames } from "../../server/simulator/games";
import type { GroundTruthMoment } from "../../server/simulator/types";

export const silentLog = pino({ level: "silent" });

export async function loadSmallGames(db: Db): Promise<GamesOnDisk> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "peaklight-pipeline-"));
  try {
    await writeGames(planGames({ seed: 4, size: "small" }), dir);
    const games = await readGames(dir);
    await loadGames(db, games);
    return games;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Reactions to significant events whose athletes have a story published before the event. */
export function storiedReactions(games: GamesOnDisk): GroundTruthMoment[] {
  const events = new Map(games.playByPlay.map((event) => [event.id, event]));
  return games.groundTruth.filter((moment) => {
    const cause = moment.causeEventId ? events.get(moment.causeEventId) : undefined;
    if (moment.decoy || !cause || cause.significance < 0.8 || cause.athleteIds.length === 0) return false;
    if (!moment.markets.some((market) => cause.countries.includes(market.country))) return false;
    return games.stories.some(
      (story) =>
        story.publishedAt <= cause.ts && story.athleteIds.some((id) => cause.athleteIds.includes(id)),
    );
  });
}

const BUCKET_MS = 10_000;

/** Writes a reaction as detection would: one anomaly per market, one candidate, one score-moment job. */
export async function writeCandidate(db: Db, moment: GroundTruthMoment): Promise<bigint> {
  const sport = moment.markets[0]!.sport;
  const bucketStart = Math.floor(moment.start / BUCKET_MS) * BUCKET_MS;
  const lastPeakAt = Math.floor(moment.peak / BUCKET_MS) * BUCKET_MS;
  return db.$transaction(async (tx) => {
    const candidate = await tx.candidateMoment.create({
      data: {
        key: `${sport}|${bucketStart}`,
        sport,
        startedAt: new Date(bucketStart),
        lastPeakAt: new Date(lastPeakAt),
        status: "open",
      },
    });
    const markets = [];
    for (const market of moment.markets.filter((entry) => entry.sport === sport)) {
      const expected = 200;
      const observed = Math.round(expected * (1 + market.peakUpliftPct / 100));
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
          expected,
          expectedLow: expected * 0.8,
          expectedHigh: expected * 1.2,
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
        expectedViewers: expected,
        upliftPct: market.peakUpliftPct,
        score: 0.8,
      });
    }
    markets.sort((a, b) => b.upliftPct - a.upliftPct);
    await tx.candidateMoment.update({
      where: { id: candidate.id },
      data: {
        markets,
        score: 0.8,
        extraViewers: markets.reduce((sum, market) => sum + market.observed - market.expectedViewers, 0),
      },
    });
    await enqueueScoreMoment(
      tx,
      { anomalyId: markets[0]!.anomalyId, candidateId: candidate.id.toString() },
      0,
    );
    return candidate.id;
  });
}

export function pipelineDeps(db: Db, provider?: LlmProvider): PipelineDeps {
  return {
    db,
    provider: provider ?? createOfflineProvider(offlineComposers()),
    llm: parseConfig({}),
    bucketSeconds: 10,
    channels: configuredChannels(),
    log: silentLog,
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
