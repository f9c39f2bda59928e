// Pure patching of a moment inbox (one page of GET /api/moments) with a moment that changed: a live event or
// an editor's optimistic update. Says when the counts can no longer be known locally, so the caller re-reads.
import type { MomentStatus } from "../server/moments/moment-status";
import type { MomentInbox, MomentSummary } from "../server/moments/moment-views";

/** The filters of one inbox page, as sent to GET /api/moments. */
export interface InboxFilter {
  country: string;
  sport?: string;
  status?: MomentStatus;
  from?: number;
  to?: number;
  limit: number;
}

/** Whether a moment belongs to the filtered inbox; `status` is left out for the counts, which span statuses. */
export function matchesFilter(moment: MomentSummary, filter: InboxFilter, withStatus = true): boolean {
  if (moment.country !== filter.country && !moment.countries.includes(filter.country)) return false;
  if (filter.sport && moment.sport !== filter.sport) return false;
  if (filter.from !== undefined && moment.peakAt < filter.from) return false;
  if (filter.to !== undefined && moment.peakAt >= filter.to) return false;
  return !withStatus || !filter.status || moment.status === filter.status;
}

/** Newest peak first; ids (decimal bigints) break ties, newest first. */
export function newestFirst(a: MomentSummary, b: MomentSummary): number {
  if (a.peakAt !== b.peakAt) return b.peakAt - a.peakAt;
  if (a.id.length !== b.id.length) return b.id.length - a.id.length;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export interface PatchedInbox {
  inbox: MomentInbox;
  /** False when the counts may be off (a moment not on this page changed): re-read the inbox. */
  countsExact: boolean;
}

export function patchInbox(inbox: MomentInbox, moment: MomentSummary, filter: InboxFilter): PatchedInbox {
  const existing = inbox.moments.find((row) => row.id === moment.id);
  if (existing && existing.updatedAt > moment.updatedAt) return { inbox, countsExact: true }; // stale event
  const inBase = matchesFilter(moment, filter, false);
  if (!existing && !inBase) return { inbox, countsExact: true };

  const counts = { ...inbox.counts };
  let countsExact = true;
  if (existing) {
    counts[existing.status] = Math.max(0, (counts[existing.status] ?? 0) - 1);
    if (inBase) counts[moment.status] = (counts[moment.status] ?? 0) + 1;
  } else if (filter.status || inbox.moments.length >= filter.limit) {
    // It may have been counted under its previous status, which this page does not hold.
    countsExact = false;
  } else {
    counts[moment.status] = (counts[moment.status] ?? 0) + 1;
  }

  let moments = inbox.moments.filter((row) => row.id !== moment.id);
  if (matchesFilter(moment, filter)) {
    moments = [...moments, moment].sort(newestFirst).slice(0, filter.limit);
  }
  return { inbox: { moments, counts }, countsExact };
}
