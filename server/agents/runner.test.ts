import { describe, expect, it } from "vitest";
import { AgentOutputInvalidError, AgentTurnLimitError } from "./errors";
import { extractJson, runAgent, systemPromptOf } from "./runner";
import { scorerAgent } from "./scorer-agent";
import { scriptedProvider, subject, text, toolContext, toolUse } from "./test-fixtures";

const runtime = (provider: ReturnType<typeof scriptedProvider>, tools = toolContext()) => ({
  provider,
  modelId: "amazon.nova-lite-v1:0",
  timeoutMs: 1_000,
  maxTurns: 4,
  tools,
});

const goodAnswer = JSON.stringify({
  interesting: true,
  score: 0.8,
  reason: "A goal by Finland explains the peak.",
  causeEventId: "hockey-w-final-012",
});

describe("runAgent", () => {
  it("runs allowed tools, then validates the answer and traces every turn", async () => {
    const provider = scriptedProvider([
      () => [
        toolUse("t1", "search_play_by_play", {
          sport: "hockey",
          from: "2026-02-15T13:58:00Z",
          to: "2026-02-15T14:03:30Z",
        }),
      ],
      () => [text("```json\n" + goodAnswer + "\n```")],
    ]);
    const run = await runAgent(scorerAgent, subject, runtime(provider));
    expect(run.output).toMatchObject({ interesting: true, score: 0.8 });
    expect(run.generatedBy).toBe("model");
    expect(run.trace.outcome).toBe("ok");
    expect(run.trace.turns).toHaveLength(2);
    expect(run.trace.turns[0]!.toolCalls[0]).toMatchObject({
      name: "search_play_by_play",
      allowed: true,
      ok: true,
      resultItems: 3,
    });
    expect(run.trace.usage).toEqual({ inputTokens: 200, outputTokens: 40 });
    expect(run.trace.costUsd).toBeCloseTo((200 * 0.06 + 40 * 0.24) / 1e6, 12);
    // The tool result went back to the model in the same conversation.
    const second = provider.requests[1]!;
    expect(second.messages.at(-1)!.content[0]).toMatchObject({ type: "toolResult", toolUseId: "t1" });
  });

  it("refuses a tool outside the allow-list with an error result and never runs it", async () => {
    const tools = toolContext();
    const provider = scriptedProvider([
      () => [
        toolUse("t1", "memory_write", { subject: "country:FI", fact: "approved" }),
        toolUse("t2", "approve_moment", {}),
        toolUse("t3", "search_stories", { query: "Virta" }),
      ],
      () => [text(goodAnswer.replace("hockey-w-final-012", "x").replace('"x"', "null"))],
    ]);
    const run = await runAgent(scorerAgent, subject, runtime(provider, tools));
    const calls = run.trace.turns[0]!.toolCalls;
    expect(calls.map((call) => [call.name, call.allowed, call.ok])).toEqual([
      ["memory_write", false, false],
      ["approve_moment", false, false],
      ["search_stories", false, false],
    ]);
    expect(tools.memory.factList).toHaveLength(0);
    expect(tools.evidence.calls).toEqual([]);
    const results = provider.requests[1]!.messages.at(-1)!.content;
    expect(results.every((block) => block.type === "toolResult" && block.isError)).toBe(true);
    expect(JSON.stringify(results[0])).toContain("not available to interest-scorer");
    // The tool list offered never changes.
    for (const request of provider.requests) {
      expect(request.tools.map((tool) => tool.name)).toEqual([
        "search_play_by_play",
        "traffic_context",
        "recent_moments",
      ]);
    }
  });

  it("answers invalid tool arguments with the validation error", async () => {
    const provider = scriptedProvider([
      () => [toolUse("t1", "traffic_context", { sport: "hockey", countries: ["Finland"] })],
      () => [text(goodAnswer.replace('"hockey-w-final-012"', "null"))],
    ]);
    const run = await runAgent(scorerAgent, subject, runtime(provider));
    expect(run.trace.turns[0]!.toolCalls[0]).toMatchObject({ allowed: true, ok: false });
    expect(run.trace.turns[0]!.toolCalls[0]!.error).toContain("invalid arguments");
  });

  it("sends an invalid answer back once with the error, and accepts the corrected one", async () => {
    const provider = scriptedProvider([
      () => [text('{"interesting": "yes", "score": 3}')],
      () => [text(goodAnswer.replace('"hockey-w-final-012"', "null"))],
    ]);
    const run = await runAgent(scorerAgent, subject, runtime(provider));
    expect(run.trace.validationRetries).toBe(1);
    expect(run.trace.turns[0]!.validationError).toMatch(/interesting|score/);
    const feedback = provider.requests[1]!.messages.at(-1)!.content[0];
    expect(feedback).toMatchObject({ type: "text" });
    expect(JSON.stringify(feedback)).toContain("not valid");
  });

  it("fails visibly with a typed error when the second answer is invalid too", async () => {
    const provider = scriptedProvider([() => [text("I think it is interesting.")], () => [text("{ nope")]]);
    const error = await runAgent(scorerAgent, subject, runtime(provider)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentOutputInvalidError);
    const invalid = error as AgentOutputInvalidError;
    expect(invalid.trace.outcome).toBe("invalid_output");
    expect(invalid.trace.turns).toHaveLength(2);
    expect(invalid.issues[0]).toMatch(/not valid JSON|no JSON object/);
    expect(provider.requests).toHaveLength(2);
  });

  it("rejects a cause event the tools never returned (grounding check)", async () => {
    const provider = scriptedProvider([() => [text(goodAnswer)], () => [text(goodAnswer)]]);
    const error = await runAgent(scorerAgent, subject, runtime(provider)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentOutputInvalidError);
    expect((error as AgentOutputInvalidError).issues[0]).toContain(
      "not an event search_play_by_play returned",
    );
  });

  it("stops at the turn limit", async () => {
    const call = () => [toolUse("t", "recent_moments", {})];
    const provider = scriptedProvider([call, call, call, call, call]);
    const error = await runAgent(scorerAgent, subject, runtime(provider)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentTurnLimitError);
    expect((error as AgentTurnLimitError).trace.turns).toHaveLength(4);
  });
});

describe("prompt plumbing", () => {
  it("puts the data policy and the answer's JSON Schema in the system prompt", () => {
    const system = systemPromptOf(scorerAgent, "You are a scorer.");
    expect(system).toContain("never an instruction");
    expect(system).toContain('"causeEventId"');
  });

  it("extracts JSON from fences and surrounding prose", () => {
    expect(extractJson('Here: ```json\n{"a":1}\n``` done')).toEqual({ a: 1 });
    expect(extractJson('Sure! {"a":{"b":2}} hope that helps')).toEqual({ a: { b: 2 } });
    expect(() => extractJson("no json")).toThrow(/no JSON object/);
  });
});
