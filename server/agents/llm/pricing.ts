// Cost estimate of a run from its token usage: on-demand list prices (USD per million tokens) of the Bedrock
// models we expect to use. Unknown and self-hosted models have no estimate (null), never a made-up one.
import type { TokenUsage } from "./types";

interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
}

// Bedrock on-demand prices, us-east-1, as published when this was written; check before quoting them.
const BEDROCK_PRICES: Record<string, Price> = {
  "amazon.nova-micro-v1:0": { inputPerMTok: 0.035, outputPerMTok: 0.14 },
  "amazon.nova-lite-v1:0": { inputPerMTok: 0.06, outputPerMTok: 0.24 },
  "amazon.nova-pro-v1:0": { inputPerMTok: 0.8, outputPerMTok: 3.2 },
  "anthropic.claude-3-haiku-20240307-v1:0": { inputPerMTok: 0.25, outputPerMTok: 1.25 },
  "anthropic.claude-3-5-haiku-20241022-v1:0": { inputPerMTok: 0.8, outputPerMTok: 4 },
  "anthropic.claude-haiku-4-5-20251001-v1:0": { inputPerMTok: 1, outputPerMTok: 5 },
  "anthropic.claude-sonnet-4-20250514-v1:0": { inputPerMTok: 3, outputPerMTok: 15 },
  "anthropic.claude-sonnet-4-5-20250929-v1:0": { inputPerMTok: 3, outputPerMTok: 15 },
};

/** Cross-region inference profiles ("us.", "eu.", "global.", …) cost what the model costs. */
function baseModelId(modelId: string): string {
  return modelId.replace(/^(us|eu|apac|us-gov|global|jp|au|ca)\./, "");
}

export function estimateCostUsd(provider: string, modelId: string, usage: TokenUsage): number | null {
  if (provider === "offline") return 0;
  if (provider !== "bedrock") return null;
  const price = BEDROCK_PRICES[baseModelId(modelId)];
  if (!price) return null;
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1e6;
}
