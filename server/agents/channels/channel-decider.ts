// Decides, for one channel, which moments it receives: the rules in code first, then the editorial model
// for channels that have guidance, then the hourly cap by priority; formats what goes out. Every decision
// records the rule that decided it.
import type { AgentRun } from "../runner";
import type { GeneratedBy } from "../llm/types";
import type { AgentTrace } from "../trace";
import type { Channel, ChannelMoment } from "./channel-config";
import { formatForChannel, type ChannelPayload } from "./channel-format";
import { applyChannelRules, fitUnderHourlyCap, type DecidingRule } from "./channel-rules";
import type { DeciderInput, EditorialVerdict } from "./decider-agent";

export interface ChannelDecision {
  channelId: string;
  momentKey: string;
  send: boolean;
  decidedBy: DecidingRule;
  reason: string;
  priority: number;
  markets: string[];
  /** Who wrote the reason when the editorial step decided; null when a rule in code did. */
  generatedBy: GeneratedBy | null;
  payload: ChannelPayload | null;
  trace: AgentTrace | null;
}

export interface DecideOptions {
  now: number;
  /** Deliveries this channel made in the hour before `now`. */
  sentInLastHour: number;
  webhookSecret?: string;
  /** Runs the editorial decider agent; required for channels with editorial guidance. */
  runEditorial?: (input: DeciderInput) => Promise<AgentRun<EditorialVerdict>>;
}

export async function decideChannel(
  channel: Channel,
  moments: readonly ChannelMoment[],
  options: DecideOptions,
): Promise<ChannelDecision[]> {
  const decisions: ChannelDecision[] = [];
  const passed: { moment: ChannelMoment; priority: number; decision: ChannelDecision }[] = [];
  for (const moment of moments) {
    const verdict = applyChannelRules(channel, moment, options.now);
    const decision: ChannelDecision = {
      channelId: channel.id,
      momentKey: moment.key,
      send: verdict.pass,
      decidedBy: verdict.decidedBy,
      reason: verdict.reason,
      priority: verdict.priority,
      markets: verdict.markets,
      generatedBy: null,
      payload: null,
      trace: null,
    };
    decisions.push(decision);
    if (!verdict.pass) continue;
    if (channel.editorial) {
      if (!options.runEditorial) {
        throw new Error(`channel ${channel.id} has editorial guidance but no decider agent was given`);
      }
      const run = await options.runEditorial({ channel, moment, markets: verdict.markets });
      Object.assign(decision, {
        send: run.output.send,
        decidedBy: "editorial",
        reason: run.output.reason,
        generatedBy: run.generatedBy,
        trace: run.trace,
      });
      if (!run.output.send) continue;
    }
    passed.push({ moment, priority: verdict.priority, decision });
  }
  const fits = fitUnderHourlyCap(channel, passed, options.sentInLastHour);
  for (const { moment, decision } of passed) {
    if (!fits.has(moment.key)) {
      Object.assign(decision, {
        send: false,
        decidedBy: "max_per_hour",
        reason:
          `${channel.name} takes ${channel.rules.maxPerHour} per hour; ${options.sentInLastHour} went out in ` +
          "the last hour and higher-priority moments took the remaining slots.",
        generatedBy: null,
      });
      continue;
    }
    decision.payload = formatForChannel(channel, moment, decision.markets, {
      nowMs: options.now,
      webhookSecret: options.webhookSecret,
    });
  }
  return decisions;
}
