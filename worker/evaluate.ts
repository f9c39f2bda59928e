// `npm run evaluate -- --games DIR`: runs the detectors over a simulated games (npm run simulate) and reports,
// against its ground truth, precision, recall, F1, detection lag in windows and decoys fired, per market
// reaction and per moment (peaks grouped across markets, as editors receive them), why reactions were missed
// and false peaks fired, and writes a chart of a few series (SVG). Wiring only.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { splitBroadSurges } from "../server/detect/broad-surges";
import { explainedBy } from "../server/detect/grouping";
import { detectionConfig, type DetectionConfigInput } from "../server/detect/config";
import { matchPeaks, scoreMatching, type DetectedPeak } from "../server/detect/evaluate";
import { groupCandidates, scoreMoments, type MomentScore } from "../server/detect/evaluate-moments";
import { foldRisingMoments, truthMoments } from "../server/detect/evaluate-moments-truth";
import {
  detectWithTraces,
  falsePeakCauses,
  missCauses,
  MISS_CAUSES,
  type SeriesTrace,
} from "../server/detect/evaluate-causes";
import { evaluationChartSvg, pickPanels } from "../server/detect/evaluation-chart";
import {
  foldRisingReactions,
  MarketCounter,
  reactionMarketTimes,
  truthIntervals,
} from "../server/detect/games-truth";
import { SessionRamps, withSessionRamps } from "../server/detect/session-ramps";
import { DETECTOR_NAMES, type DetectorName } from "../server/detect/types";
import { actionsFileOf, readGames, readLines } from "../server/replay/games-files";

const USAGE = `usage: npm run evaluate -- --games DIR [--detector ${DETECTOR_NAMES.join("|")}|all] [--window-seconds N]
                           [--min-volume N] [--min-uplift-pct P] [--explain-seconds S]
                           [--chart FILE.svg] [--chart-series N]`;
const GRACE_WINDOWS = 2;
/** Live grouping's tolerance (PEAK_GROUPING_SECONDS' default) and broad-surge rule, as the stream worker uses. */
const GROUPING_MS = 60_000;
const BROAD_MIN_SPORTS = 2;
/** How long after a play-by-play event the audience's reaction is looked for (the stream worker's reactionMs). */
const REACTION_MS = 180_000;
/** Play-by-play this significant is followed in every market (the stream worker's minEventSignificance). */
const MIN_EVENT_SIGNIFICANCE = 0.7;
/** A peak opens a candidate only with a possible cause this recent (PEAK_EXPLAIN_SECONDS' default). */
const EXPLAIN_SECONDS = 120;
/** Plays this close sharing a country are one rise there (the stream worker's overlapMs). */
const OVERLAP_MS = 60_000;

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

const pct = (value: number) => `${(100 * value).toFixed(0)} %`;

