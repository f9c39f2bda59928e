// Deliveries of approved moments: one row per channel whose decider said send, written with its job in the
// transaction that approves the moment, so an approval is never lost or delivered twice.
import type { Tx } from "../db/client";
import { enqueueJob } from "../queue/job-spec";
import { deliverMomentJob } from "../queue/deliver-moment-job";

/** Queues the moment for every channel that accepted it; returns the channel ids. Idempotent. */
export async function enqueueDeliveries(tx: Tx, momentId: bigint): Promise<string[]> {
  const accepted = await tx.channelDecision.findMany({
    where: { momentId, decision: "send" },
    select: { channelId: true, payload: true },
    orderBy: { priority: "asc" },
  });
  for (const decision of accepted) {
    await tx.channelDelivery.upsert({
      where: { momentId_channelId: { momentId, channelId: decision.channelId } },
      create: { momentId, channelId: decision.channelId, payload: decision.payload ?? {} },
      update: {},
    });
    await enqueueJob(tx, deliverMomentJob, { momentId: momentId.toString(), channelId: decision.channelId });
  }
  return accepted.map((decision) => decision.channelId);
}
