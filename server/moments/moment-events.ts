// The audit trail of a moment, and its announcement: every change to a moment records one moment_event and
// NOTIFYs peaklight_moments, in the transaction that made the change. The live stream resumes after an event
// id, so ids must be handed out in commit order (a sequence alone does not: a transaction holding id 10 may
// commit after one holding id 11, and a reader that saw 11 would skip 10 for ever). A transaction-scoped
// advisory lock taken right before the insert and held until commit makes them so; call this last in the
// transaction (after every row lock it takes), so the lock is held only for the commit.
import type { Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { notifyMomentChanged } from "./moment-channel";

export const MOMENT_EVENT_ACTIONS = [
  "opened",
  "scored",
  "described",
  "routed",
  "approved",
  "rejected",
  "edited",
  "delivered",
  "delivery_failed",
] as const;
export type MomentEventAction = (typeof MOMENT_EVENT_ACTIONS)[number];

export interface MomentEventInput {
  /** An editor's name, `agent:<stage>` or `channel:<id>`. */
  actor: string;
  action: MomentEventAction;
  reason?: string | null;
  detail?: Prisma.InputJsonValue;
}

/** Serialises moment_event inserts until commit (see above). Any constant unique to this use. */
const MOMENT_EVENT_LOCK = 7_240_513_001;

/** Records the change and notifies; returns the event id (what a live client resumes after). */
export async function recordMomentEvent(tx: Tx, momentId: bigint, event: MomentEventInput): Promise<bigint> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${MOMENT_EVENT_LOCK})`);
  const row = await tx.momentEvent.create({
    data: {
      momentId,
      actor: event.actor,
      action: event.action,
      reason: event.reason ?? null,
      detail: event.detail,
    },
    select: { id: true },
  });
  await notifyMomentChanged(tx, momentId);
  return row.id;
}
