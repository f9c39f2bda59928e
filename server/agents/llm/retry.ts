// Retries of a provider call on throttling and server errors: exponential back-off with full jitter, so many
// workers throttled together do not retry in lockstep.
import { LlmError } from "./errors";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  /** 0 ≤ x < 1; Math.random by default. */
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; error: LlmError }) => void;
}

/** Delay before retry `attempt` (1-based): uniform in [0, min(max, base·2^(attempt−1))], at least Retry-After. */
export function backoffDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs = 0,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(Math.min(retryAfterMs, policy.maxDelayMs), Math.floor(random() * ceiling));
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call` (given the attempt number) until it succeeds, fails with a non-retryable error, or retries run out. */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<{ value: T; attempts: number }> {
  const sleep = hooks.sleep ?? realSleep;
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await call(attempt), attempts: attempt };
    } catch (error) {
      if (!(error instanceof LlmError) || !error.retryable || attempt > policy.maxRetries) {
        if (error instanceof LlmError && error.retryable) {
          throw new LlmError(
            `${error.message} (gave up after ${attempt} attempts)`,
            error.provider,
            false,
            { ...error.details, attempts: attempt },
            { cause: error },
          );
        }
        throw error;
      }
      const delayMs = backoffDelayMs(attempt, policy, random, error.details.retryAfterMs);
      hooks.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
