// `npm run games:load -- --from DIR`: loads a games' schedule, athletes, play-by-play, stories and ground
// truth into Postgres (DATABASE_URL) with their own times, replacing an earlier load of the same games.
import { parseArgs } from "node:util";
import { getConfigOrExit } from "../server/config/env";
import { createDb } from "../server/db/client";
import { readGames } from "../server/replay/games-files";
import { loadGames } from "../server/replay/games-store";

async function main(): Promise<void> {
  const config = getConfigOrExit();
  const { values } = parseArgs({ options: { from: { type: "string" } } });
  if (!values.from) {
    console.error("usage: npm run games:load -- --from DIR");
    process.exit(2);
  }
  if (!config.DATABASE_URL)
    throw new Error("DATABASE_URL is required: the games is loaded into that PostgreSQL");
  const games = await readGames(values.from);
  const db = createDb(config.DATABASE_URL, 2);
  try {
    const counts = await loadGames(db, games);
    console.log(
      `loaded ${games.manifest.id}: ${counts.sessions} sessions, ${counts.athletes} athletes, ` +
        `${counts.playByPlay} play-by-play events, ${counts.stories} stories, ${counts.groundTruth} ground-truth moments`,
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
