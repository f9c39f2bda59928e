// Deliveries to channels by status (queued, sent, failed), per channel, all time: a delivery row is per
// moment and channel and changes status in place.
import type { Db } from "../db/client";
import type { DeliveryCount } from "./ops-views";

export async function readDeliveryCounts(db: Db): Promise<DeliveryCount[]> {
  const rows = await db.$queryRaw<
    { channel_id: string; queued: number; sent: number; failed: number; last_at: Date | null }[]
  >`
    SELECT channel_id,
           count(*) FILTER (WHERE status = 'queued')::int AS queued,
           count(*) FILTER (WHERE status = 'sent')::int AS sent,
           count(*) FILTER (WHERE status = 'failed')::int AS failed,
           max(updated_at) AS last_at
    FROM channel_delivery GROUP BY channel_id ORDER BY channel_id`;
  return rows.map((row) => ({
    channelId: row.channel_id,
    queued: row.queued,
    sent: row.sent,
    failed: row.failed,
    lastAt: row.last_at?.getTime() ?? null,
  }));
}
