// The `deliver-moment` job: an approved moment goes to one channel whose decider accepted it. Enqueued by the
// editor's approval in the transaction that approves (server/channels/deliveries.ts `enqueueDeliveries`);
// handled by server/channels (the delivery to a webhook, Slack or the feed).
import { z } from "zod";
import type { JobSpec } from "./job-spec";

export const deliverMomentPayloadSchema = z.object({
  momentId: z.string().regex(/^\d+$/),
  channelId: z.string().min(1).max(80),
});
export type DeliverMomentPayload = z.infer<typeof deliverMomentPayloadSchema>;

export const deliverMomentJob: JobSpec<DeliverMomentPayload> = {
  kind: "deliver-moment",
  payload: deliverMomentPayloadSchema,
  dedupeKey: (payload) => `deliver-moment:moment:${payload.momentId}:channel:${payload.channelId}`,
  // A channel's endpoint may be down for a while: keep trying for about an hour before the job dies.
  retry: { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 15 * 60_000 },
  concurrency: 4,
  leaseMs: 60_000,
};
