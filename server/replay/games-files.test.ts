import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeActions } from "../stream/messages";
import { planGames } from "../simulator/games";
import { GAMES_FILES, readGames, readLines, writeGames } from "./games-files";

const dirs: string[] = [];
async function writeSmall(seed: number): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "peaklight-games-"));
  dirs.push(dir);
  await writeGames(planGames({ seed, size: "small" }), dir);
  return dir;
}

async function digest(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const name of (await fs.readdir(dir)).sort()) {
    hash.update(name);
    hash.update(await fs.readFile(path.join(dir, name)));
  }
  return hash.digest("hex");
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

describe("games files", () => {
  it("same seed → byte-identical games; another seed → different", async () => {
    const [a, b, c] = await Promise.all([writeSmall(11), writeSmall(11), writeSmall(12)]);
    expect(await digest(a)).toBe(await digest(b));
    expect(await digest(c)).not.toBe(await digest(a));
  });

  it("writes valid, time-ordered actions that match the manifest counts, and reads the records back", async () => {
    const dir = await writeSmall(5);
    const games = await readGames(dir);
    let count = 0;
    let previous = 0;
    const bySport: Record<string, number> = {};
    for await (const line of readLines(path.join(dir, GAMES_FILES.userActions))) {
      const decoded = decodeActions(line);
      if (!decoded.ok) throw new Error(decoded.reason);
      const { sport, actions } = decoded.series;
      const ts = actions[0]!.ts;
      if (actions.length !== 1 || ts < previous || ts >= games.manifest.end) {
        throw new Error(`line ${count + 1} out of order or range: ${line}`);
      }
      previous = ts;
      bySport[sport] = (bySport[sport] ?? 0) + 1;
      count += 1;
    }
    expect(count).toBe(games.manifest.actionCounts.total);
    expect(bySport).toEqual(games.manifest.actionCounts.bySport);
    expect(games.playByPlay.length).toBeGreaterThan(100);
    expect(games.stories.length).toBe(80);
    expect(games.groundTruth.some((m) => m.decoy)).toBe(true);
  });
});
