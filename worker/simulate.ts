// `npm run simulate -- --seed N --size small|demo|full --out DIR [--start ISO-TIME]`: generates a games
// (schedule, play-by-play, stories, ground truth, user actions) into DIR. Same seed and size → same bytes.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { writeGames } from "../server/replay/games-files";
import { planGames } from "../server/simulator/games";
import { isGamesSizeName } from "../server/simulator/sizes";

const USAGE = "usage: npm run simulate -- --seed N --size small|demo|full --out DIR [--start ISO-TIME]";

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: "string", default: "1" },
      size: { type: "string", default: "small" },
      out: { type: "string" },
      start: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) fail(`--seed: expected a whole number ≥ 0 (got "${values.seed}")`);
  if (!isGamesSizeName(values.size)) fail(`--size: expected small, demo or full (got "${values.size}")`);
  if (!values.out) fail("--out: expected the directory to write the games to");
  const start = values.start === undefined ? undefined : Date.parse(values.start);
  if (start !== undefined && Number.isNaN(start))
    fail(`--start: expected an ISO time (got "${values.start}")`);

  const startedAt = performance.now();
  const plan = planGames({ seed, size: values.size, start });
  const bar = new cliProgress.SingleBar(
    { format: "actions {bar} {percentage}% | {actions} | eta {eta_formatted}", stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { actions: 0 });
  const manifest = await writeGames(plan, values.out, ({ step, steps, actions }) => {
    bar.setTotal(steps);
    bar.update(step, { actions: actions.toLocaleString("en-US") });
  });
  bar.stop();
  const seconds = (performance.now() - startedAt) / 1_000;
  const reactions = plan.groundTruth.filter((m) => !m.decoy).length;
  console.log(
    [
      `games ${manifest.id} written to ${values.out}`,
      `  ${new Date(manifest.start).toISOString()} → ${new Date(manifest.end).toISOString()}, host ${manifest.hostCountry}`,
      `  ${manifest.markets.length} countries × ${manifest.sports.length} sports, ${plan.athletes.length} athletes, ${plan.sessions.length} sessions`,
      `  ${plan.playByPlay.length} play-by-play events, ${plan.stories.length} stories`,
      `  ground truth: ${reactions} reactions, ${plan.groundTruth.length - reactions} decoys`,
      `  ${manifest.actionCounts.total.toLocaleString("en-US")} user actions in ${seconds.toFixed(1)} s ` +
        `(${Math.round(manifest.actionCounts.total / seconds).toLocaleString("en-US")} actions/s)`,
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
