// The one place a moment's status transitions are defined: scored (interesting or not), described, then an
// editor's approval or rejection. Stages check here before they write.
export const MOMENT_STATUSES = [
  "new",
  "interesting",
  "not_interesting",
  "described",
  "approved",
  "rejected",
] as const;
export type MomentStatus = (typeof MOMENT_STATUSES)[number];

const NEXT: Record<MomentStatus, readonly MomentStatus[]> = {
  new: ["interesting", "not_interesting"],
  interesting: ["described"],
  // An editor may still publish what the scorer dismissed, or confirm the dismissal.
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

export class MomentTransitionError extends Error {
  override name = "MomentTransitionError";
  constructor(momentId: bigint | string, from: string, to: MomentStatus) {
    super(`moment ${momentId} cannot go from ${from} to ${to}`);
  }
}

export function assertTransition(momentId: bigint | string, from: string, to: MomentStatus): void {
  if (!canTransition(from, to)) throw new MomentTransitionError(momentId, from, to);
}
