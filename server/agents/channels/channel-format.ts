// A moment formatted for each kind of channel: a Slack message (Block Kit, mrkdwn-escaped), a signed JSON
// webhook delivery, or a feed item. Every format says when the text was not written by a model.
import type { Channel, ChannelMoment } from "./channel-config";
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "./webhook-signature";

export const OFFLINE_NOTICE =
  "Written by Peaklight's offline composer from play-by-play and archive data, not by a model.";

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

export interface WebhookDelivery {
  body: string;
  headers: Record<string, string>;
}

export interface FeedItem {
  id: string;
  channelId: string;
  title: string;
  summary: string;
  story: { text: string; citations: string[] };
  publishedAt: string;
  sport: string;
  countries: string[];
  athletes: string[];
  event: string | null;
  clip: { sessionId: string; in: string; out: string } | null;
  interestScore: number;
  generatedBy: ChannelMoment["generatedBy"];
}

export type ChannelPayload =
  | { format: "slack"; message: SlackMessage }
  | { format: "webhook"; delivery: WebhookDelivery }
  | { format: "feed"; item: FeedItem };

/** Slack mrkdwn treats &, < and > as control characters (<!channel>, links): escape them in all our text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function feedItemOf(channel: Channel, moment: ChannelMoment, markets: string[]): FeedItem {
  const { summary } = moment;
  return {
    id: moment.key,
    channelId: channel.id,
    title: summary.headline,
    summary: summary.description,
    story: summary.story,
    publishedAt: new Date(moment.peakAt).toISOString(),
    sport: moment.sport,
    countries: markets,
    athletes: summary.tags.athletes,
    event: summary.tags.event,
    clip: summary.clip
      ? { sessionId: summary.clip.sessionId, in: summary.clip.in, out: summary.clip.out }
      : null,
    interestScore: moment.interest.score,
    generatedBy: moment.generatedBy,
  };
}

export function slackMessageOf(moment: ChannelMoment, markets: string[]): SlackMessage {
  const { summary } = moment;
  const uplift = moment.markets
    .filter((market) => markets.includes(market.country))
    .map((market) => `${market.country} +${Math.round(market.upliftPct)}%`)
    .join(", ");
  const context = [
    `*${escapeSlack(moment.sport)}*`,
    summary.tags.event ? escapeSlack(summary.tags.event) : null,
    uplift ? escapeSlack(uplift) : null,
    `interest ${moment.interest.score.toFixed(2)}`,
  ].filter((part): part is string => part !== null);
  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: summary.headline.slice(0, 150) } },
    { type: "section", text: { type: "mrkdwn", text: escapeSlack(summary.description) } },
    { type: "context", elements: [{ type: "mrkdwn", text: context.join(" · ") }] },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text:
          `_${escapeSlack(summary.story.text)}_` +
          (summary.story.citations.length > 0
            ? `\nSources: ${summary.story.citations.map(escapeSlack).join(", ")}`
            : ""),
      },
    },
  ];
  if (summary.clip) {
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: escapeSlack(
            `Clip ${summary.clip.in}-${summary.clip.out} (${summary.clip.sessionId}): ${summary.clip.reason}`,
          ),
        },
      ],
    });
  }
  if (moment.generatedBy === "offline") {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `:robot_face: ${OFFLINE_NOTICE}` }] });
  }
  // The top-level text (notifications, fallback) is mrkdwn too; the plain_text header is never parsed.
  return { text: escapeSlack(`${summary.headline} (${moment.sport})`), blocks };
}

/**
 * The JSON a webhook channel receives. Signed here only when a secret is given: a delivery is re-signed when
 * it is sent (server/channels/channel-sender.ts), with that moment's timestamp and the channel's own secret,
 * because approval may come long after the decision and receivers reject stale timestamps.
 */
export function webhookDeliveryOf(
  channel: Channel,
  moment: ChannelMoment,
  markets: string[],
  options: { secret?: string; nowMs: number },
): WebhookDelivery {
  const body = JSON.stringify({
    type: "peaklight.moment",
    version: 1,
    sentAt: new Date(options.nowMs).toISOString(),
    moment: {
      ...feedItemOf(channel, moment, markets),
      markets: moment.markets.filter((market) => markets.includes(market.country)),
      interest: moment.interest,
      clip: moment.summary.clip,
    },
  });
  return { body, headers: signedHeaders(body, options.secret, options.nowMs) };
}

/** The headers of a webhook POST: content type, and the timestamp and signature when a secret is given. */
export function signedHeaders(
  body: string,
  secret: string | undefined,
  nowMs: number,
): Record<string, string> {
  if (!secret) return { "content-type": "application/json" };
  const timestamp = Math.floor(nowMs / 1_000);
  return {
    "content-type": "application/json",
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
  };
}

export function formatForChannel(
  channel: Channel,
  moment: ChannelMoment,
  markets: string[],
  options: { nowMs: number; webhookSecret?: string },
): ChannelPayload {
  switch (channel.format) {
    case "slack":
      return { format: "slack", message: slackMessageOf(moment, markets) };
    case "feed":
      return { format: "feed", item: feedItemOf(channel, moment, markets) };
    case "webhook":
      return {
        format: "webhook",
        delivery: webhookDeliveryOf(channel, moment, markets, {
          secret: options.webhookSecret,
          nowMs: options.nowMs,
        }),
      };
  }
}
