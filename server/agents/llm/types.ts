// The one interface every LLM provider implements (Bedrock Converse, OpenAI-compatible chat, offline), and the
// provider-neutral messages, tool specs and results that cross it.

export const PROVIDER_KINDS = ["offline", "bedrock", "openai"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Who wrote an agent's output: a model, or the offline composer (shown as such in the data and the UI). */
export type GeneratedBy = "model" | "offline";

export interface TextBlock {
  type: "text";
  text: string;
}

export interface ToolUseBlock {
  type: "toolUse";
  /** The provider's id of this call; the matching result must carry it. */
  id: string;
  name: string;
  input: unknown;
}

export interface ToolResultBlock {
  type: "toolResult";
  toolUseId: string;
  /** Always a JSON object (Bedrock's toolResult json must be a document, not an array). */
  content: Record<string, unknown>;
  isError: boolean;
}

export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock;

export interface ChatMessage {
  role: "user" | "assistant";
  content: ContentBlock[];
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
}

/** auto: the model may answer or call a tool; any: it must call one; { tool }: it must call that one. */
export type ToolChoice = "auto" | "any" | { tool: string };

export interface ConverseRequest {
  /** The agent asking (request metadata; the offline provider picks its composer by it). */
  agent: string;
  modelId: string;
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  toolChoice?: ToolChoice;
  maxTokens: number;
  temperature?: number;
  timeoutMs: number;
  /** The agent's typed input. Model providers ignore it (they see the prompt); the offline one composes from it. */
  subject?: unknown;
}

export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "other";

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ConverseResult {
  /** Text and tool-use blocks of the assistant's answer. */
  content: (TextBlock | ToolUseBlock)[];
  stopReason: StopReason;
  usage: TokenUsage;
  /** Wall time of the whole call, retries and back-off included. */
  latencyMs: number;
  /** 1 when the first attempt succeeded. */
  attempts: number;
}

export interface LlmProvider {
  readonly kind: ProviderKind;
  converse(request: ConverseRequest): Promise<ConverseResult>;
}

export function generatedByOf(kind: ProviderKind): GeneratedBy {
  return kind === "offline" ? "offline" : "model";
}
