// Retry policy of a job kind and the back-off between attempts: exponential, capped, with full jitter so
// jobs that failed together (a provider outage) do not all come back at the same instant.

export interface RetryPolicy {
  /** Claims in all, the first included; after the last one fails the job is `failed` (dead). */
  maxAttempts: number;
  /** Ceiling of the first back-off; doubles per attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Delay before attempt `attempts + 1`, after `attempts` failed. `random` in [0, 1). */
export function backoffMs(policy: RetryPolicy, attempts: number, random: number = Math.random()): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  // Half fixed, half jittered: never sooner than half the ceiling, so back-off still grows.
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export type FailureVerdict = { kind: "retry"; delayMs: number } | { kind: "dead" };

/** After attempt number `attempts` failed: try again later, or give up. */
export function afterFailure(policy: RetryPolicy, attempts: number, random?: number): FailureVerdict {
  if (attempts >= policy.maxAttempts) return { kind: "dead" };
  return { kind: "retry", delayMs: backoffMs(policy, attempts, random) };
}
