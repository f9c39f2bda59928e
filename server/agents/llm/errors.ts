// Typed errors of LLM calls: what failed, whether trying again can help, and the provider's own code.
import type { ProviderKind } from "./types";

export class LlmError extends Error {
  override name = "LlmError";
  constructor(
    message: string,
    readonly provider: ProviderKind,
    readonly retryable: boolean,
    readonly details: { status?: number; code?: string; retryAfterMs?: number; attempts?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The call took longer than its timeout; not retried here (the agent job's own retry decides). */
export class LlmTimeoutError extends LlmError {
  override name = "LlmTimeoutError";
  constructor(provider: ProviderKind, timeoutMs: number, options?: { cause?: unknown }) {
    super(
      `${provider} did not answer within ${timeoutMs} ms (raise LLM_TIMEOUT_MS if the model is slow)`,
      provider,
      false,
      { code: "Timeout" },
      options,
    );
  }
}
