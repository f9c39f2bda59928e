// One colour per status of what a peak marker stands for, the same in every chart and panel. Today markers
// carry the anomaly's status; every moment status (server/moments/moment-status.ts) has its look here too,
// so the inbox and peak panel use this one map.
import type { MomentStatus } from "../server/moments/moment-status";

/** Statuses of an anomaly row (server/detect): open, ended, or part of a country-wide surge. */
type AnomalyStatus = "open" | "ended" | "broad";
export type MarkerStatus = AnomalyStatus | MomentStatus;

export const STATUS_LOOK: Record<MarkerStatus, { label: string; color: string }> = {
  open: { label: "Peak in progress", color: "#fbbf24" },
  ended: { label: "Peak ended", color: "#f97316" },
  broad: { label: "Country-wide surge (not a moment)", color: "#64748b" },
  new: { label: "New moment", color: "#facc15" },
  interesting: { label: "Interesting", color: "#38bdf8" },
  described: { label: "Described", color: "#a78bfa" },
  approved: { label: "Approved", color: "#22c55e" },
  rejected: { label: "Rejected", color: "#ef4444" },
  not_interesting: { label: "Not interesting", color: "#475569" },
};

export function isMarkerStatus(status: string): status is MarkerStatus {
  return Object.hasOwn(STATUS_LOOK, status);
}

/** The look of a status; an unknown one (a newer server) is drawn neutral rather than failing. */
export function statusLook(status: string): { label: string; color: string } {
  return isMarkerStatus(status) ? STATUS_LOOK[status] : { label: status, color: "#94a3b8" };
}
