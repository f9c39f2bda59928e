// `npx tsx bench/detect.ts`: cost of peak detection per bucket update for each detector over ≥ 1M updates of
// seeded synthetic series (interleaved across series like the worker), memory per series state, and the
// detectors' precision/recall/lag/decoys on a seeded labelled set. Prints the figures; writes
// bench/results/detect.json. Run with `node --expose-gc --import tsx bench/detect.ts` for exact heap figures.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  evaluateDetector,
  type MarketInterval,
  type MarketSeries,
  type PeakScore,
} from "../server/detect/evaluate";
import { createDetector } from "../server/detect/detectors";
import { detectionConfig } from "../server/detect/config";
import { SeriesDetection } from "../server/detect/series-detection";
import { syntheticSeries, SYNTHETIC_START_MS, type InjectedPeak } from "../server/detect/synthetic-series";
import { DETECTOR_NAMES, type BucketObservation, type DetectorName } from "../server/detect/types";
import { seededRandom } from "../server/simulator/random";
import { describeMachine } from "./machine";

const SERIES = 200;
const BUCKETS_PER_SERIES = 5_000;
const WINDOW_MS = 10_000;

interface CostResult {
  detector: string;
  updates: number;
  microsPerUpdate: number;
  stateJsonBytes: number;
  heapBytesPerSeries: number | null;
}

function timingSeries(): BucketObservation[][] {
  const random = seededRandom(2026);
  return Array.from({ length: SERIES }, (_, index) =>
    syntheticSeries({
      buckets: BUCKETS_PER_SERIES,
      baseViewers: Math.round(20 * 100 ** random()),
      trendPerHour: 0.05,
      dailyAmplitude: 0.4,
      peaks: [{ atBucket: 1000 + (index % 50) * 60, buckets: 6, upliftPct: 100 }],
      seed: index + 1,
    }),
  );
}

type Updater = { update(bucket: BucketObservation): unknown; toJSON(): unknown };

function makeUpdater(name: DetectorName | "uplift+de-dup"): Updater {
  if (name === "uplift+de-dup") return new SeriesDetection({ detector: "uplift" });
  const detector = createDetector(detectionConfig({ detector: name }));
  return { update: (bucket) => detector.assess(bucket), toJSON: () => detector.toJSON() };
}

function heapUsed(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  const usage = process.memoryUsage();
  // Typed arrays (the forest's masses) live outside the JS heap.
  return usage.heapUsed + usage.arrayBuffers;
}

function measureCost(name: DetectorName | "uplift+de-dup", series: BucketObservation[][]): CostResult {
  // JIT warm-up on a copy of the first series.
  const warm = makeUpdater(name);
  for (const bucket of series[0]!) warm.update(bucket);

  const heapBefore = heapUsed();
  const updaters = series.map(() => makeUpdater(name));
  const started = process.hrtime.bigint();
  for (let index = 0; index < BUCKETS_PER_SERIES; index += 1) {
    for (let market = 0; market < series.length; market += 1)
      updaters[market]!.update(series[market]![index]!);
  }
  const elapsedNs = Number(process.hrtime.bigint() - started);
  const heapAfter = heapUsed();
  const updates = BUCKETS_PER_SERIES * series.length;
  return {
    detector: name,
    updates,
    microsPerUpdate: elapsedNs / updates / 1000,
    stateJsonBytes: JSON.stringify(updaters[0]!.toJSON()).length,
    heapBytesPerSeries:
      heapBefore === null || heapAfter === null ? null : (heapAfter - heapBefore) / series.length,
  };
}

