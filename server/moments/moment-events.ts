// The audit trail of a moment, and its announcement: every change to a moment records one moment_event and
// NOTIFYs peaklight_moments, in the transaction that made the change. The live stream resumes after an event
// id, so ids must be handed out in commit order (a sequence alone does not: a transaction holding id 10 may
// commit after one holding id 11, and a reader that saw 11 would skip 10 for ever). A transaction-scoped
// advisory lock taken right before the insert and held until commit makes them so; call this last in the
// transaction (after every row lock it takes), so the lock is held only for the commit.
import type { Tx } from "../db/client";
import { Prisma } from "../db/generated/client";
import { MOMENT_CHANNEL } from "./moment-channel";

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

/**
 * CTEs that record `event` for each moment a CTE of the same statement, `source`, returns (its column `id`),
 * e.g. one that inserted or updated the moment; the statement must read `event_notified` (`id` of the event,
 * `moment_id`), or nothing is recorded. The lock is taken per row of `source`, so after that CTE's row locks
 * (make `source` depend on every other write the statement makes, so the lock comes last), and the insert
 * reads from the lock, so its id is drawn only once the lock is held.
 */
export function momentEventCtes(source: string, event: MomentEventInput): Prisma.Sql {
  const from = Prisma.raw(source);
  return Prisma.sql`
    event_locked AS (
      SELECT ${from}.id AS moment_id, pg_advisory_xact_lock(${Prisma.raw(String(MOMENT_EVENT_LOCK))})::text
      FROM ${from}),
    event_recorded AS (
      INSERT INTO moment_event (moment_id, actor, action, reason, detail)
      SELECT moment_id, ${event.actor}, ${event.action}, ${event.reason ?? null},
             ${event.detail === undefined ? null : JSON.stringify(event.detail)}::jsonb
      FROM event_locked
      RETURNING id, moment_id),
    event_notified AS (
      SELECT event_recorded.id, event_recorded.moment_id FROM event_recorded
      CROSS JOIN LATERAL (SELECT pg_notify(${MOMENT_CHANNEL}, event_recorded.moment_id::text)) AS notified)`;
}

/** Records the change and notifies, in one statement; returns the event id (what a live client resumes after). */
export async function recordMomentEvent(tx: Tx, momentId: bigint, event: MomentEventInput): Promise<bigint> {
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    WITH event_moment AS (SELECT ${momentId}::bigint AS id), ${momentEventCtes("event_moment", event)}
    SELECT id FROM event_notified`;
  return rows[0]!.id;
}
