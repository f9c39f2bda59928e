import { describe, expect, it } from "vitest";
import { traceSteps } from "./ops-trace-steps";

const turn = (index: number, toolCalls: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  index,
  latencyMs: 120,
  attempts: 1,
  stopReason: toolCalls.length > 0 ? "tool_use" : "end_turn",
  usage: { inputTokens: 300, outputTokens: 40 },
  toolCalls,
  ...extra,
});

describe("traceSteps", () => {
  it("reads turns and tool calls of one agent's trace", () => {
    const steps = traceSteps({
      agent: "interest-scorer",
      outcome: "ok",
      turns: [
        turn(0, [
          {
            id: "t1",
            name: "search_play_by_play",
            args: {},
            allowed: true,
            ok: true,
            latencyMs: 12,
            resultItems: 3,
          },
          {
            id: "t2",
            name: "send_email",
            args: {},
            allowed: false,
            ok: false,
            latencyMs: 0,
            error: "not allowed",
          },
        ]),
        turn(1, [], { validationError: "score: expected a number" }),
      ],
    });
    expect(steps.outcome).toBe("ok");
    expect(steps.turns).toHaveLength(2);
    expect(steps.turns[0]!.toolCalls).toEqual([
      { name: "search_play_by_play", ok: true, allowed: true, latencyMs: 12, error: null, resultItems: 3 },
      {
        name: "send_email",
        ok: false,
        allowed: false,
        latencyMs: 0,
        error: "not allowed",
        resultItems: null,
      },
    ]);
    expect(steps.turns[1]).toMatchObject({
      channelId: null,
      inputTokens: 300,
      outputTokens: 40,
      validationError: "score: expected a number",
    });
  });

  it("flattens the channel deciders' editorial traces, naming the channel of each turn", () => {
    const steps = traceSteps({
      editorial: [
        { channelId: "newsroom-slack", trace: { outcome: "ok", costUsd: 0.002, turns: [turn(0)] } },
        {
          channelId: "editors-feed",
          trace: { outcome: "invalid_output", costUsd: 0.001, turns: [turn(0), turn(1)] },
        },
      ],
    });
    expect(steps.turns.map((t) => t.channelId)).toEqual(["newsroom-slack", "editors-feed", "editors-feed"]);
    expect(steps.outcome).toBe("invalid_output");
    expect(steps.editorialCostUsd).toBeCloseTo(0.003, 10);
  });

  it("answers nothing rather than failing on a missing or odd trace", () => {
    expect(traceSteps(null)).toEqual({ turns: [], outcome: null, editorialCostUsd: null });
    // Only rules decided: no model call, nothing spent.
    expect(traceSteps({ editorial: [] })).toEqual({ turns: [], outcome: null, editorialCostUsd: 0 });
    expect(traceSteps({ turns: [{ index: 0, toolCalls: "x" }] }).turns[0]).toMatchObject({
      index: 0,
      toolCalls: [],
      stopReason: null,
    });
  });
});
