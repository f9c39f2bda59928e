import { describe, expect, it } from "vitest";
import { afterFailure, backoffMs, type RetryPolicy } from "./backoff";

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000 };

describe("job back-off", () => {
  it("doubles per attempt between half and the whole ceiling, capped", () => {
    expect(backoffMs(policy, 1, 0)).toBe(500);
    expect(backoffMs(policy, 1, 0.99)).toBe(995);
    expect(backoffMs(policy, 2, 0)).toBe(1_000);
    expect(backoffMs(policy, 3, 1)).toBe(4_000);
    expect(backoffMs(policy, 10, 1)).toBe(5_000);
  });

  it("retries until the last attempt, then the job is dead", () => {
    expect(afterFailure(policy, 1, 0)).toEqual({ kind: "retry", delayMs: 500 });
    expect(afterFailure(policy, 3, 0).kind).toBe("retry");
    expect(afterFailure(policy, 4, 0)).toEqual({ kind: "dead" });
    expect(afterFailure({ ...policy, maxAttempts: 1 }, 1)).toEqual({ kind: "dead" });
  });
});
