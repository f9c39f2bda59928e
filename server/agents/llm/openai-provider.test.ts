// The OpenAI-compatible provider (Ollama, vLLM, llama.cpp) against a local chat completions server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgent } from "../runner";
import { summaryAgent } from "../summary-agent";
import { failureOf, subject, toolContext } from "../test-fixtures";
import { LlmError, LlmTimeoutError } from "./errors";
import { startFakeServer, type FakeServer, type ScriptedReply } from "./fake-servers";
import { createOpenAiProvider } from "./openai-provider";

let server: FakeServer;
const delays: number[] = [];

beforeAll(async () => {
  server = await startFakeServer();
});
afterAll(() => server.close());

const provider = (maxRetries = 3) =>
  createOpenAiProvider({
    baseUrl: `${server.url}/v1/`,
    apiKey: "sk-local",
    retry: { maxRetries, baseDelayMs: 100, maxDelayMs: 5_000 },
    hooks: { sleep: async (ms) => void delays.push(ms), random: () => 0 },
  });

function completion(
  message: { content?: string | null; tool_calls?: unknown[] },
  finish: string,
): ScriptedReply {
  return {
    status: 200,
    body: {
      id: "chatcmpl-1",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finish }],
      usage: { prompt_tokens: 200, completion_tokens: 50, total_tokens: 250 },
    },
  };
}

const summary = {
  headline: "Elin Virta scores for Finland in the final",
  description: "Elin Virta scored for Finland in the women's final. The audience in Finland rose by half.",
  story: { text: "Virta's long road back after two knee operations.", citations: ["story-00001"] },
  tags: { athletes: ["Elin Virta"], countries: ["FI", "SE"], sport: "hockey", event: "Women's tournament" },
  clip: {
    sessionId: "hockey-w-final",
    in: "00:42:00",
    out: "00:43:10",
    reason: "From the penalty to the celebration.",
  },
  causeEventId: "hockey-w-final-012",
};

describe("OpenAI-compatible provider", () => {
  it("runs tool calls, honours Retry-After on 429, and retries a bad answer once", async () => {
    server.requests.length = 0;
    delays.length = 0;
    server.reply(
      { status: 429, headers: { "retry-after": "2" }, body: { error: { message: "slow down" } } },
      completion(
        {
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: {
                name: "search_play_by_play",
                arguments: JSON.stringify({
                  sport: "hockey",
                  from: "2026-02-15T13:58:00Z",
                  to: "2026-02-15T14:03:30Z",
                }),
              },
            },
            {
              id: "call_2",
              type: "function",
              function: { name: "search_stories", arguments: '{"athleteIds": ["ath-1"]}' },
            },
          ],
        },
        "tool_calls",
      ),
      { status: 502, body: "bad gateway" },
      completion({ content: "Here is the summary: {headline: oops}" }, "stop"),
      completion({ content: JSON.stringify(summary) }, "stop"),
    );
    const run = await runAgent(
      summaryAgent,
      { ...subject, interest: { interesting: true, score: 0.8, reason: "A goal.", causeEventId: null } },
      { provider: provider(), modelId: "qwen2.5:14b", timeoutMs: 5_000, maxTurns: 5, tools: toolContext() },
    );
    expect(run.output).toEqual(summary);
    expect(run.trace.costUsd).toBeNull();
    expect(delays).toEqual([2_000, 0]);
    expect(run.trace.turns.map((turn) => turn.attempts)).toEqual([2, 2, 1]);
    expect(run.trace.validationRetries).toBe(1);

    const first = server.requests[0]!;
    expect(first.path).toBe("/v1/chat/completions");
    expect(first.headers.authorization).toBe("Bearer sk-local");
    const body = first.body as {
      model: string;
      messages: { role: string }[];
      tools: { function: { name: string } }[];
      tool_choice: string;
    };
    expect(body.model).toBe("qwen2.5:14b");
    expect(body.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(body.tools.map((tool) => tool.function.name)).toEqual([
      "search_play_by_play",
      "search_stories",
      "memory_read",
      "memory_write",
    ]);
    expect(body.tool_choice).toBe("auto");
    // Tool results go back as `tool` messages after the assistant's tool_calls.
    const third = server.requests[2]!.body as {
      messages: { role: string; tool_call_id?: string; content: string }[];
    };
    expect(third.messages.map((message) => message.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "tool",
    ]);
    expect(third.messages[3]!.tool_call_id).toBe("call_1");
    expect(JSON.parse(third.messages[4]!.content).items[0].id).toBe("story-00001");
    const last = server.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(last.messages.at(-1)).toMatchObject({ role: "user" });
    expect(last.messages.at(-1)!.content).toContain("not valid");
  });

  it("does not retry a client error, and times out a slow server", async () => {
    server.reply({ status: 404, body: { error: "model not found" } });
    const request = {
      agent: "interest-scorer",
      modelId: "missing",
      system: "s",
      messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }],
      tools: [],
      maxTokens: 10,
      timeoutMs: 5_000,
    };
    const notFound = await failureOf<LlmError>(provider().converse(request));
    expect(notFound).toBeInstanceOf(LlmError);
    expect(notFound.details.status).toBe(404);
    expect(notFound.retryable).toBe(false);

    server.reply({ ...completion({ content: "{}" }, "stop"), delayMs: 1_000 });
    const slow = await provider()
      .converse({ ...request, timeoutMs: 150 })
      .catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(LlmTimeoutError);
  });
});
