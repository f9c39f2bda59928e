// Where a channel's deliveries go, as written in a channels file (CHANNELS_FILE) or the built-in list: a
// signed JSON webhook (URL, and the name of the environment variable holding its signing secret), a Slack
// incoming webhook (URL, or the variable holding it: the URL is itself a credential), or the feed, served by
// /api/channels/[id]/feed with no HTTP call. A channel's format follows from its target.
import { z } from "zod";
import { channelSchema, type Channel } from "../agents/channels/channel-config";

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name such as PARTNER_WEBHOOK_SECRET");
const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s):// URL" });

export const targetSpecSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("webhook"), url: httpUrl, secretEnv: envName }),
  z
    .strictObject({
      type: z.literal("slack"),
      url: httpUrl.optional(),
      urlEnv: envName.optional(),
      /** Only the built-in channel: a missing variable leaves the channel unconfigured instead of failing. */
      optional: z.boolean().default(false),
    })
    .refine((target) => (target.url === undefined) !== (target.urlEnv === undefined), {
      message: "give the incoming-webhook URL either as url or as urlEnv (the variable holding it)",
    }),
  z.strictObject({ type: z.literal("feed") }),
]);
export type TargetSpec = z.infer<typeof targetSpecSchema>;

/** One channel of a channels file: the deciders' channel (id, name, rules, editorial) and its target. */
export const channelEntrySchema = channelSchema
  .omit({ format: true })
  .extend({ target: targetSpecSchema })
  .strict()
  .transform(({ target, ...channel }) => ({
    channel: { ...channel, format: target.type } satisfies Channel,
    target,
  }));
export type ChannelEntry = z.infer<typeof channelEntrySchema>;

export const channelsFileSchema = z.strictObject({
  channels: z
    .array(channelEntrySchema)
    .min(1, "expected at least one channel")
    .refine(
      (entries) => new Set(entries.map((entry) => entry.channel.id)).size === entries.length,
      "channel ids must be unique",
    ),
});

/** A target with its secrets read from the environment. */
export type ChannelTarget =
  | { type: "webhook"; url: string; secret: string }
  /** url null: not configured; `missing` says what to set. */
  | { type: "slack"; url: string | null; missing: string | null }
  | { type: "feed" };

export interface ConfiguredChannel {
  channel: Channel;
  target: ChannelTarget;
}
