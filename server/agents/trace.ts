// The record of one agent run for the operator view: every turn, every tool call with its arguments and
// latency, tokens, cost estimate, and how it ended.
import type { GeneratedBy, ProviderKind, StopReason, TokenUsage } from "./llm/types";

export interface ToolCallTrace {
  id: string;
  name: string;
  args: unknown;
  /** False when the agent's allow-list does not hold the tool: it was not run. */
  allowed: boolean;
  ok: boolean;
  error?: string;
  latencyMs: number;
  /** Items the tool returned, when it returns a list. */
  resultItems?: number;
}

export interface TurnTrace {
  index: number;
  latencyMs: number;
  /** Provider attempts (retries on throttling show here). */
  attempts: number;
  stopReason: StopReason;
  usage: TokenUsage;
  /** The model's text, cut to 2,000 characters. */
  text?: string;
  toolCalls: ToolCallTrace[];
  /** Set when this turn's answer failed validation. */
  validationError?: string;
}

export type RunOutcome = "ok" | "invalid_output" | "turn_limit" | "provider_error" | "tool_error";

export interface AgentTrace {
  agent: string;
  provider: ProviderKind;
  modelId: string;
  generatedBy: GeneratedBy;
  startedAt: number;
  latencyMs: number;
  turns: TurnTrace[];
  usage: TokenUsage;
  /** USD, from list prices; null when the model's price is unknown (self-hosted models). */
  costUsd: number | null;
  validationRetries: number;
  outcome: RunOutcome;
  error?: string;
}
