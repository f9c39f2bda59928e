// The built-in channels, used when CHANNELS_FILE is not set: the editors' feed (every interesting moment,
// served at /api/channels/editors-feed/feed) and the newsroom Slack (large markets only, a few per hour,
// prioritised; its incoming webhook from SLACK_WEBHOOK_URL). Written in the channels file's own format and
// parsed through the same schema, so a bad entry fails at start, not per moment.
import type { Channel } from "../agents/channels/channel-config";
import { channelEntrySchema } from "./channel-targets";

export const BUILT_IN_CHANNELS: unknown[] = [
  {
    id: "editors-feed",
    name: "Editors' feed",
    rules: { minScore: 0.5 },
    target: { type: "feed" },
  },
  {
    id: "newsroom-slack",
    name: "Newsroom Slack",
    rules: {
      // Thousands of people: the big markets, where a push to the newsroom pays off.
      minMarketSize: 5_000,
      minScore: 0.6,
      priority: ["sport:football", "sport:athletics", "sport:swimming"],
      maxPerHour: 6,
    },
    // Optional here (unlike in a channels file): without it the demo still runs, and deliveries to this
    // channel fail at once naming the variable.
    target: { type: "slack", urlEnv: "SLACK_WEBHOOK_URL", optional: true },
  },
];

/** The built-in channels' rules (what the deciders decide on), without their targets. */
export function configuredChannels(): Channel[] {
  return BUILT_IN_CHANNELS.map((entry) => channelEntrySchema.parse(entry).channel);
}
