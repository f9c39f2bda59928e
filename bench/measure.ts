// Measuring one phase: wall time, this process's CPU and RSS, CPU of the services, batch latency
// percentiles, and a deadline so a stuck phase fails with its name instead of hanging the run.
import { performance } from "node:perf_hooks";
import { cpuSnapshot, cpuSpent, type CpuSpent, type WatchedPids } from "./machine";

export class BenchTimeoutError extends Error {
  override name = "BenchTimeoutError";
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of a list of samples (milliseconds). */
export function percentiles(samples: readonly number[]): Percentiles | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1]! };
}

export interface RssMb {
  before: number;
  after: number;
  peak: number;
}

export interface PhaseMeasurement {
  seconds: number;
  /** This process's CPU (user + system, all threads) per action, in microseconds. */
  cpuMicrosPerAction: number;
  cpu: CpuSpent;
  rssMb: RssMb;
}

const mb = (bytes: number) => Math.round(bytes / 1024 ** 2);

/** Starts measuring now; `finish` stops the RSS sampler and returns the figures for `actions` actions. */
export function startPhaseMeter(pids: WatchedPids, sampleEveryMs = 100) {
  const startedAt = performance.now();
  const cpuBefore = cpuSnapshot(pids);
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, sampleEveryMs);
  sampler.unref();
  let finished: PhaseMeasurement | undefined;
  return {
    finish(actions: number): PhaseMeasurement {
      if (finished) return finished;
      clearInterval(sampler);
      const seconds = (performance.now() - startedAt) / 1_000;
      const cpu = cpuSpent(cpuBefore, cpuSnapshot(pids));
      const rssAfter = process.memoryUsage().rss;
      finished = {
        seconds,
        cpuMicrosPerAction: (cpu.benchSeconds * 1e6) / actions,
        cpu,
        rssMb: { before: mb(rssBefore), after: mb(rssAfter), peak: mb(Math.max(rssPeak, rssAfter)) },
      };
      return finished;
    },
    /** Stops sampling without figures, for a phase that failed. */
    abandon: () => clearInterval(sampler),
  };
}

export type PhaseMeter = ReturnType<typeof startPhaseMeter>;

/**
 * Polls `done` every `everyMs` until it returns true. Throws BenchTimeoutError naming the phase and what it
 * saw last (from `progress`) when `timeoutMs` passes first, or rethrows what `failed` reports.
 */
export async function waitUntil(
  phase: string,
  done: () => boolean,
  options: { timeoutMs: number; progress: () => string; failed?: () => Error | undefined; everyMs?: number },
): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const failure = options.failed?.();
    if (failure) throw failure;
    if (done()) return;
    if (performance.now() > deadline) {
      throw new BenchTimeoutError(
        `${phase} did not finish within ${options.timeoutMs / 1_000} s (${options.progress()}); ` +
          "raise --phase-timeout or lower --actions",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 20));
  }
}

/** Resolves or rejects with `work`, or rejects with BenchTimeoutError after `timeoutMs`. */
export async function withTimeout<T>(phase: string, timeoutMs: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new BenchTimeoutError(
            `${phase} did not finish within ${timeoutMs / 1_000} s; raise --phase-timeout or lower --actions`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
