// From configuration to a provider and per-agent runtimes: which provider (offline by default), which model
// each agent uses, and the timeout, retry and turn limits. The one place agents meet the environment.
import { ConfigError, type Config } from "../config/env";
import { deciderAgent } from "./channels/decider-agent";
import type { AgentDefinition, AgentName } from "./definition";
import { createBedrockProvider } from "./llm/bedrock-provider";
import { createOfflineProvider, type UntypedComposer } from "./llm/offline-provider";
import { createOpenAiProvider } from "./llm/openai-provider";
import type { RetryHooks, RetryPolicy } from "./llm/retry";
import type { LlmProvider } from "./llm/types";
import type { AgentRuntime } from "./runner";
import { scorerAgent } from "./scorer-agent";
import { summaryAgent } from "./summary-agent";
import type { ToolContext } from "./tools/catalog";

type LlmConfig = Pick<
  Config,
  | "LLM_PROVIDER"
  | "AWS_REGION"
  | "BEDROCK_ENDPOINT"
  | "BEDROCK_MODEL_SCORER"
  | "BEDROCK_MODEL_SUMMARY"
  | "BEDROCK_MODEL_DECIDER"
  | "OPENAI_BASE_URL"
  | "OPENAI_API_KEY"
  | "OPENAI_MODEL_SCORER"
  | "OPENAI_MODEL_SUMMARY"
  | "OPENAI_MODEL_DECIDER"
  | "LLM_TIMEOUT_MS"
  | "LLM_MAX_RETRIES"
  | "LLM_RETRY_BASE_MS"
  | "AGENT_MAX_TURNS"
>;

function composerOf<Input, Output>(definition: AgentDefinition<Input, Output>): UntypedComposer {
  // The runner hands the offline provider this agent's own input as `subject`, so the cast is exact.
  return {
    nextCalls: (subject, evidence) => definition.offline.nextCalls(subject as Input, evidence),
    compose: (subject, evidence) => definition.offline.compose(subject as Input, evidence),
  };
}

/** Offline composers of every agent, by agent name. */
export function offlineComposers(): Record<AgentName, UntypedComposer> {
  return {
    "interest-scorer": composerOf(scorerAgent),
    "enrichment-summary": composerOf(summaryAgent),
    "channel-decider": composerOf(deciderAgent),
  };
}

export function retryPolicyOf(config: LlmConfig): RetryPolicy {
  return {
    maxRetries: config.LLM_MAX_RETRIES,
    baseDelayMs: config.LLM_RETRY_BASE_MS,
    maxDelayMs: 20_000,
  };
}

export function createProvider(config: LlmConfig, hooks?: RetryHooks): LlmProvider {
  switch (config.LLM_PROVIDER) {
    case "offline":
      return createOfflineProvider(offlineComposers());
    case "bedrock":
      return createBedrockProvider({
        region: config.AWS_REGION,
        endpoint: config.BEDROCK_ENDPOINT,
        retry: retryPolicyOf(config),
        hooks,
      });
    case "openai":
      if (!config.OPENAI_BASE_URL) {
        throw new ConfigError([
          "OPENAI_BASE_URL: required with LLM_PROVIDER=openai (e.g. http://127.0.0.1:11434/v1)",
        ]);
      }
      return createOpenAiProvider({
        baseUrl: config.OPENAI_BASE_URL,
        apiKey: config.OPENAI_API_KEY,
        retry: retryPolicyOf(config),
        hooks,
      });
  }
}

/** The model an agent uses: a small fast one for the scorer and deciders, a stronger one for the summary. */
export function modelIdFor(config: LlmConfig, agent: AgentName): string {
  const bedrock = config.LLM_PROVIDER === "bedrock";
  switch (agent) {
    case "interest-scorer":
      return bedrock ? config.BEDROCK_MODEL_SCORER : config.OPENAI_MODEL_SCORER;
    case "enrichment-summary":
      return bedrock ? config.BEDROCK_MODEL_SUMMARY : config.OPENAI_MODEL_SUMMARY;
    case "channel-decider":
      return bedrock ? config.BEDROCK_MODEL_DECIDER : config.OPENAI_MODEL_DECIDER;
  }
}

export function runtimeFor(
  config: LlmConfig,
  agent: AgentName,
  provider: LlmProvider,
  tools: ToolContext,
): AgentRuntime {
  return {
    provider,
    modelId: provider.kind === "offline" ? "offline" : modelIdFor(config, agent),
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxTurns: config.AGENT_MAX_TURNS,
    tools,
  };
}