function momentRow(detector: string, score: MomentScore): string {
  const falseCandidates = score.decoyCandidates + score.otherFalseCandidates + score.duplicateCandidates;
  return (
    `${detector.padEnd(9)} ${score.precision.toFixed(3).padStart(9)}  ${score.recall.toFixed(3)}   ${score.f1.toFixed(3)}  ` +
    `${String(score.medianLagWindows ?? "-").padStart(8)}  ${String(score.medianLagFromVisibleWindows ?? "-").padStart(9)}  ` +
    `${`${score.decoysFired}/${score.decoys} (${pct(score.decoyFiredShare)})`.padStart(14)}  ` +
    `${String(score.candidates).padStart(10)}  ${String(falseCandidates).padStart(5)}  ` +
    `${String(score.duplicateCandidates).padStart(3)}  ${String(score.foundOnlyInWeakMarkets).padStart(9)}  ` +
    `${String(score.mergedMoments).padStart(6)}`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      games: { type: "string" },
      detector: { type: "string", default: "all" },
      "window-seconds": { type: "string", default: "10" },
      "min-volume": { type: "string" },
      "min-uplift-pct": { type: "string" },
      "explain-seconds": { type: "string" },
      chart: { type: "string" },
      "chart-series": { type: "string", default: "4" },
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
  const explainMs = (numberOption("--explain-seconds", values["explain-seconds"]) ?? EXPLAIN_SECONDS) * 1000;
  const chartSeries = numberOption("--chart-series", values["chart-series"]) ?? 4;
  const chartPath = values.chart ?? path.join(values.games, "evaluation.svg");
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
      const action = JSON.parse(line) as { country: string; sport: string; ts: number; type?: string };
      counter.add(action.country, action.sport, action.ts, action.type);
    } catch {
      unreadable += 1;
    }
  }
  // The schedule's ramps and the action mix, as the live path has them (see session-ramps.ts, uplift.ts).
  const series = withSessionRamps(
    counter.series(),
    new SessionRamps(games.sessions, detectionConfig(base).sessionRamps),
    windowMs,
  );
  const timed = reactionMarketTimes(manifest, games.groundTruth, rules.minUpliftPct);
  const strict = truthIntervals(timed ?? games.groundTruth, rules, series);
  const truth = foldRisingReactions(strict, windowMs);
  const strictMoments = truthMoments(timed ?? games.groundTruth, rules, series);
  const moments = foldRisingMoments(strictMoments, windowMs);
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
    `ground truth: ${games.groundTruth.filter((moment) => !moment.decoy).length} reactions → ${strict.moments.length} markets ≥ +${rules.minUpliftPct} % ` +
      `and ≥ ${rules.minVolume} actions (${strict.ignored.length} weaker or smaller ignored), ${truth.decoys.length} decoy markets; ` +
      `${truth.folded} began while an earlier reaction in the same market was still rising and count as one rise with it ` +
      `→ ${truth.moments.length} reactions to find`,
  );
  console.log(
    `moments: ${strictMoments.moments.length} reactions the rules can see in at least one market ` +
      `(${strictMoments.ignored.length} seen in none ignored), ${moments.decoys.length} decoys; ${moments.folded} ` +
      `began in a market while an earlier reaction there was still rising and count as one rise with it ` +
      `→ ${moments.moments.length} moments to find`,
  );
  console.log(
    `matching (market reactions): a peak counts for a reaction of the same country × sport when its window overlaps the reaction in that ` +
      `market, from its start to ${GRACE_WINDOWS} windows after its end (${timed ? "each market's own times, regenerated from the seed" : "the moment's overall times"}); ` +
      `one peak per reaction, extra peaks are duplicates; peaks in ignored reactions are left out; ` +
      `lag = windows from the one holding the market's start to the one that raised the peak; "from seen" counts from ` +
      `the window in which the reaction first reached +${rules.minUpliftPct} % over its true expected (the earliest any ` +
      `rule-based peak can be), "from top" from its height. ` +
      `"strict" scores every reaction separately, even those no detector could tell apart.`,
  );
  // The play-by-play the live path reads from Postgres, as grouping's possible causes of a peak.
  const causeEvents = games.playByPlay.map((event) => ({
    id: event.id,
    sport: event.sport,
    at: event.ts,
    countries: event.countries,
    significance: event.significance,
  }));
  const groupingRule = {
    toleranceMs: GROUPING_MS,
    reactionMs: REACTION_MS,
    minEventSignificance: MIN_EVENT_SIGNIFICANCE,
    explainMs,
    overlapMs: OVERLAP_MS,
  };
  const options = { windowMs, graceWindows: GRACE_WINDOWS, ignored: truth.ignored };
  let chartInput: { peaks: DetectedPeak[]; traces: Map<string, SeriesTrace> } | undefined;
  const rows: string[] = [];
  const momentRows: string[] = [];
  const causeTables: string[] = [];
  for (const detector of detectors) {
    const run = detectWithTraces(series, { ...base, detector });
    const { sportPeaks: peaks, broadPeaks } = splitBroadSurges(run.peaks, {
      toleranceMs: GROUPING_MS,
      minSports: BROAD_MIN_SPORTS,
      explained: explainedBy(causeEvents, groupingRule),
    });
    const matching = matchPeaks(peaks, truth.moments, truth.decoys, options);
    const score = scoreMatching(matching, peaks.length, truth.moments, truth.decoys, options);
    const strictScore = scoreMatching(
      matchPeaks(peaks, strict.moments, strict.decoys, { ...options, ignored: strict.ignored }),
      peaks.length,
      strict.moments,
      strict.decoys,
      options,
    );
    rows.push(
      `${detector.padEnd(9)} ${score.precision.toFixed(3).padStart(9)}  ${score.recall.toFixed(3)}   ${score.f1.toFixed(3)}  ` +
        `${String(score.medianLagWindows ?? "-").padStart(8)}  ${String(score.medianLagFromVisibleWindows ?? "-").padStart(9)}  ` +
        `${String(score.medianLagFromPeakWindows ?? "-").padStart(8)}  ` +
        `${`${score.decoysFired}/${score.decoys} (${pct(score.decoyFiredShare)})`.padStart(14)}  ${String(peaks.length).padStart(5)}  ` +
        `${String(broadPeaks.length).padStart(5)}`,
      `  strict  ${strictScore.precision.toFixed(3).padStart(9)}  ${strictScore.recall.toFixed(3)}   ${strictScore.f1.toFixed(3)}  ` +
        `${String(strictScore.medianLagWindows ?? "-").padStart(8)}`,
    );
    const candidates = groupCandidates(peaks, groupingRule, causeEvents);
    const momentOptions = { windowMs, graceWindows: GRACE_WINDOWS, groupingMs: GROUPING_MS };
    momentRows.push(
      momentRow(detector, scoreMoments(candidates, moments, momentOptions)),
      momentRow("  strict", scoreMoments(candidates, strictMoments, momentOptions)),
    );
    const misses = missCauses(
      matching,
      truth.moments,
      run.traces,
      { all: peaks, broad: broadPeaks },
      { ...options, rules },
    );
    const falses = falsePeakCauses(
      matching,
      { sessions: games.sessions, reactions: [...truth.moments, ...truth.ignored] },
      options,
    );
    const missed = truth.moments.length - score.detectedMoments;
    const falseCount = score.peaks - score.ignoredPeaks - score.truePeaks;
    const lines = [`${detector}: ${missed} missed reactions by cause, ${falseCount} false peaks by cause`];
    for (const cause of MISS_CAUSES) {
      const count = misses.get(cause)?.length ?? 0;
      if (count > 0) lines.push(`  missed  ${String(count).padStart(5)}  ${cause}`);
    }
    for (const [cause, count] of [...falses].sort((a, b) => b[1] - a[1])) {
      lines.push(`  false   ${String(count).padStart(5)}  ${cause}`);
    }
    causeTables.push(lines.join("\n"));
    if (detector === detectors[0]) chartInput = { peaks, traces: run.traces };
  }
  console.log("\nmarket reactions (each country × sport a reaction moved, scored separately)");
  console.log(
    "detector  precision  recall  F1     lag(med)  from seen  from top    decoys fired  peaks  broad",
  );
  for (const row of rows) console.log(row);
  console.log(
    `\nmoments (grouped across markets): peaks of one sport within ${GROUPING_MS / 1000} s of a group's first peak ` +
      `(a market it does not hold yet: of its latest peak, up to ${Math.max(GROUPING_MS, REACTION_MS) / 1000} s after its start; ` +
      `a market it holds: within ${GROUPING_MS / 1000} s of its latest peak there, naming no play over ${OVERLAP_MS / 1000} s newer than the group's) ` +
      `are one candidate unless play-by-play tells them apart (their possible causes share none: events of their ` +
      `countries, or of significance ≥ ${MIN_EVENT_SIGNIFICANCE}, in the ${REACTION_MS / 1000} s before, with the plays ` +
      `up to ${OVERLAP_MS / 1000} s before those sharing a country; ` +
      (explainMs > 0
        ? `a peak with no such event in the ${explainMs / 1000} s before opens no candidate; `
        : "every peak may open a candidate; ") +
      `grouping.ts, as live; country-wide surges set apart first); a reaction is found when a ` +
      `candidate has a peak in any market it moved, matched as per market (that market's own interval to ` +
      `${GRACE_WINDOWS} windows after its end); one candidate per reaction and one reaction per candidate (the ` +
      `unmatched one that began last), a second candidate for a found reaction is a duplicate (false); a candidate ` +
      `over reactions the rules see in no market is left out; a decoy fired when a candidate holds a peak in it ` +
      `that no reaction's market covers; lag = windows from the reaction's start (its earliest market) and from ` +
      `the first window any of its markets reached +${rules.minUpliftPct} % to the one that raised the ` +
      `candidate's first peak in its markets; "weak only": found through markets under the rules alone; ` +
      `"merged": missed while its peak sat in a candidate that went to another reaction. ` +
      `"strict" scores every reaction of the simulator separately, even those no detector could tell apart.`,
  );
  console.log(
    "detector  precision  recall  F1     lag(med)  from seen    decoys fired  candidates  false  dup  weak only  merged",
  );
  for (const row of momentRows) console.log(row);
  console.log("");
  for (const table of causeTables) console.log(table);

  if (chartInput && chartSeries > 0) {
    const panels = pickPanels([...chartInput.traces.values()], truth, {
      windowMs,
      windows: Math.round(2_400_000 / windowMs),
      count: chartSeries,
    });
    writeFileSync(
      chartPath,
      evaluationChartSvg({
        title: `${manifest.id}: ${detectors[0]} detector`,
        panels,
        peaks: chartInput.peaks,
        truth,
        windowMs,
      }),
    );
    console.log(`chart: ${path.resolve(chartPath)}`);
  }
}

await main();
