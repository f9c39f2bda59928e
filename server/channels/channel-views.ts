// What the channel routes read: each configured channel with its rules and delivery counts by status (for
// operators, GET /api/channels), and a feed channel's delivered items, newest first (GET
// /api/channels/[id]/feed). Targets are shown by kind and host only: URLs and secrets stay server-side.
import { z } from "zod";
import type { Db } from "../db/client";
import type { ChannelRules } from "../agents/channels/channel-config";
import type { ConfiguredChannel } from "./channel-targets";

export const DELIVERY_STATUSES = ["queued", "sent", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface ChannelOverview {
  id: string;
  name: string;
  format: "slack" | "webhook" | "feed";
  target: {
    type: "slack" | "webhook" | "feed";
    host: string | null;
    configured: boolean;
    problem: string | null;
  };
  rules: ChannelRules;
  editorial: string | null;
  deliveries: Record<DeliveryStatus, number>;
}

function targetView(target: ConfiguredChannel["target"]): ChannelOverview["target"] {
  switch (target.type) {
    case "feed":
      return { type: "feed", host: null, configured: true, problem: null };
    case "webhook":
      return { type: "webhook", host: new URL(target.url).host, configured: true, problem: null };
    case "slack":
      return target.url
        ? { type: "slack", host: new URL(target.url).host, configured: true, problem: null }
        : { type: "slack", host: null, configured: false, problem: target.missing };
  }
}

export async function readChannelOverview(
  db: Db,
  channels: readonly ConfiguredChannel[],
): Promise<ChannelOverview[]> {
  const counts = await db.channelDelivery.groupBy({ by: ["channelId", "status"], _count: { _all: true } });
  return channels.map(({ channel, target }) => {
    const deliveries = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as Record<
      DeliveryStatus,
      number
    >;
    for (const row of counts) {
      if (row.channelId === channel.id && (DELIVERY_STATUSES as readonly string[]).includes(row.status)) {
        deliveries[row.status as DeliveryStatus] = row._count._all;
      }
    }
    return {
      id: channel.id,
      name: channel.name,
      format: channel.format,
      target: targetView(target),
      rules: channel.rules,
      editorial: channel.editorial,
      deliveries,
    };
  });
}

/** GET /api/channels/[id]/feed query. */
export const feedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface FeedEntry {
  momentId: string;
  deliveredAt: string;
  /** The feed item as the channel decider formatted it (server/agents/channels/channel-format.ts FeedItem). */
  item: Record<string, unknown>;
}

const storedFeedPayload = z.object({ format: z.literal("feed"), item: z.record(z.string(), z.unknown()) });

/** A feed channel's delivered moments, newest delivery first. */
export async function readFeed(db: Db, channelId: string, limit: number): Promise<FeedEntry[]> {
  const rows = await db.channelDelivery.findMany({
    where: { channelId, status: "sent" },
    orderBy: [{ sentAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { momentId: true, sentAt: true, payload: true },
  });
  return rows.flatMap((row) => {
    const payload = storedFeedPayload.safeParse(row.payload);
    if (!payload.success) return [];
    return [
      {
        momentId: row.momentId.toString(),
        deliveredAt: (row.sentAt ?? new Date(0)).toISOString(),
        item: payload.data.item,
      },
    ];
  });
}
