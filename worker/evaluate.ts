// `npm run evaluate -- --games DIR`: runs the detectors over a simulated games (npm run simulate) and reports,
// against its ground truth, precision, recall, F1, detection lag in windows and decoys fired. Wiring only.
import { parseArgs } from "node:util";
import { detectionConfig, type DetectionConfigInput } from "../server/detect/config";
import { splitBroadSurges } from "../server/detect/broad-surges";
import { detectPeaks, scorePeaks } from "../server/detect/evaluate";
import { MarketCounter, momentRecall, truthIntervals } from "../server/detect/games-truth";
import { DETECTOR_NAMES, type DetectorName } from "../server/detect/types";
import { actionsFileOf, readGames, readLines } from "../server/replay/games-files";

const USAGE = `usage: npm run evaluate -- --games DIR [--detector ${DETECTOR_NAMES.join("|")}|all] [--window-seconds N]
                           [--min-volume N] [--min-uplift-pct P]`;

function fail(message: string): never {
  process.stderr.write(`evaluate: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function numberOption(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0)
    fail(`${flag} expects a number ≥ 0, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      games: { type: "string" },
      detector: { type: "string", default: "all" },
      "window-seconds": { type: "string", default: "10" },
      "min-volume": { type: "string" },
      "min-uplift-pct": { type: "string" },
    },
  });
  if (!values.games) fail("--games is required (a directory written by npm run simulate)");
  const detectors: DetectorName[] =
    values.detector === "all"
      ? [...DETECTOR_NAMES]
      : DETECTOR_NAMES.filter((name) => name === values.detector);
  if (detectors.length === 0)
    fail(`--detector expects ${DETECTOR_NAMES.join(", ")} or all, got "${values.detector}"`);
  const windowSeconds =
    numberOption("--window-seconds", values["window-seconds"]) || fail("--window-seconds must be > 0");
  const minVolume = numberOption("--min-volume", values["min-volume"]);
  const minUpliftPct = numberOption("--min-uplift-pct", values["min-uplift-pct"]);
  const base: DetectionConfigInput = {
    baseline: { windowSeconds },
    uplift: {
      ...(minVolume === undefined ? {} : { minVolume }),
      ...(minUpliftPct === undefined ? {} : { minUpliftPct }),
    },
  };
  const rules = detectionConfig(base).uplift;

  const games = await readGames(values.games);
  const { manifest } = games;
  const windowMs = windowSeconds * 1000;
  const markets = manifest.markets.flatMap((market) =>
    manifest.sports.map((sport) => ({ country: market.code, sport: sport.slug })),
  );
  const counter = new MarketCounter(markets, manifest.start, manifest.end, windowMs);
  let unreadable = 0;
  for await (const line of readLines(await actionsFileOf(values.games))) {
    try {
      const action = JSON.parse(line) as { country: string; sport: string; ts: number };
      counter.add(action.country, action.sport, action.ts);
    } catch {
      unreadable += 1;
    }
  }
  const series = counter.series();
  const truth = truthIntervals(games.groundTruth, rules, series);
  const buckets = series.reduce((sum, market) => sum + market.buckets.length, 0);
  const meanPerBucket = manifest.actionCounts.total / buckets;
  console.log(
    `games ${manifest.id} (${manifest.size}, seed ${manifest.seed}): ${series.length} markets × ${buckets / series.length} windows of ${windowSeconds} s, ` +
      `${meanPerBucket.toFixed(1)} actions per window on average` +
      (unreadable + counter.outside > 0
        ? `, ${unreadable} unreadable and ${counter.outside} out-of-range actions`
        : ""),
  );
  console.log(
    `ground truth: ${games.groundTruth.filter((moment) => !moment.decoy).length} reactions → ${truth.moments.length} markets ≥ +${rules.minUpliftPct} % ` +
      `and ≥ ${rules.minVolume} actions (${truth.ignored.length} weaker or smaller ignored), ${truth.decoys.length} decoy markets`,
  );
  console.log("detector  precision  recall  F1     lag(med)  from top  decoys fired   held  moments seen");
  for (const detector of detectors) {
    const { sportPeaks: peaks, broadPeaks } = splitBroadSurges(detectPeaks(series, { ...base, detector }), {
      toleranceMs: 60_000,
      minSports: 3,
    });
    process.stderr.write(`${detector}: ${broadPeaks.length} peaks set apart as country-wide surges\n`);
    const score = scorePeaks(peaks, truth.moments, truth.decoys, { windowMs, ignored: truth.ignored });
    console.log(
      `${detector.padEnd(9)} ${score.precision.toFixed(3).padStart(9)}  ${score.recall.toFixed(3)}   ${score.f1.toFixed(3)}  ` +
        `${String(score.medianLagWindows ?? "-").padStart(8)}  ${String(score.medianLagFromPeakWindows ?? "-").padStart(8)}  ` +
        `${`${score.decoysFired}/${score.decoys}`.padStart(12)}  ${String(score.heldMoments).padStart(4)}   ` +
        `${(100 * momentRecall(peaks, games.groundTruth, windowMs)).toFixed(0)} %`,
    );
  }
}

await main();
