// Runs one agent: calls the provider, executes the tool calls its allow-list permits (others get an error
// result, never run), loops up to a turn limit, validates the answer, sends a failed validation back once,
// then fails with a typed error. Every run, good or failed, yields a trace.
import { z } from "zod";
import type { AgentDefinition, ToolEvidence } from "./definition";
import { AgentOutputInvalidError, AgentProviderError, AgentToolError, AgentTurnLimitError } from "./errors";
import { LlmError } from "./llm/errors";
import { estimateCostUsd } from "./llm/pricing";
import {
  generatedByOf,
  type ChatMessage,
  type GeneratedBy,
  type LlmProvider,
  type ToolResultBlock,
  type ToolUseBlock,
} from "./llm/types";
import { DATA_POLICY } from "./quote";
import { isReadOnlyTool, isToolName, toolDefinition, toolSpec, type ToolContext } from "./tools/catalog";
import type { AgentTrace, RunOutcome, ToolCallTrace, TurnTrace } from "./trace";

export interface AgentRuntime {
  provider: LlmProvider;
  modelId: string;
  timeoutMs: number;
  maxTurns: number;
  tools: ToolContext;
}

export interface AgentRun<Output> {
  output: Output;
  generatedBy: GeneratedBy;
  trace: AgentTrace;
}

/** Each output schema's JSON Schema text, built once: the schemas are fixed, and building one is costly. */
const outputSchemaText = new WeakMap<z.ZodType, string>();

function outputSchemaOf(output: z.ZodType): string {
  let text = outputSchemaText.get(output);
  if (text === undefined) {
    const schema = z.toJSONSchema(output, { io: "output" }) as Record<string, unknown>;
    delete schema.$schema;
    text = JSON.stringify(schema);
    outputSchemaText.set(output, text);
  }
  return text;
}

/** The system prompt the provider gets: the agent's own, the data policy, and the answer's JSON Schema. */
export function systemPromptOf<Input, Output>(
  definition: AgentDefinition<Input, Output>,
  agentSystem: string,
): string {
  return [
    agentSystem,
    DATA_POLICY,
    "When you have what you need, answer with one JSON object and nothing else, matching this JSON Schema:",
    outputSchemaOf(definition.output),
  ].join("\n\n");
}

/** The answer's JSON object: the whole text, a ```json fence, or the outermost {…} in it. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = (fenced ? fenced[1]! : text).trim();
  const start = candidate.indexOf("{");
  const end = candidate.lastIndexOf("}");
  if (start < 0 || end < start) throw new Error("the answer holds no JSON object");
  try {
    return JSON.parse(candidate.slice(start, end + 1));
  } catch (error) {
    throw new Error(`the answer is not valid JSON (${(error as Error).message})`);
  }
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join(".") || "(answer)"}: ${issue.message}`);
}

/** Validates an answer's text: parse, schema, then the agent's checks against the evidence. */
export function validateAnswer<Input, Output>(
  definition: AgentDefinition<Input, Output>,
  input: Input,
  text: string,
  evidence: readonly ToolEvidence[],
): { ok: true; output: Output } | { ok: false; issues: string[] } {
  let json: unknown;
  try {
    json = extractJson(text);
  } catch (error) {
    return { ok: false, issues: [(error as Error).message] };
  }
  const parsed = definition.output.safeParse(json);
  if (!parsed.success) return { ok: false, issues: formatIssues(parsed.error) };
  const problems = definition.check?.(parsed.data, input, evidence) ?? [];
  return problems.length > 0 ? { ok: false, issues: problems } : { ok: true, output: parsed.data };
}

const countItems = (result: Record<string, unknown>) => {
  const list = result.items ?? result.facts;
  return Array.isArray(list) ? list.length : undefined;
};

