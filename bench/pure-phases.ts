// The pure hot path without any I/O: event-time windowing alone, then decoding plus windowing, over the same
// pre-generated actions in stream-sized batches. Each figure is the median of a few runs after a warm-up.
import { performance } from "node:perf_hooks";
import { decodeActionsInto } from "../server/stream/action-batch-scanner";
import { asSeriesActions } from "../server/stream/messages";
import { aggregateActions, Watermark, WindowFold } from "../server/traffic/windowing";
import { ALLOWED_LATENESS_SECONDS, BATCH_SIZE, chunks, WINDOW_SECONDS, type BenchInput } from "./fixtures";
import type { PhaseResult } from "./report";

const WINDOW_MS = WINDOW_SECONDS * 1_000;

/** Runs `once` a warm-up time plus `runs` times and returns the median duration in seconds. */
function medianSeconds(runs: number, once: () => number): number {
  let sink = once(); // warm-up: lets V8 optimise before we time
  const durations: number[] = [];
  for (let run = 0; run < runs; run++) {
    const startedAt = performance.now();
    sink += once();
    durations.push((performance.now() - startedAt) / 1_000);
  }
  if (sink < 0) throw new Error("unreachable: keeps the result alive so the work is not optimised away");
  durations.sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)]!;
}

function pureResult(phase: string, actions: number, seconds: number): PhaseResult {
  return {
    phase,
    actions,
    seconds,
    actionsPerSecond: actions / seconds,
    nsPerAction: (seconds * 1e9) / actions,
  };
}

export function benchWindowing(input: BenchInput): PhaseResult {
  // One series per action: the shape of single-action messages, the slowest case for windowing.
  const batches = chunks(input.actions, BATCH_SIZE).map((batch) => asSeriesActions(batch));
  const seconds = medianSeconds(5, () => {
    const watermark = new Watermark(ALLOWED_LATENESS_SECONDS * 1_000);
    let buckets = 0;
    for (const batch of batches) buckets += aggregateActions(batch, WINDOW_MS, watermark).buckets.length;
    return buckets;
  });
  return pureResult("windowing (pure)", input.actionCount, seconds);
}

export function benchDecodeAndAggregate(input: BenchInput): PhaseResult {
  // Stream-sized batches: about BATCH_SIZE actions each, whatever the actions per message.
  const batches = chunks(input.encoded, Math.max(1, Math.floor(BATCH_SIZE / input.actionsPerMessage)));
  // The worker's decoder: canonical batches are scanned from the bytes, anything else goes through zod.
  const seconds = medianSeconds(3, () => {
    let watermark = new Watermark(ALLOWED_LATENESS_SECONDS * 1_000);
    let buckets = 0;
    for (const batch of batches) {
      const fold = new WindowFold(WINDOW_MS, watermark.clone());
      for (const bytes of batch) decodeActionsInto(bytes, fold);
      buckets += fold.buckets.length;
      watermark = fold.watermark;
    }
    return buckets;
  });
  return pureResult("decode+aggregate (pure)", input.actionCount, seconds);
}
