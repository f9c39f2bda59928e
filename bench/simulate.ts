// Games simulator throughput: plans the `full` games (14 days, 90 countries × 15 sports), then generates a
// slice of its user actions three ways — packed only, as NDJSON lines, and as gzipped NDJSON (what
// `npm run simulate` writes) — and prints actions/s for each, plus the full games' size extrapolated from
// the slice. Usage: npx tsx bench/simulate.ts [--seed N] [--days D] [--from-day K]
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { once } from "node:events";
import { actionGenerator, planGames } from "../server/simulator/games";
import { STEP_MS } from "../server/simulator/user-actions";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    days: { type: "string", default: "1" },
    "from-day": { type: "string", default: "6" },
  },
});
const seed = Number(values.seed);
const stepsPerDay = 86_400_000 / STEP_MS;

const planStarted = performance.now();
const plan = planGames({ seed, size: "full" });
const planSeconds = (performance.now() - planStarted) / 1_000;
const generator = actionGenerator(plan);
const first = Math.min(generator.stepCount - 1, Math.round(Number(values["from-day"]) * stepsPerDay));
const last = Math.min(generator.stepCount, first + Math.round(Number(values.days) * stepsPerDay));

function timed(label: string, run: () => { actions: number; bytes?: number }) {
  const started = performance.now();
  const { actions, bytes } = run();
  const seconds = (performance.now() - started) / 1_000;
  return { label, actions, seconds, bytes };
}

const packed = timed("generate (packed)", () => {
  let actions = 0;
  for (let step = first; step < last; step++) actions += generator.step(step).length;
  return { actions };
});
const lines = timed("generate + NDJSON", () => {
  let bytes = 0;
  let actions = 0;
  for (let step = first; step < last; step++) {
    const batch = generator.step(step);
    actions += batch.length;
    bytes += generator.encode(batch, generator.stepStart(step)).length;
  }
  return { actions, bytes };
});

// The gzip stage runs on libuv's thread pool, so it overlaps with generation as in `npm run simulate`.
let compressed = 0;
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    compressed += chunk.length;
    done();
  },
});
const gzip = createGzip({ level: 1, chunkSize: 1 << 16 });
gzip.pipe(sink);
const gzipStarted = performance.now();
let gzipActions = 0;
let pending = "";
for (let step = first; step < last; step++) {
  const batch = generator.step(step);
  gzipActions += batch.length;
  pending += generator.encode(batch, generator.stepStart(step));
  if (pending.length > 1 << 20) {
    if (!gzip.write(pending)) await once(gzip, "drain");
    pending = "";
  }
}
gzip.end(pending);
await once(sink, "finish");
const gzipped = {
  label: "generate + NDJSON + gzip",
  actions: gzipActions,
  seconds: (performance.now() - gzipStarted) / 1_000,
};

const sliceDays = ((last - first) * STEP_MS) / 86_400_000;
const perDay = packed.actions / sliceDays;
const fullDays = (plan.manifest.end - plan.manifest.start) / 86_400_000;
const rate = (r: { actions: number; seconds: number }) =>
  Math.round(r.actions / r.seconds).toLocaleString("en-US");
console.log(`games simulator — full games, seed ${seed}`);
console.log(
  `  plan: ${planSeconds.toFixed(2)} s (${plan.sessions.length} sessions, ${plan.playByPlay.length} play-by-play, ` +
    `${plan.stories.length} stories, ${plan.groundTruth.length} ground-truth moments)`,
);
console.log(
  `  slice: day ${values["from-day"]} + ${sliceDays.toFixed(2)} day(s), ${packed.actions.toLocaleString("en-US")} actions`,
);
for (const result of [packed, lines, gzipped]) {
  console.log(
    `  ${result.label.padEnd(26)} ${rate(result).padStart(12)} actions/s  (${result.seconds.toFixed(2)} s)`,
  );
}
const bytesPerAction = (lines.bytes ?? 0) / lines.actions;
console.log(
  `  NDJSON ${bytesPerAction.toFixed(1)} B/action, gzip level 1 ${(compressed / gzipActions).toFixed(1)} B/action`,
);
const fullActions = perDay * fullDays;
console.log(
  `  full games ≈ ${(fullActions / 1e6).toFixed(0)} M actions ≈ ${((fullActions * compressed) / gzipActions / 1e9).toFixed(1)} GB gzipped, ` +
    `≈ ${Math.round((fullActions / gzipActions) * gzipped.seconds)} s to write at this rate`,
);
