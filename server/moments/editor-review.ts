// Editors' decisions on a moment: approve or reject it (approval queues a delivery to every channel whose
// decider accepted it, in the same transaction), and edit its headline, description or clip points as a new
// complete version beside the agents' text. Each locks the moment row first, so two editors acting at once
// are serialised: the first wins, the second is refused with what happened (MomentConflictError).
import { enqueueDeliveries } from "../channels/deliveries";
import type { Db, Tx } from "../db/client";
import { MomentConflictError, MomentNotFoundError } from "./moment-errors";
import { recordMomentEvent } from "./moment-events";
import { canTransition, isDecided, type MomentStatus } from "./moment-status";
import type { ReviewRequest, VersionRequest } from "./moment-views";

interface LockedMoment {
  status: string;
  version: number;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  headline: string | null;
  description: string | null;
  clip_in: string | null;
  clip_out: string | null;
}

async function lockMoment(tx: Tx, id: bigint): Promise<LockedMoment> {
  const [row] = await tx.$queryRaw<LockedMoment[]>`
    SELECT status, version, reviewed_by, reviewed_at, headline, description, clip_in, clip_out
    FROM moment WHERE id = ${id} FOR UPDATE`;
  if (!row) throw new MomentNotFoundError(id);
  return row;
}

function decidedBy(moment: LockedMoment): string {
  const when = moment.reviewed_at ? ` at ${moment.reviewed_at.toISOString().slice(11, 19)} UTC` : "";
  return `${moment.status} by ${moment.reviewed_by ?? "an editor"}${when}`;
}

function refusal(id: bigint, moment: LockedMoment, to: MomentStatus): string {
  if (isDecided(moment.status)) {
    return `moment ${id} was already ${decidedBy(moment)}; reload it to see the decision`;
  }
  if (moment.status === "new" || moment.status === "interesting") {
    return `moment ${id} is still being ${moment.status === "new" ? "scored" : "described"} by the agents: approve it once it is described, or reject it now`;
  }
  return `moment ${id} cannot go from ${moment.status} to ${to}`;
}

export interface ReviewOutcome {
  status: MomentStatus;
  /** Channels a delivery was queued for (approval only; none yet if the channels have not decided). */
  queuedDeliveries: string[];
  eventId: bigint;
}

export async function reviewMoment(db: Db, id: bigint, request: ReviewRequest): Promise<ReviewOutcome> {
  const to: MomentStatus = request.action === "approve" ? "approved" : "rejected";
  return db.$transaction(async (tx) => {
    const moment = await lockMoment(tx, id);
    if (!canTransition(moment.status, to)) throw new MomentConflictError(refusal(id, moment, to));
    const now = new Date();
    await tx.moment.update({
      where: { id },
      data: {
        status: to,
        reviewedBy: request.editor,
        reviewedAt: now,
        reviewReason: request.reason || null,
        updatedAt: now,
      },
    });
    const queuedDeliveries = to === "approved" ? await enqueueDeliveries(tx, id) : [];
    const eventId = await recordMomentEvent(tx, id, {
      actor: request.editor,
      action: to,
      reason: request.reason || null,
      detail: { from: moment.status, ...(to === "approved" ? { queuedDeliveries } : {}) },
    });
    return { status: to, queuedDeliveries, eventId };
  });
}

export interface EditOutcome {
  version: number;
  changed: string[];
  eventId: bigint;
}

const EDITABLE_FIELDS = ["headline", "description", "clipIn", "clipOut"] as const;

export async function editMoment(db: Db, id: bigint, request: VersionRequest): Promise<EditOutcome> {
  return db.$transaction(async (tx) => {
    const moment = await lockMoment(tx, id);
    if (isDecided(moment.status)) {
      throw new MomentConflictError(
        `moment ${id} was already ${decidedBy(moment)}; a decided moment can no longer be edited`,
      );
    }
    if (request.baseVersion !== undefined && request.baseVersion !== moment.version) {
      const latest = await tx.momentVersion.findUnique({
        where: { momentId_version: { momentId: id, version: moment.version } },
        select: { editor: true },
      });
      throw new MomentConflictError(
        `moment ${id} was edited by ${latest?.editor ?? "another editor"} (version ${moment.version}) after ` +
          `you opened version ${request.baseVersion}; reload it and apply your changes again`,
      );
    }
    const previous =
      moment.version > 0
        ? await tx.momentVersion.findUniqueOrThrow({
            where: { momentId_version: { momentId: id, version: moment.version } },
            select: { headline: true, description: true, clipIn: true, clipOut: true },
          })
        : {
            headline: moment.headline,
            description: moment.description,
            clipIn: moment.clip_in,
            clipOut: moment.clip_out,
          };
    const changed = EDITABLE_FIELDS.filter((field) => (previous[field] ?? null) !== request[field]);
    const version = moment.version + 1;
    const now = new Date();
    await tx.momentVersion.create({
      data: {
        momentId: id,
        version,
        editor: request.editor,
        headline: request.headline,
        description: request.description,
        clipIn: request.clipIn,
        clipOut: request.clipOut,
        note: request.note || null,
        createdAt: now,
      },
    });
    await tx.moment.update({ where: { id }, data: { version, updatedAt: now } });
    const eventId = await recordMomentEvent(tx, id, {
      actor: request.editor,
      action: "edited",
      reason: request.note || (changed.length > 0 ? `changed ${changed.join(", ")}` : "saved unchanged"),
      detail: { version, changed },
    });
    return { version, changed, eventId };
  });
}
