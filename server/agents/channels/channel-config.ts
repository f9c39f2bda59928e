// A channel's configuration: where moments go (Slack, a signed JSON webhook, the feed) and the rules that
// decide which moments it takes. Validated with zod wherever it is read (config file now, a table later).
import { z } from "zod";
import type { Interest } from "../scorer-agent";
import type { Summary } from "../summary-agent";
import type { GeneratedBy } from "../llm/types";

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM (24-hour)");

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "expected an IANA time zone such as Europe/Paris");

export const channelRulesSchema = z.object({
  /** Markets smaller than this (thousands of people) are dropped; no market left, no delivery. */
  minMarketSize: z.number().int().nonnegative().default(0),
  /** Sport slugs the channel takes; empty takes every sport. */
  sports: z.array(z.string()).default([]),
  /** Markets the channel takes (ISO codes); empty takes every market. */
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
  /** Lowest interest score the channel takes. */
  minScore: z.number().min(0).max(1).default(0.5),
  /** Priority order, highest first: "sport:<slug>" or "country:<ISO>"; unlisted moments come last. */
  priority: z.array(z.string().regex(/^(sport|country):[A-Za-z0-9_-]+$/)).default([]),
  /** When the channel's people are there, in their time zone; `from` after `to` wraps past midnight. */
  activeHours: z.object({ timeZone, from: clockTime, to: clockTime }).nullable().default(null),
  /** Deliveries in any rolling hour; the highest-priority moments take the slots. */
  maxPerHour: z.number().int().positive().nullable().default(null),
});
export type ChannelRules = z.infer<typeof channelRulesSchema>;

export const channelSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected a slug"),
  name: z.string().min(1),
  format: z.enum(["slack", "webhook", "feed"]),
  rules: channelRulesSchema.prefault({}),
  /** Free-text editorial guidance a model weighs after the rules pass (e.g. "medal moments only"). */
  editorial: z.string().max(500).nullable().default(null),
});
export type Channel = z.infer<typeof channelSchema>;

/** A moment as the channel deciders see it: the scorer's verdict, the summary, and its markets. */
export interface ChannelMoment {
  key: string;
  sport: string;
  peakAt: number;
  markets: { country: string; upliftPct: number; marketSize: number }[];
  interest: Interest;
  summary: Summary;
  /** Who wrote the summary: carried into every delivery. */
  generatedBy: GeneratedBy;
}
