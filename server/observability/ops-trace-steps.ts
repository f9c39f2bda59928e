// Reads the turns and tool calls out of an agent_run's trace JSON for the waterfall. A stage's trace is one
// AgentTrace (server/agents/trace.ts); the channel deciders' is `{ editorial: [{ channelId, trace }] }`, one
// per channel whose editorial model ran. Old or partial traces are read leniently: what is missing is null.
import { z } from "zod";
import type { TraceTurn } from "./ops-views";

const toolCallSchema = z.object({
  name: z.string().catch("?"),
  ok: z.boolean().catch(false),
  allowed: z.boolean().catch(true),
  latencyMs: z.number().catch(0),
  error: z.string().optional().catch(undefined),
  resultItems: z.number().optional().catch(undefined),
});

const turnSchema = z.object({
  index: z.number().catch(0),
  latencyMs: z.number().catch(0),
  attempts: z.number().catch(1),
  stopReason: z.string().optional().catch(undefined),
  usage: z
    .object({ inputTokens: z.number().catch(0), outputTokens: z.number().catch(0) })
    .catch({ inputTokens: 0, outputTokens: 0 }),
  toolCalls: z.array(toolCallSchema).catch([]),
  validationError: z.string().optional().catch(undefined),
});

const agentTraceSchema = z.object({
  turns: z.array(turnSchema).catch([]),
  costUsd: z.number().nullable().optional().catch(null),
  outcome: z.string().optional().catch(undefined),
});

const editorialSchema = z.object({
  editorial: z.array(z.object({ channelId: z.string().catch("?"), trace: agentTraceSchema })),
});

export interface TraceSteps {
  turns: TraceTurn[];
  /** The agent's own verdict on the run (ok, invalid_output, turn_limit, provider_error, tool_error). */
  outcome: string | null;
  /**
   * The channel deciders' cost, summed over their editorial traces (none ran: 0, no model was called); null
   * for other traces, whose cost is on the agent_run row.
   */
  editorialCostUsd: number | null;
}

function turnsOf(trace: z.infer<typeof agentTraceSchema>, channelId: string | null): TraceTurn[] {
  return trace.turns.map((turn) => ({
    index: turn.index,
    channelId,
    latencyMs: turn.latencyMs,
    attempts: turn.attempts,
    stopReason: turn.stopReason ?? null,
    inputTokens: turn.usage.inputTokens,
    outputTokens: turn.usage.outputTokens,
    toolCalls: turn.toolCalls.map((call) => ({
      name: call.name,
      ok: call.ok,
      allowed: call.allowed,
      latencyMs: call.latencyMs,
      error: call.error ?? null,
      resultItems: call.resultItems ?? null,
    })),
    validationError: turn.validationError ?? null,
  }));
}

export function traceSteps(trace: unknown): TraceSteps {
  const editorial = editorialSchema.safeParse(trace);
  if (editorial.success) {
    const outcomes = editorial.data.editorial.map((entry) => entry.trace.outcome ?? "ok");
    return {
      turns: editorial.data.editorial.flatMap((entry) => turnsOf(entry.trace, entry.channelId)),
      outcome: outcomes.find((outcome) => outcome !== "ok") ?? (outcomes.length > 0 ? "ok" : null),
      editorialCostUsd: editorial.data.editorial.reduce((sum, entry) => sum + (entry.trace.costUsd ?? 0), 0),
    };
  }
  const single = agentTraceSchema.safeParse(trace);
  if (!single.success) return { turns: [], outcome: null, editorialCostUsd: null };
  return { turns: turnsOf(single.data, null), outcome: single.data.outcome ?? null, editorialCostUsd: null };
}