/** A labelled day: 40 markets from tiny to large, true peaks of +50–200 %, decoys of +10–25 % bumps. */
export function labelledSet(): {
  series: MarketSeries[];
  moments: MarketInterval[];
  decoys: MarketInterval[];
} {
  const random = seededRandom(77);
  const series: MarketSeries[] = [];
  const moments: MarketInterval[] = [];
  const decoys: MarketInterval[] = [];
  const bucketsPerDay = 8_640;
  const at = (index: number) => SYNTHETIC_START_MS + index * WINDOW_MS;
  for (let market = 0; market < 40; market += 1) {
    const country = `C${String(market).padStart(2, "0")}`;
    const sport = "football";
    const peaks: InjectedPeak[] = [];
    for (let slot = 0; slot < 12; slot += 1) {
      const atBucket = 1_500 + slot * 600 + Math.floor(random() * 300);
      const isDecoy = slot % 3 === 2;
      const buckets = isDecoy ? 6 + Math.floor(random() * 24) : 3 + Math.floor(random() * 15);
      const upliftPct = isDecoy ? 10 + random() * 15 : 50 + random() * 150;
      peaks.push({ atBucket, buckets, upliftPct });
      (isDecoy ? decoys : moments).push({
        country,
        sport,
        start: at(atBucket),
        end: at(atBucket + buckets - 1),
      });
    }
    const buckets = syntheticSeries({
      buckets: bucketsPerDay,
      baseViewers: Math.round(40 * 50 ** random()),
      trendPerHour: (random() - 0.5) * 0.04,
      dailyAmplitude: 0.4,
      peaks,
      seed: 1_000 + market,
    });
    series.push({ country, sport, buckets });
  }
  return { series, moments, decoys };
}

function main(): void {
  const machine = describeMachine();
  console.log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGiB} GiB, Node ${machine.node}`,
  );
  process.stderr.write(`[bench:detect] generating ${SERIES} series × ${BUCKETS_PER_SERIES} buckets\n`);
  const series = timingSeries();
  const costs: CostResult[] = [];
  for (const name of [...DETECTOR_NAMES, "uplift+de-dup"] as const) {
    process.stderr.write(`[bench:detect] ${name}\n`);
    costs.push(measureCost(name, series));
  }
  console.log("\ncost per bucket update (series interleaved like the worker)");
  console.log("detector        updates     µs/update  state JSON  heap/series");
  for (const cost of costs) {
    const heap =
      cost.heapBytesPerSeries === null
        ? "n/a (no --expose-gc)"
        : `${(cost.heapBytesPerSeries / 1024).toFixed(1)} KiB`;
    console.log(
      `${cost.detector.padEnd(15)} ${cost.updates.toLocaleString("en-US").padStart(9)}  ${cost.microsPerUpdate.toFixed(3).padStart(9)}  ${(cost.stateJsonBytes / 1024).toFixed(1).padStart(6)} KiB  ${heap}`,
    );
  }

  process.stderr.write("[bench:detect] accuracy on the labelled set\n");
  const labelled = labelledSet();
  const accuracy: Record<string, PeakScore> = {};
  console.log(
    `\naccuracy: ${labelled.series.length} markets × 1 day, ${labelled.moments.length} true peaks, ${labelled.decoys.length} decoys`,
  );
  console.log("detector  precision  recall  F1     median lag  decoys fired");
  for (const detector of DETECTOR_NAMES) {
    const score = evaluateDetector(labelled.series, labelled.moments, labelled.decoys, {
      windowMs: WINDOW_MS,
      config: { detector },
    });
    accuracy[detector] = { ...score, lagsWindows: [] };
    console.log(
      `${detector.padEnd(9)} ${score.precision.toFixed(3).padStart(9)}  ${score.recall.toFixed(3)}   ${score.f1.toFixed(3)}  ${String(score.medianLagWindows).padStart(10)}  ${(100 * score.decoyFiredShare).toFixed(1)} %`,
    );
  }
  const outDir = join(import.meta.dirname, "results");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "detect.json");
  writeFileSync(
    file,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), machine, costs, accuracy }, null, 2)}\n`,
  );
  process.stderr.write(`[bench:detect] wrote ${file}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
