// Deliveries of approved moments: one row per channel whose decider said send, written with its job in the
// transaction that approves the moment, so an approval is never lost or delivered twice. The payload is what
// the decider formatted, with the editor's latest version applied when there is one.
import type { Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { applyEditorVersion } from "./editor-version";
import { enqueueJob } from "../queue/job-spec";
import { deliverMomentJob } from "../queue/deliver-moment-job";

/** Queues the moment for every channel that accepted it; returns the channel ids. Idempotent. */
export async function enqueueDeliveries(tx: Tx, momentId: bigint): Promise<string[]> {
  const accepted = await tx.channelDecision.findMany({
    where: { momentId, decision: "send" },
    select: { channelId: true, payload: true },
    orderBy: { priority: "asc" },
  });
  if (accepted.length === 0) return [];
  const moment = await tx.moment.findUniqueOrThrow({
    where: { id: momentId },
    select: { sport: true, version: true },
  });
  const edit =
    moment.version > 0
      ? await tx.momentVersion.findUnique({
          where: { momentId_version: { momentId, version: moment.version } },
        })
      : null;
  for (const decision of accepted) {
    const payload = edit
      ? (applyEditorVersion(decision.payload, edit, moment.sport) as Prisma.InputJsonValue)
      : (decision.payload ?? {});
    await tx.channelDelivery.upsert({
      where: { momentId_channelId: { momentId, channelId: decision.channelId } },
      create: { momentId, channelId: decision.channelId, payload },
      update: {},
    });
    await enqueueJob(tx, deliverMomentJob, { momentId: momentId.toString(), channelId: decision.channelId });
  }
  return accepted.map((decision) => decision.channelId);
}
