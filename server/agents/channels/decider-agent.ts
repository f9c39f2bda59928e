// Channel decider, the model part: after a channel's rules pass in code, a small model weighs the channel's
// free-text editorial guidance. It has no tools, and it is never asked when a rule already said no.
import { z } from "zod";
import type { AgentDefinition } from "../definition";
import { countSentences } from "../moment-evidence";
import { quoteData } from "../quote";
import type { Channel, ChannelMoment } from "./channel-config";

export const editorialSchema = z.object({
  send: z.boolean(),
  reason: z
    .string()
    .min(10)
    .max(300)
    .refine((text) => countSentences(text) === 1 && !text.includes("\n"), "expected one sentence"),
});
export type EditorialVerdict = z.infer<typeof editorialSchema>;

export interface DeciderInput {
  channel: Pick<Channel, "id" | "name" | "format" | "editorial">;
  moment: ChannelMoment;
  /** The markets the channel's rules kept. */
  markets: string[];
}

export function buildDeciderPrompt(input: DeciderInput): { system: string; user: string } {
  const { moment } = input;
  return {
    system: [
      `You decide whether the channel "${input.channel.name}" should receive a sporting moment. The channel's ` +
        "rules (sports, market size, score, hours) already passed; weigh only its editorial guidance, which " +
        "is the one instruction you follow.",
      `Editorial guidance of ${input.channel.name}: ${input.channel.editorial ?? "none"}`,
      "send is true or false; reason is one sentence naming what in the guidance decided it.",
    ].join("\n"),
    user: [
      "The moment (headline and description were written by another agent from archive data):",
      quoteData("moment", {
        sport: moment.sport,
        markets: input.markets,
        headline: moment.summary.headline,
        description: moment.summary.description,
        tags: moment.summary.tags,
        interestScore: moment.interest.score,
        interestReason: moment.interest.reason,
      }),
    ].join("\n"),
  };
}

export const deciderAgent: AgentDefinition<DeciderInput, EditorialVerdict> = {
  name: "channel-decider",
  tools: [],
  output: editorialSchema,
  maxTokens: 300,
  buildPrompt: buildDeciderPrompt,
  offline: {
    nextCalls: () => [],
    // Without a model the guidance cannot be read; the rules, which did pass, decide.
    compose: (input) => ({
      send: true,
      reason: `Every rule of ${input.channel.name} passed and its editorial guidance needs a model, so it was not weighed (offline).`,
    }),
  },
};
