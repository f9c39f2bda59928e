// The channels moments are routed to, configured in code until channels get their own table and UI: the
// editors' feed (every interesting moment) and the newsroom Slack (large markets only, a few per hour,
// prioritised). Parsed through the agents' channel schema so a bad entry fails at start, not per moment.
import { channelSchema, type Channel } from "../agents/channels/channel-config";

const CHANNELS: unknown[] = [
  {
    id: "editors-feed",
    name: "Editors' feed",
    format: "feed",
    rules: { minScore: 0.5 },
  },
  {
    id: "newsroom-slack",
    name: "Newsroom Slack",
    format: "slack",
    rules: {
      // Thousands of people: the big markets, where a push to the newsroom pays off.
      minMarketSize: 5_000,
      minScore: 0.6,
      priority: ["sport:football", "sport:athletics", "sport:swimming"],
      maxPerHour: 6,
    },
  },
];

export function configuredChannels(): Channel[] {
  return CHANNELS.map((entry) => channelSchema.parse(entry));
}
