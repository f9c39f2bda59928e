// Shows whether a live feed is connected, so an editor knows the chart or inbox is current.
export type ConnectionState = "connecting" | "live" | "reconnecting";

const LOOK: Record<ConnectionState, { label: string; dot: string }> = {
  connecting: { label: "Connecting…", dot: "bg-amber-400" },
  live: { label: "Live", dot: "bg-emerald-400 animate-pulse" },
  reconnecting: { label: "Reconnecting — catching up when back", dot: "bg-rose-500" },
};

/** `subject` names the feed when a page shows more than one (the traffic's is the "Live connection"). */
export function ConnectionBadge({
  state,
  subject = "Live connection",
}: {
  state: ConnectionState;
  subject?: string;
}) {
  const look = LOOK[state];
  return (
    <span
      role="status"
      aria-label={`${subject}: ${look.label}`}
      data-state={state}
      className="inline-flex items-center gap-2 rounded-full border border-slate-700 px-3 py-1 text-sm text-slate-200"
    >
      <span className={`h-2.5 w-2.5 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}
