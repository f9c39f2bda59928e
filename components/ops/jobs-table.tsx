// Every job of the queue, newest change first, filtered by status and kind: attempts, when it runs next, its
// last error, and a button to open the trace of the moment it is about.
import type { OpsJob } from "../../server/observability/ops-views";

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

const STATUS_TONE: Record<string, string> = {
  queued: "text-sky-300",
  running: "text-amber-300",
  failed: "text-rose-400",
  done: "text-emerald-300",
};

export function JobsTable({
  jobs,
  onOpenTrace,
}: {
  jobs: OpsJob[];
  onOpenTrace: (momentId: string) => void;
}) {
  if (jobs.length === 0) return <p className="p-3 text-sm text-slate-400">No jobs match these filters.</p>;
  return (
    <table className="w-full table-fixed text-sm" aria-label="Jobs">
      <thead className="sticky top-0 bg-slate-900 text-xs text-slate-400">
        <tr>
          <th scope="col" className="w-20 px-2 py-1 text-left font-normal">
            Job
          </th>
          <th scope="col" className="w-36 px-2 py-1 text-left font-normal">
            Kind
          </th>
          <th scope="col" className="w-20 px-2 py-1 text-left font-normal">
            Status
          </th>
          <th scope="col" className="w-20 px-2 py-1 text-right font-normal">
            Attempts
          </th>
          <th scope="col" className="w-24 px-2 py-1 text-right font-normal">
            Changed
          </th>
          <th scope="col" className="px-2 py-1 text-left font-normal">
            Last error
          </th>
          <th scope="col" className="w-32 px-2 py-1 text-right font-normal">
            Moment
          </th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <tr key={job.id} className="border-t border-slate-800">
            <td className="px-2 py-1 tabular-nums text-slate-300">#{job.id}</td>
            <td className="truncate px-2 py-1 text-slate-200">{job.kind}</td>
            <td className={`px-2 py-1 ${STATUS_TONE[job.status] ?? ""}`}>{job.status}</td>
            <td className="px-2 py-1 text-right tabular-nums">{job.attempts}</td>
            <td className="px-2 py-1 text-right tabular-nums text-slate-400">
              {clock.format(job.updatedAt)}
            </td>
            <td className="truncate px-2 py-1 text-xs text-rose-300" title={job.lastError ?? ""}>
              {job.lastError ?? ""}
            </td>
            <td className="px-2 py-1 text-right">
              {job.momentId ? (
                <button
                  type="button"
                  aria-label={`Open trace of moment ${job.momentId}`}
                  onClick={() => onOpenTrace(job.momentId!)}
                  className="rounded border border-slate-600 px-2 py-0.5 text-xs text-slate-200 hover:border-slate-400"
                >
                  Trace {job.momentId}
                </button>
              ) : (
                <span className="text-xs text-slate-500">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
