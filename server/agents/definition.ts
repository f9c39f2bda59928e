// What an agent is: a name, a fixed allow-list of tools, a pure prompt builder, a zod output schema, checks
// against the evidence the run gathered, and the offline composer that answers when no model is configured.
import type { z } from "zod";
import type { ToolName } from "./tools/catalog";

export const AGENT_NAMES = ["interest-scorer", "enrichment-summary", "channel-decider"] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

export interface AgentPrompt {
  system: string;
  user: string;
}

/** A tool call made during a run and what it returned, in call order. */
export interface ToolEvidence {
  name: string;
  input: unknown;
  result: Record<string, unknown>;
  isError: boolean;
}

export interface ToolCallPlan {
  name: ToolName;
  input: Record<string, unknown>;
}

/** The deterministic stand-in for a model: asks for evidence through the same tools, then composes. */
export interface OfflineComposer<Input, Output> {
  /** Tool calls for the next turn given what was gathered so far; none means "compose now". */
  nextCalls(input: Input, evidence: readonly ToolEvidence[]): ToolCallPlan[];
  compose(input: Input, evidence: readonly ToolEvidence[]): Output;
}

export interface AgentDefinition<Input, Output> {
  name: AgentName;
  tools: readonly ToolName[];
  output: z.ZodType<Output>;
  maxTokens: number;
  buildPrompt(input: Input): AgentPrompt;
  /** Checks a schema cannot express (citations must be stories the run saw, …); returns problems. */
  check?(output: Output, input: Input, evidence: readonly ToolEvidence[]): string[];
  offline: OfflineComposer<Input, Output>;
}
