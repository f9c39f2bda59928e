// The one place a moment's status transitions are defined: scored (interesting or not), described, then an
// editor's approval or rejection. Stages and the editors' review check here before they write.
export const MOMENT_STATUSES = [
  "new",
  "interesting",
  "not_interesting",
  "described",
  "approved",
  "rejected",
] as const;
export type MomentStatus = (typeof MOMENT_STATUSES)[number];

// What editors may do, and why:
// - approve once there is something to publish: a described moment, or one the scorer dismissed (an editor
//   may overrule the scorer). A moment still being scored or described cannot be approved yet: the editor
//   would publish text nobody has read.
// - reject at any point before a decision, even while the agents still work on it (an editor who recognises
//   a push notification or a bot burst should not have to wait for the description). The stages then leave
//   the moment alone (they only write a moment still in the status they wait for).
// - approved and rejected are final: no second decision, no edits.
const NEXT: Record<MomentStatus, readonly MomentStatus[]> = {
  new: ["interesting", "not_interesting", "rejected"],
  interesting: ["described", "rejected"],
  not_interesting: ["approved", "rejected"],
  described: ["approved", "rejected"],
  approved: [],
  rejected: [],
};

export function isMomentStatus(value: string): value is MomentStatus {
  return (MOMENT_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: string, to: MomentStatus): boolean {
  return isMomentStatus(from) && NEXT[from].includes(to);
}

/** An editor's decision is final: no further transition and no edit once a moment is approved or rejected. */
export function isDecided(status: string): boolean {
  return status === "approved" || status === "rejected";
}

export class MomentTransitionError extends Error {
  override name = "MomentTransitionError";
  constructor(momentId: bigint | string, from: string, to: MomentStatus) {
    super(`moment ${momentId} cannot go from ${from} to ${to}`);
  }
}

export function assertTransition(momentId: bigint | string, from: string, to: MomentStatus): void {
  if (!canTransition(from, to)) throw new MomentTransitionError(momentId, from, to);
}
