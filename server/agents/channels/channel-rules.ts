// A channel's rules as pure functions: which moments pass (interest, sport, market size, score, active hours
// in the channel's time zone), in what priority, and which fit under the hourly cap. Each verdict names the
// rule that decided it.
import type { Channel, ChannelMoment } from "./channel-config";

export const DECIDING_RULES = [
  "interest",
  "sports",
  "countries",
  "min_market_size",
  "min_score",
  "active_hours",
  "editorial",
  "max_per_hour",
  "rules_passed",
] as const;
export type DecidingRule = (typeof DECIDING_RULES)[number];

export interface RuleVerdict {
  pass: boolean;
  decidedBy: DecidingRule;
  reason: string;
  /** Markets the channel keeps (after its sports, countries and size filters). */
  markets: string[];
  /** 1 is highest; unlisted moments get priority list length + 1. */
  priority: number;
}

/** Minutes since local midnight at `ts` in `timeZone`. */
export function localMinutes(ts: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(ts));
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value("hour") * 60 + value("minute");
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** Whether `ts` falls in [from, to) local time; a window whose `from` is after `to` wraps past midnight. */
export function withinActiveHours(
  ts: number,
  hours: { timeZone: string; from: string; to: string },
): boolean {
  const now = localMinutes(ts, hours.timeZone);
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  if (from === to) return true;
  return from < to ? now >= from && now < to : now >= from || now < to;
}

export function priorityOf(channel: Channel, moment: ChannelMoment, markets: readonly string[]): number {
  const order = channel.rules.priority;
  const index = order.findIndex(
    (entry) => entry === `sport:${moment.sport}` || markets.some((country) => entry === `country:${country}`),
  );
  return index < 0 ? order.length + 1 : index + 1;
}

/** The channel's static rules for one moment, in order; the first that fails decides. */
export function applyChannelRules(channel: Channel, moment: ChannelMoment, now: number): RuleVerdict {
  const rules = channel.rules;
  const fail = (decidedBy: DecidingRule, reason: string, markets: string[] = []): RuleVerdict => ({
    pass: false,
    decidedBy,
    reason,
    markets,
    priority: priorityOf(channel, moment, markets),
  });
  if (!moment.interest.interesting) {
    return fail("interest", `The interest scorer found it not interesting: ${moment.interest.reason}`);
  }
  if (rules.sports.length > 0 && !rules.sports.includes(moment.sport)) {
    return fail("sports", `${channel.name} takes ${rules.sports.join(", ")}, not ${moment.sport}.`);
  }
  const inCountries = moment.markets.filter(
    (market) => rules.countries.length === 0 || rules.countries.includes(market.country),
  );
  if (inCountries.length === 0) {
    return fail("countries", `None of the moment's markets is one ${channel.name} covers.`);
  }
  const kept = inCountries.filter((market) => market.marketSize >= rules.minMarketSize);
  if (kept.length === 0) {
    const largest = Math.max(...inCountries.map((market) => market.marketSize));
    return fail(
      "min_market_size",
      `Its largest market has ${largest}k people, under ${channel.name}'s minimum of ${rules.minMarketSize}k.`,
    );
  }
  const markets = kept.map((market) => market.country);
  if (moment.interest.score < rules.minScore) {
    return fail(
      "min_score",
      `Interest ${moment.interest.score.toFixed(2)} is under ${channel.name}'s minimum of ${rules.minScore.toFixed(2)}.`,
      markets,
    );
  }
  if (rules.activeHours && !withinActiveHours(now, rules.activeHours)) {
    const { timeZone, from, to } = rules.activeHours;
    return fail("active_hours", `${channel.name} is active ${from}-${to} ${timeZone}, not now.`, markets);
  }
  return {
    pass: true,
    decidedBy: "rules_passed",
    reason: `Every rule of ${channel.name} passed.`,
    markets,
    priority: priorityOf(channel, moment, markets),
  };
}

/**
 * The hourly cap over moments that passed every other rule: the highest priority first (then the higher
 * interest score, then key), until `maxPerHour − sentInLastHour` slots are taken. Returns the keys that fit.
 */
export function fitUnderHourlyCap(
  channel: Channel,
  passed: readonly { moment: ChannelMoment; priority: number }[],
  sentInLastHour: number,
): Set<string> {
  const ordered = [...passed].sort(
    (a, b) =>
      a.priority - b.priority ||
      b.moment.interest.score - a.moment.interest.score ||
      a.moment.key.localeCompare(b.moment.key),
  );
  const cap = channel.rules.maxPerHour;
  const slots = cap === null ? ordered.length : Math.max(0, cap - sentInLastHour);
  return new Set(ordered.slice(0, slots).map((entry) => entry.moment.key));
}
