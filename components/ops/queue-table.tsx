// Depth of the agent queue per job kind: queued (and how many are due now), running (and past their lease),
// failed (dead) and done, with the age of the oldest queued job.
import type { QueueDepth } from "../../server/observability/ops-views";
import { formatCount, formatMs } from "./ops-format";

const cell = "px-2 py-1 text-right tabular-nums";

export function QueueTable({ queue }: { queue: QueueDepth[] }) {
  if (queue.length === 0) {
    return <p className="p-3 text-sm text-slate-400">The queue is empty: no job has been enqueued yet.</p>;
  }
  return (
    <table className="w-full text-sm" aria-label="Queue depth by job kind">
      <thead className="text-xs text-slate-400">
        <tr>
          <th scope="col" className="px-2 py-1 text-left font-normal">
            Kind
          </th>
          <th scope="col" className={`${cell} font-normal`}>
            Queued (due)
          </th>
          <th scope="col" className={`${cell} font-normal`}>
            Oldest queued
          </th>
          <th scope="col" className={`${cell} font-normal`}>
            Running
          </th>
          <th scope="col" className={`${cell} font-normal`}>
            Failed
          </th>
          <th scope="col" className={`${cell} font-normal`}>
            Done
          </th>
        </tr>
      </thead>
      <tbody>
        {queue.map((row) => (
          <tr key={row.kind} className="border-t border-slate-800">
            <th scope="row" className="px-2 py-1 text-left font-normal text-slate-200">
              {row.kind}
            </th>
            <td className={cell}>
              {formatCount(row.queued)}
              {row.queued > 0 && <span className="text-slate-400"> ({formatCount(row.due)})</span>}
            </td>
            <td className={`${cell} ${(row.oldestQueuedAgeMs ?? 0) > 5 * 60_000 ? "text-amber-300" : ""}`}>
              {formatMs(row.oldestQueuedAgeMs)}
            </td>
            <td className={cell}>
              {formatCount(row.running)}
              {row.leaseExpired > 0 && (
                <span className="text-amber-300" title="running past its lease: the worker died or hangs">
                  {" "}
                  ({row.leaseExpired} stale)
                </span>
              )}
            </td>
            <td className={`${cell} ${row.failed > 0 ? "text-rose-400" : ""}`}>{formatCount(row.failed)}</td>
            <td className={`${cell} text-slate-400`}>{formatCount(row.done)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
