// A generated `small` games lands in Postgres (schedule, athletes, play-by-play, stories, ground truth) and its
// stories and play-by-play are found by full-text search; loading again replaces rather than duplicates.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGames, writeGames, type GamesOnDisk } from "../../server/replay/games-files";
import { loadGames, searchPlayByPlay, searchStories } from "../../server/replay/games-store";
import { planGames } from "../../server/simulator/games";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";

describe("games archive in Postgres", () => {
  let database: MigratedDatabase;
  let dir: string;
  let games: GamesOnDisk;

  beforeAll(async () => {
    database = await createMigratedDatabase("games_archive_test");
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "peaklight-archive-"));
    await writeGames(planGames({ seed: 4, size: "small" }), dir);
    games = await readGames(dir);
  });

  afterAll(async () => {
    await database?.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("loads every record of the games, and a second load replaces the first", async () => {
    const counts = await loadGames(database.db, games);
    await loadGames(database.db, games);
    const where = { where: { gamesId: games.manifest.id } };
    expect(await database.db.athlete.count(where)).toBe(counts.athletes);
    expect(await database.db.gamesSession.count(where)).toBe(games.sessions.length);
    expect(await database.db.playByPlayEvent.count(where)).toBe(games.playByPlay.length);
    expect(await database.db.story.count(where)).toBe(80);
    expect(await database.db.groundTruthMoment.count({ where: { ...where.where, decoy: true } })).toBe(
      games.groundTruth.filter((m) => m.decoy).length,
    );
  });

  it("finds stories by full text, headline matches first, and never from the future", async () => {
    const rivalry = games.stories.find((s) => s.kind === "rivalry")!;
    const rivalName = rivalry.headline.split(" v ")[1]!.split(":")[0]!;
    const hits = await searchStories(database.db, {
      gamesId: games.manifest.id,
      query: `"${rivalName}" rivalry`,
    });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((h) => h.id)).toContain(rivalry.id);
    expect(hits[0]!.rank).toBeGreaterThan(0);

    const comebacks = await searchStories(database.db, {
      gamesId: games.manifest.id,
      query: "comeback injury",
    });
    expect(
      comebacks.every((h) => h.kind === "comeback" || h.headline.toLowerCase().includes("comeback")),
    ).toBe(true);

    const recap = games.stories.find((s) => s.kind === "recap");
    if (recap) {
      const query = recap.headline.split(" ").slice(0, 2).join(" ");
      const before = await searchStories(database.db, {
        gamesId: games.manifest.id,
        query,
        before: new Date(recap.publishedAt - 1),
      });
      expect(before.map((h) => h.id)).not.toContain(recap.id);
    }
  });

  it("finds play-by-play by full text", async () => {
    const goal = games.playByPlay.find((e) => e.type === "goal")!;
    const scorer = goal.description.split(" (")[0]!.replace(/^Late (winner|equaliser)! /, "");
    const hits = await searchPlayByPlay(database.db, {
      gamesId: games.manifest.id,
      query: `"${scorer}" scores`,
    });
    expect(hits.map((h) => h.id)).toContain(goal.id);
    expect(hits[0]!.description).toContain("scores");
  });
});