export async function runAgent<Input, Output>(
  definition: AgentDefinition<Input, Output>,
  input: Input,
  runtime: AgentRuntime,
): Promise<AgentRun<Output>> {
  const startedAt = Date.now();
  const started = performance.now();
  const prompt = definition.buildPrompt(input);
  const system = systemPromptOf(definition, prompt.system);
  // Fixed for the whole run: nothing a tool returns can add or remove a tool.
  const tools = definition.tools.map(toolSpec);
  const messages: ChatMessage[] = [{ role: "user", content: [{ type: "text", text: prompt.user }] }];
  const evidence: ToolEvidence[] = [];
  const trace: AgentTrace = {
    agent: definition.name,
    provider: runtime.provider.kind,
    modelId: runtime.modelId,
    generatedBy: generatedByOf(runtime.provider.kind),
    startedAt,
    latencyMs: 0,
    turns: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: null,
    validationRetries: 0,
    outcome: "ok",
  };
  const finish = (outcome: RunOutcome, error?: string) => {
    trace.outcome = outcome;
    if (error) trace.error = error;
    trace.latencyMs = Math.round(performance.now() - started);
    trace.costUsd = estimateCostUsd(runtime.provider.kind, runtime.modelId, trace.usage);
    return trace;
  };

  for (let index = 0; index < runtime.maxTurns; index++) {
    let result;
    try {
      result = await runtime.provider.converse({
        agent: definition.name,
        modelId: runtime.modelId,
        system,
        messages,
        tools,
        maxTokens: definition.maxTokens,
        timeoutMs: runtime.timeoutMs,
        subject: input,
      });
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      throw new AgentProviderError(
        `${definition.name}: ${error.message}`,
        definition.name,
        finish("provider_error", error.message),
        { cause: error },
      );
    }
    const text = result.content
      .filter((block) => block.type === "text")
      .map((block) => block.text)
      .join("\n");
    const turn: TurnTrace = {
      index,
      latencyMs: result.latencyMs,
      attempts: result.attempts,
      stopReason: result.stopReason,
      usage: result.usage,
      ...(text ? { text: text.slice(0, 2_000) } : {}),
      toolCalls: [],
    };
    trace.turns.push(turn);
    trace.usage.inputTokens += result.usage.inputTokens;
    trace.usage.outputTokens += result.usage.outputTokens;
    messages.push({ role: "assistant", content: result.content });

    const calls = result.content.filter((block) => block.type === "toolUse");
    if (calls.length > 0) {
      // Reads run side by side (one round trip's wait instead of one per call); a turn that writes runs its
      // calls in order. Either way results, trace and evidence keep the call order, and the first failure
      // ends the run as it would have one by one.
      const executions = calls.every((call) => isReadOnlyTool(call.name))
        ? await Promise.allSettled(calls.map((call) => executeToolCall(definition, call, runtime.tools)))
        : await settleInOrder(calls.map((call) => () => executeToolCall(definition, call, runtime.tools)));
      const results: ToolResultBlock[] = [];
      for (const [index, execution] of executions.entries()) {
        const call = calls[index]!;
        if (execution.status === "rejected") {
          const error: unknown = execution.reason;
          throw new AgentToolError(
            `${definition.name}: tool ${call.name} failed: ${String(error)}`,
            definition.name,
            finish("tool_error", String(error)),
            { cause: error },
          );
        }
        const { block, callTrace } = execution.value;
        turn.toolCalls.push(callTrace);
        results.push(block);
        evidence.push({ name: call.name, input: call.input, result: block.content, isError: block.isError });
      }
      messages.push({ role: "user", content: results });
      continue;
    }

    const verdict = validateAnswer(definition, input, text, evidence);
    if (verdict.ok) {
      return {
        output: verdict.output,
        generatedBy: trace.generatedBy,
        trace: finish("ok"),
      };
    }
    turn.validationError = verdict.issues.join("; ");
    if (trace.validationRetries >= 1) {
      throw new AgentOutputInvalidError(
        definition.name,
        verdict.issues,
        finish("invalid_output", turn.validationError),
      );
    }
    trace.validationRetries += 1;
    messages.push({
      role: "user",
      content: [
        {
          type: "text",
          text:
            `Your answer is not valid: ${verdict.issues.join("; ")}. ` +
            "Reply with only the corrected JSON object, nothing else.",
        },
      ],
    });
  }
  throw new AgentTurnLimitError(
    `${definition.name} did not answer within ${runtime.maxTurns} turns (AGENT_MAX_TURNS)`,
    definition.name,
    finish("turn_limit", "turn limit"),
  );
}

/** Runs the tasks one after another, stopping at the first failure (as Promise.allSettled, for what ran). */
async function settleInOrder<T>(tasks: readonly (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  const settled: PromiseSettledResult<T>[] = [];
  for (const task of tasks) {
    try {
      settled.push({ status: "fulfilled", value: await task() });
    } catch (error) {
      settled.push({ status: "rejected", reason: error });
      break;
    }
  }
  return settled;
}

async function executeToolCall<Input, Output>(
  definition: AgentDefinition<Input, Output>,
  call: ToolUseBlock,
  context: ToolContext,
): Promise<{ block: ToolResultBlock; callTrace: ToolCallTrace }> {
  const started = performance.now();
  const refuse = (error: string, allowed: boolean) => ({
    block: { type: "toolResult" as const, toolUseId: call.id, content: { error }, isError: true },
    callTrace: {
      id: call.id,
      name: call.name,
      args: call.input,
      allowed,
      ok: false,
      error,
      latencyMs: Math.round(performance.now() - started),
    },
  });
  const allowedNames: readonly string[] = definition.tools;
  if (!isToolName(call.name) || !allowedNames.includes(call.name)) {
    return refuse(
      `tool "${call.name}" is not available to ${definition.name}; available: ${definition.tools.join(", ") || "none"}`,
      false,
    );
  }
  const tool = toolDefinition(call.name);
  const args = tool.input.safeParse(call.input);
  if (!args.success) return refuse(`invalid arguments: ${formatIssues(args.error).join("; ")}`, true);
  const content = await tool.run(context, args.data);
  const items = countItems(content);
  return {
    block: { type: "toolResult", toolUseId: call.id, content, isError: false },
    callTrace: {
      id: call.id,
      name: call.name,
      args: args.data,
      allowed: true,
      ok: true,
      latencyMs: Math.round(performance.now() - started),
      ...(items === undefined ? {} : { resultItems: items }),
    },
  };
}
