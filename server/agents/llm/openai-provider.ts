// Any OpenAI-compatible chat completions endpoint (Ollama, vLLM, llama.cpp server, …) with tools, over fetch.
// Same retries and timeouts as the Bedrock provider.
import { z } from "zod";
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

export interface OpenAiProviderOptions {
  /** Up to and including the version, e.g. http://127.0.0.1:11434/v1 for Ollama. */
  baseUrl: string;
  apiKey?: string;
  retry: RetryPolicy;
  hooks?: RetryHooks;
}

type OpenAiMessage =
  | { role: "system" | "user"; content: string }
  | {
      role: "assistant";
      content: string | null;
      tool_calls?: {
        id: string;
        type: "function";
        function: { name: string; arguments: string };
      }[];
    }
  | { role: "tool"; tool_call_id: string; content: string };

const responseSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                id: z.string(),
                function: z.object({ name: z.string(), arguments: z.string().nullish() }),
              }),
            )
            .nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
});

export function createOpenAiProvider(options: OpenAiProviderOptions): LlmProvider {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  return {
    kind: "openai",
    async converse(request: ConverseRequest): Promise<ConverseResult> {
      const started = performance.now();
      const body = JSON.stringify(toOpenAiBody(request));
      const { value, attempts } = await withRetries(
        () => postOnce(url, body, options.apiKey, request.timeoutMs),
        options.retry,
        options.hooks,
      );
      const choice = value.choices[0]!;
      const content: (TextBlock | ToolUseBlock)[] = [];
      if (choice.message.content) content.push({ type: "text", text: choice.message.content });
      for (const call of choice.message.tool_calls ?? []) {
        content.push({
          type: "toolUse",
          id: call.id,
          name: call.function.name,
          input: parseArguments(call.function.arguments ?? ""),
        });
      }
      return {
        content,
        stopReason: stopReasonOf(choice.finish_reason, content),
        usage: {
          inputTokens: value.usage?.prompt_tokens ?? 0,
          outputTokens: value.usage?.completion_tokens ?? 0,
        },
        latencyMs: Math.round(performance.now() - started),
        attempts,
      };
    },
  };
}

async function postOnce(
  url: string,
  body: string,
  apiKey: string | undefined,
  timeoutMs: number,
): Promise<z.infer<typeof responseSchema>> {
  const abort = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      },
      body,
      signal: abort,
    });
    text = await response.text();
  } catch (error) {
    if (abort.aborted) throw new LlmTimeoutError("openai", timeoutMs, { cause: error });
    // Connection refused or reset: the server may be restarting.
    throw new LlmError(`cannot reach ${url}: ${String(error)}`, "openai", true, {}, { cause: error });
  }
  if (!response.ok) {
    const retryAfterSeconds = Number(response.headers.get("retry-after"));
    throw new LlmError(
      `${url} answered HTTP ${response.status}: ${text.slice(0, 300)}`,
      "openai",
      response.status === 429 || response.status >= 500,
      {
        status: response.status,
        ...(retryAfterSeconds > 0 ? { retryAfterMs: retryAfterSeconds * 1_000 } : {}),
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LlmError(`${url} answered with a body that is not JSON`, "openai", true, {
      status: response.status,
    });
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    throw new LlmError(
      `${url} answered JSON that is not a chat completion: ${parsed.error.issues[0]?.message ?? ""}`,
      "openai",
      false,
      { status: response.status },
    );
  }
  return parsed.data;
}

export function toOpenAiBody(request: ConverseRequest): Record<string, unknown> {
  const tools = request.tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
  const choice = request.toolChoice ?? "auto";
  return {
    model: request.modelId,
    messages: [
      { role: "system", content: request.system } satisfies OpenAiMessage,
      ...request.messages.flatMap(toOpenAiMessages),
    ],
    max_tokens: request.maxTokens,
    temperature: request.temperature ?? 0,
    ...(tools.length > 0
      ? {
          tools,
          tool_choice:
            choice === "auto"
              ? "auto"
              : choice === "any"
                ? "required"
                : { type: "function", function: { name: choice.tool } },
        }
      : {}),
  };
}

/** One of our messages may become several: tool results are separate `tool` messages before any text. */
function toOpenAiMessages(message: ChatMessage): OpenAiMessage[] {
  const text = message.content
    .filter((block) => block.type === "text")
    .map((block) => block.text)
    .join("\n\n");
  if (message.role === "assistant") {
    const calls = message.content.filter((block) => block.type === "toolUse");
    return [
      {
        role: "assistant",
        content: text || null,
        ...(calls.length > 0
          ? {
              tool_calls: calls.map((call) => ({
                id: call.id,
                type: "function" as const,
                function: { name: call.name, arguments: JSON.stringify(call.input) },
              })),
            }
          : {}),
      },
    ];
  }
  const results: OpenAiMessage[] = message.content
    .filter((block) => block.type === "toolResult")
    .map((block) => ({
      role: "tool",
      tool_call_id: block.toolUseId,
      content: JSON.stringify(block.isError ? { error: true, ...block.content } : block.content),
    }));
  return text ? [...results, { role: "user", content: text }] : results;
}

/** Arguments the model wrote as a JSON string; unparseable ones reach the tool's validation as-is. */
function parseArguments(raw: string): unknown {
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    return { unparseableArguments: raw };
  }
}

function stopReasonOf(reason: string | null | undefined, content: { type: string }[]): StopReason {
  if (reason === "tool_calls" || content.some((block) => block.type === "toolUse")) return "tool_use";
  if (reason === "stop") return "end_turn";
  if (reason === "length") return "max_tokens";
  return "other";
}
