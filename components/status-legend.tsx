// What the peak markers' colours mean: each moment status, and the peaks no moment came from yet.
import { STATUS_LOOK, type MarkerStatus } from "./status-colors";

const SHOWN: MarkerStatus[] = [
  "new",
  "interesting",
  "described",
  "approved",
  "rejected",
  "not_interesting",
  "open",
  "ended",
  "broad",
];

export function StatusLegend() {
  return (
    <ul aria-label="Peak marker colours" className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-400">
      {SHOWN.map((status) => (
        <li key={status} className="flex items-center gap-1.5">
          <span className="h-2.5 w-2.5 rounded-full" style={{ background: STATUS_LOOK[status].color }} />
          {STATUS_LOOK[status].label}
        </li>
      ))}
    </ul>
  );
}
