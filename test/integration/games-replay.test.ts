// `npm run replay` end to end: a generated `small` games replayed at full speed into the in-process stream
// lands in Postgres traffic buckets action for action (with its stories loaded), and into a real Kafka topic
// message for message.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeGames, type GamesManifestFile } from "../../server/replay/games-files";
import { planGames } from "../../server/simulator/games";
import { decodeActions } from "../../server/stream/messages";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";

let database: MigratedDatabase;
let workDir: string;
let gamesDir: string;
let manifest: GamesManifestFile;

function replay(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "worker/replay.ts", ...args], {
    env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", PEAKLIGHT_DATA_DIR: workDir, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  database = await createMigratedDatabase("games_replay_test");
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), "peaklight-replay-"));
  gamesDir = path.join(workDir, "games");
  manifest = await writeGames(planGames({ seed: 6, size: "small" }), gamesDir);
});

afterAll(async () => {
  await database?.dispose();
  await fs.rm(workDir, { recursive: true, force: true });
});

describe("npm run replay", () => {
  it("replays a games into the in-process stream → Postgres, every action counted once", async () => {
    const out = replay(["--from", gamesDir, "--speed", "max", "--to", "inproc", "--restart"], {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: "",
    });
    expect(out).toContain(`replayed ${manifest.actionCounts.total.toLocaleString("en-US")} actions`);
    // Per country × sport; the country totals (sport `all`) hold the same actions again.
    const perSport = { sport: { not: "all" } };
    const stored = await database.db.trafficBucket.aggregate({ where: perSport, _sum: { actions: true } });
    expect(stored._sum.actions).toBe(manifest.actionCounts.total);
    const bySport = await database.db.trafficBucket.groupBy({
      by: ["sport"],
      where: perSport,
      _sum: { actions: true },
    });
    expect(Object.fromEntries(bySport.map((row) => [row.sport, row._sum.actions]))).toEqual(
      manifest.actionCounts.bySport,
    );
    expect(await database.db.story.count({ where: { gamesId: manifest.id } })).toBe(80);
  });

  it("replays a games into a Kafka topic", async () => {
    const brokers = process.env.TEST_KAFKA_BROKERS!;
    const topic = `replay-${randomBytes(3).toString("hex")}`;
    replay(
      ["--from", gamesDir, "--speed", "max", "--to", "kafka", "--topic", topic, "--no-load", "--restart"],
      {
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_PARTITIONS: "3",
        DATABASE_URL: "",
      },
    );
    const kafka = new Kafka({ clientId: "replay-test", brokers: [brokers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${topic}-check` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let counted = 0;
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeActions(message.value);
        if (decoded.ok) counted += decoded.series.actions.length;
      },
    });
    await expect.poll(() => counted, { timeout: 60_000 }).toBe(manifest.actionCounts.total);
    await consumer.disconnect();
  });
});
