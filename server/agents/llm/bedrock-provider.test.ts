// The real AWS SDK client (signing, serialisation, error parsing) against a local server speaking the
// Bedrock Runtime Converse wire protocol.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentProviderError } from "../errors";
import { runAgent } from "../runner";
import { scorerAgent } from "../scorer-agent";
import { failureOf, subject, toolContext } from "../test-fixtures";
import { createBedrockProvider } from "./bedrock-provider";
import { LlmError, LlmTimeoutError } from "./errors";
import { bedrockError, converseReply, startFakeServer, type FakeServer } from "./fake-servers";

let server: FakeServer;
const delays: number[] = [];

beforeAll(async () => {
  server = await startFakeServer({ http2: true });
});
afterAll(() => server.close());

const MODEL = "amazon.nova-lite-v1:0";

function provider(maxRetries = 3) {
  return createBedrockProvider({
    region: "us-east-1",
    endpoint: server.url,
    credentials: { accessKeyId: "AKIDFAKE", secretAccessKey: "fake-secret" },
    retry: { maxRetries, baseDelayMs: 100, maxDelayMs: 1_000 },
    hooks: { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
  });
}

const runtime = (maxRetries = 3, timeoutMs = 5_000) => ({
  provider: provider(maxRetries),
  modelId: MODEL,
  timeoutMs,
  maxTurns: 5,
  tools: toolContext(),
});

const answer = {
  interesting: true,
  score: 0.83,
  reason: "A Finnish goal in the final explains the peak.",
  causeEventId: "hockey-w-final-012",
};

describe("Bedrock provider over the Converse wire protocol", () => {
  it("runs tool use, retries throttling with back-off, and sends an invalid answer back once", async () => {
    server.requests.length = 0;
    delays.length = 0;
    server.reply(
      bedrockError(429, "ThrottlingException", "Too many requests, please wait before trying again."),
      converseReply(
        [
          { text: "Let me look at the play-by-play." },
          {
            toolUse: {
              toolUseId: "tooluse_1",
              name: "search_play_by_play",
              input: { sport: "hockey", from: "2026-02-15T13:58:00Z", to: "2026-02-15T14:03:30Z" },
            },
          },
        ],
        "tool_use",
      ),
      converseReply([{ text: '{"interesting": true, "score": 0.83, "reason": "A goal}' }], "end_turn"),
      converseReply([{ text: JSON.stringify(answer) }], "end_turn"),
    );
    const run = await runAgent(scorerAgent, subject, runtime());
    expect(run.output).toEqual(answer);
    expect(run.generatedBy).toBe("model");

    // Throttled once, retried after a jittered back-off: 0.5 × 100 ms.
    expect(delays).toEqual([50]);
    expect(run.trace.turns.map((turn) => turn.attempts)).toEqual([2, 1, 1]);
    expect(run.trace.validationRetries).toBe(1);
    expect(run.trace.turns[1]!.validationError).toContain("not valid JSON");
    expect(run.trace.usage).toEqual({ inputTokens: 360, outputTokens: 90 });
    expect(run.trace.costUsd).toBeGreaterThan(0);

    // The real SDK's wire format: path with the encoded model id, SigV4 signature, Converse JSON.
    expect(server.requests).toHaveLength(4);
    const first = server.requests[0]!;
    expect(first.method).toBe("POST");
    expect(first.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    expect(first.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKE\/\d{8}\/us-east-1\/bedrock\//,
    );
    const body = first.body as {
      system: { text: string }[];
      messages: { role: string; content: { text?: string }[] }[];
      toolConfig: { tools: { toolSpec: { name: string; inputSchema: { json: { type: string } } } }[] };
      inferenceConfig: { maxTokens: number; temperature: number };
    };
    expect(body.system[0]!.text).toContain("interest scorer");
    expect(body.toolConfig.tools.map((tool) => tool.toolSpec.name)).toEqual([
      "search_play_by_play",
      "traffic_context",
      "recent_moments",
    ]);
    expect(body.toolConfig.tools[0]!.toolSpec.inputSchema.json.type).toBe("object");
    expect(body.inferenceConfig).toEqual({ maxTokens: 600, temperature: 0 });

    // The tool result went back as a Converse toolResult block with JSON content.
    const third = server.requests[2]!.body as {
      messages: {
        role: string;
        content: Record<
          string,
          { toolUseId: string; content: { json: { items: unknown[] } }[]; status: string }
        >[];
      }[];
    };
    const toolResult = third.messages[2]!.content[0]!.toolResult!;
    expect(toolResult).toMatchObject({ toolUseId: "tooluse_1", status: "success" });
    expect(toolResult.content[0]!.json.items).toHaveLength(3);
    // And the validation error went back as a user turn.
    const fourth = server.requests[3]!.body as { messages: { role: string; content: { text?: string }[] }[] };
    expect(fourth.messages.at(-1)!.content[0]!.text).toContain("not valid");
  });

  it("gives up after its retries with a typed, visible error", async () => {
    delays.length = 0;
    const throttled = bedrockError(429, "ThrottlingException", "Rate exceeded");
    server.reply(throttled, bedrockError(503, "ServiceUnavailableException", "Try later"), throttled);
    const error = await runAgent(scorerAgent, subject, runtime(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentProviderError);
    const cause = (error as AgentProviderError).cause as LlmError;
    expect(cause).toBeInstanceOf(LlmError);
    expect(cause.details).toMatchObject({ code: "ThrottlingException", status: 429, attempts: 3 });
    expect(cause.message).toContain("gave up after 3 attempts");
    expect(delays).toEqual([50, 100]);
    expect((error as AgentProviderError).trace.outcome).toBe("provider_error");
  });

  it("does not retry a validation error from the service", async () => {
    server.requests.length = 0;
    server.reply(bedrockError(400, "ValidationException", "The provided model identifier is invalid."));
    const error = await failureOf<LlmError>(
      provider().converse({
        agent: "interest-scorer",
        modelId: "nope",
        system: "s",
        messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
        tools: [],
        maxTokens: 10,
        timeoutMs: 5_000,
      }),
    );
    expect(error).toBeInstanceOf(LlmError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("ValidationException");
    expect(server.requests).toHaveLength(1);
  });

  it("times out a slow answer", async () => {
    server.reply({ ...converseReply([{ text: "{}" }], "end_turn"), delayMs: 1_500 });
    const error = await provider()
      .converse({
        agent: "interest-scorer",
        modelId: MODEL,
        system: "s",
        messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
        tools: [],
        maxTokens: 10,
        timeoutMs: 200,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmTimeoutError);
  });
});
