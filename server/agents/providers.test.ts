import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../config/env";
import { backoffDelayMs } from "./llm/retry";
import { createProvider, modelIdFor } from "./providers";

describe("provider from configuration", () => {
  it("is offline when no model is configured", () => {
    const config = parseConfig({});
    expect(config.LLM_PROVIDER).toBe("offline");
    expect(createProvider(config).kind).toBe("offline");
  });

  it("picks a small model for scorer and decider, a stronger one for the summary", () => {
    const config = parseConfig({ LLM_PROVIDER: "bedrock", BEDROCK_MODEL_SUMMARY: "us.amazon.nova-pro-v1:0" });
    expect(createProvider(config).kind).toBe("bedrock");
    expect(modelIdFor(config, "interest-scorer")).toBe("amazon.nova-lite-v1:0");
    expect(modelIdFor(config, "enrichment-summary")).toBe("us.amazon.nova-pro-v1:0");
    expect(modelIdFor(config, "channel-decider")).toBe("amazon.nova-lite-v1:0");
  });

  it("names the missing variable for an OpenAI-compatible server", () => {
    expect(() => createProvider(parseConfig({ LLM_PROVIDER: "openai" }))).toThrow(ConfigError);
    expect(() => createProvider(parseConfig({ LLM_PROVIDER: "openai" }))).toThrow(/OPENAI_BASE_URL/);
    expect(() => parseConfig({ LLM_TIMEOUT_MS: "5" })).toThrow(/LLM_TIMEOUT_MS/);
  });
});

describe("back-off", () => {
  const policy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 4_000 };
  it("doubles its ceiling per retry, with full jitter, capped, never under Retry-After", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, policy, () => 0.999))).toEqual([
      499, 999, 1_998, 3_996, 3_996,
    ]);
    expect(backoffDelayMs(1, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(1, policy, () => 0, 3_000)).toBe(3_000);
    expect(backoffDelayMs(1, policy, () => 0, 60_000)).toBe(4_000);
  });
});
