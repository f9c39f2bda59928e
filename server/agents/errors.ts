// Typed failures of an agent run. Each carries the run's trace, so a failed job shows what the model saw,
// called and answered.
import type { AgentTrace } from "./trace";

export class AgentRunError extends Error {
  override name = "AgentRunError";
  constructor(
    message: string,
    readonly agent: string,
    readonly trace: AgentTrace,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The answer failed its schema (or grounding checks) twice: once, and again after being told why. */
export class AgentOutputInvalidError extends AgentRunError {
  override name = "AgentOutputInvalidError";
  constructor(
    agent: string,
    readonly issues: string[],
    trace: AgentTrace,
  ) {
    super(
      `${agent} gave an invalid answer twice (last: ${issues.join("; ")}); see the trace for both answers`,
      agent,
      trace,
    );
  }
}

/** The model kept calling tools past AGENT_MAX_TURNS without answering. */
export class AgentTurnLimitError extends AgentRunError {
  override name = "AgentTurnLimitError";
}

/** The provider failed (after its retries) or timed out. */
export class AgentProviderError extends AgentRunError {
  override name = "AgentProviderError";
}

/** A tool's own I/O failed (e.g. the database): the run stops rather than answer without evidence. */
export class AgentToolError extends AgentRunError {
  override name = "AgentToolError";
}
