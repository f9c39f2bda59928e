// The provider used when no model is configured: deterministic, it asks for evidence through the agent's own
// tools and composes the agent's structured answer from what they return. The runner marks everything it
// produces generatedBy "offline", so no one mistakes it for a model's writing.
import type { ToolEvidence } from "../definition";
import type { ChatMessage, ConverseRequest, ConverseResult, LlmProvider, ToolUseBlock } from "./types";

/** An agent's offline composer with its input type erased (the runner passes the agent's own input). */
export interface UntypedComposer {
  nextCalls(subject: unknown, evidence: readonly ToolEvidence[]): { name: string; input: unknown }[];
  compose(subject: unknown, evidence: readonly ToolEvidence[]): unknown;
}

/** The tool calls and results of a conversation so far, in order. */
export function evidenceOf(messages: readonly ChatMessage[]): ToolEvidence[] {
  const calls = new Map<string, ToolUseBlock>();
  const evidence: ToolEvidence[] = [];
  for (const message of messages) {
    for (const block of message.content) {
      if (block.type === "toolUse") calls.set(block.id, block);
      if (block.type === "toolResult") {
        const call = calls.get(block.toolUseId);
        if (call) {
          evidence.push({
            name: call.name,
            input: call.input,
            result: block.content,
            isError: block.isError,
          });
        }
      }
    }
  }
  return evidence;
}

export function createOfflineProvider(composers: Readonly<Record<string, UntypedComposer>>): LlmProvider {
  return {
    kind: "offline",
    async converse(request: ConverseRequest): Promise<ConverseResult> {
      const started = performance.now();
      const composer = composers[request.agent];
      if (!composer) throw new Error(`the offline provider has no composer for agent ${request.agent}`);
      const evidence = evidenceOf(request.messages);
      const turn = request.messages.filter((message) => message.role === "assistant").length;
      const offered = new Set(request.tools.map((tool) => tool.name));
      // Only tools the request offers: the offline composer keeps the allow-list like a model should.
      const calls = composer.nextCalls(request.subject, evidence).filter((call) => offered.has(call.name));
      const base = { usage: { inputTokens: 0, outputTokens: 0 }, attempts: 1 };
      if (calls.length > 0) {
        return {
          ...base,
          content: calls.map((call, index) => ({
            type: "toolUse" as const,
            id: `offline-${turn + 1}-${index + 1}`,
            name: call.name,
            input: call.input,
          })),
          stopReason: "tool_use",
          latencyMs: Math.round(performance.now() - started),
        };
      }
      const output = composer.compose(request.subject, evidence);
      return {
        ...base,
        content: [{ type: "text", text: JSON.stringify(output) }],
        stopReason: "end_turn",
        latencyMs: Math.round(performance.now() - started),
      };
    },
  };
}
