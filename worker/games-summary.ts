// `npm run games:summary -- --from DIR [--scan]`: prints a games' counts per sport and country and its list of
// ground-truth moments. Counts come from the manifest; --scan recounts them from the actions file.
import { parseArgs } from "node:util";
import { actionsFileOf, readGames, readLines, type ActionCounts } from "../server/replay/games-files";
import { formatGamesSummary } from "../server/replay/games-summary";
import { decodeActions } from "../server/stream/messages";

const USAGE = "usage: npm run games:summary -- --from DIR [--scan]";

async function recount(file: string): Promise<ActionCounts> {
  const counts: ActionCounts = { total: 0, byCountry: {}, bySport: {} };
  for await (const line of readLines(file)) {
    const decoded = decodeActions(line);
    if (!decoded.ok) continue;
    const { country, sport, actions } = decoded.series;
    counts.total += actions.length;
    counts.byCountry[country] = (counts.byCountry[country] ?? 0) + actions.length;
    counts.bySport[sport] = (counts.bySport[sport] ?? 0) + actions.length;
  }
  return counts;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      scan: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (!values.from) {
    console.error(`--from: expected a games directory\n${USAGE}`);
    process.exit(2);
  }
  const games = await readGames(values.from);
  const counts = values.scan ? await recount(await actionsFileOf(values.from)) : undefined;
  console.log(formatGamesSummary(games, counts));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
