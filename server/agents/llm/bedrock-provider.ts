// Amazon Bedrock through the Converse API with tool use. Our own retry loop (throttling and 5xx, exponential
// back-off with jitter) replaces the SDK's, so retries are counted once and show in the agent trace.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ContentBlock as BedrockContentBlock,
  type ConverseCommandInput,
  type Message as BedrockMessage,
  type Tool as BedrockTool,
  type ToolChoice as BedrockToolChoice,
  type ToolUseBlock as BedrockToolUse,
} from "@aws-sdk/client-bedrock-runtime";
import { LlmError, LlmTimeoutError } from "./errors";
import { withRetries, type RetryHooks, type RetryPolicy } from "./retry";
import type {
  ChatMessage,
  ConverseRequest,
  ConverseResult,
  LlmProvider,
  StopReason,
  TextBlock,
  ToolUseBlock,
} from "./types";

export interface BedrockProviderOptions {
  region: string;
  /** Another endpoint than the region's (a VPC endpoint, or a local fake in tests). */
  endpoint?: string;
  /** Static credentials; unset uses the SDK's default chain (env, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  retry: RetryPolicy;
  hooks?: RetryHooks;
}

// Error names the Bedrock Runtime returns that are worth another attempt.
const RETRYABLE_NAMES = new Set([
  "ThrottlingException",
  "ServiceUnavailableException",
  "InternalServerException",
  "ModelNotReadyException",
  "ServiceQuotaExceededException",
]);
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN"]);

/** The SDK's JSON document type (smithy's), taken from a field that uses it. */
type DocumentType = NonNullable<BedrockToolUse["input"]>;

export function createBedrockProvider(options: BedrockProviderOptions): LlmProvider {
  const client = new BedrockRuntimeClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 1,
  });
  return {
    kind: "bedrock",
    async converse(request: ConverseRequest): Promise<ConverseResult> {
      const started = performance.now();
      const input = toBedrockInput(request);
      const { value, attempts } = await withRetries(
        async () => {
          const abort = AbortSignal.timeout(request.timeoutMs);
          try {
            return await client.send(new ConverseCommand(input), { abortSignal: abort });
          } catch (error) {
            throw classifyBedrockError(error, abort.aborted, request.timeoutMs);
          }
        },
        options.retry,
        options.hooks,
      );
      const content = fromBedrockContent(value.output?.message?.content ?? []);
      return {
        content,
        stopReason: stopReasonOf(value.stopReason),
        usage: {
          inputTokens: value.usage?.inputTokens ?? 0,
          outputTokens: value.usage?.outputTokens ?? 0,
        },
        latencyMs: Math.round(performance.now() - started),
        attempts,
      };
    },
  };
}

export function toBedrockInput(request: ConverseRequest): ConverseCommandInput {
  const toolChoice: BedrockToolChoice =
    request.toolChoice === undefined || request.toolChoice === "auto"
      ? { auto: {} }
      : request.toolChoice === "any"
        ? { any: {} }
        : { tool: { name: request.toolChoice.tool } };
  const tools: BedrockTool[] = request.tools.map((tool) => ({
    toolSpec: {
      name: tool.name,
      description: tool.description,
      inputSchema: { json: tool.inputSchema as DocumentType },
    },
  }));
  return {
    modelId: request.modelId,
    system: [{ text: request.system }],
    messages: request.messages.map(toBedrockMessage),
    inferenceConfig: { maxTokens: request.maxTokens, temperature: request.temperature ?? 0 },
    // Bedrock rejects a conversation holding tool blocks without a toolConfig, and an empty tool list.
    ...(tools.length > 0 ? { toolConfig: { tools, toolChoice } } : {}),
    requestMetadata: { agent: request.agent },
  };
}

function toBedrockMessage(message: ChatMessage): BedrockMessage {
  return {
    role: message.role,
    content: message.content.map((block): BedrockContentBlock => {
      switch (block.type) {
        case "text":
          return { text: block.text };
        case "toolUse":
          return {
            toolUse: { toolUseId: block.id, name: block.name, input: block.input as DocumentType },
          };
        case "toolResult":
          return {
            toolResult: {
              toolUseId: block.toolUseId,
              content: [{ json: block.content as DocumentType }],
              status: block.isError ? "error" : "success",
            },
          };
      }
    }),
  };
}

function fromBedrockContent(blocks: BedrockContentBlock[]): (TextBlock | ToolUseBlock)[] {
  const content: (TextBlock | ToolUseBlock)[] = [];
  for (const block of blocks) {
    if (block.text !== undefined) content.push({ type: "text", text: block.text });
    else if (block.toolUse) {
      content.push({
        type: "toolUse",
        id: block.toolUse.toolUseId ?? "",
        name: block.toolUse.name ?? "",
        input: block.toolUse.input ?? {},
      });
    }
    // Reasoning and other block kinds carry nothing the agents use.
  }
  return content;
}

function stopReasonOf(reason: string | undefined): StopReason {
  if (reason === "end_turn" || reason === "stop_sequence") return "end_turn";
  if (reason === "tool_use") return "tool_use";
  if (reason === "max_tokens") return "max_tokens";
  return "other";
}

function classifyBedrockError(error: unknown, timedOut: boolean, timeoutMs: number): LlmError {
  if (timedOut) return new LlmTimeoutError("bedrock", timeoutMs, { cause: error });
  const failure = error as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = failure.name ?? "Error";
  const status = failure.$metadata?.httpStatusCode;
  const retryable =
    RETRYABLE_NAMES.has(name) ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    (failure.code !== undefined && NETWORK_CODES.has(failure.code));
  return new LlmError(
    `Bedrock ${name}${status ? ` (HTTP ${status})` : ""}: ${failure.message ?? String(error)}`,
    "bedrock",
    retryable,
    { status, code: name },
    { cause: error },
  );
}
