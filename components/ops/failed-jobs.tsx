// Failed (dead) jobs, latest first: kind, attempts, when it failed and its last error, a "Retry" button
// (one more attempt, at once) and, when the job is about a moment, a button that opens its trace.
import type { OpsJob } from "../../server/observability/ops-views";

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

export interface FailedJobsProps {
  jobs: OpsJob[];
  /** The job a retry is on its way for. */
  retrying: string | undefined;
  onRetry: (jobId: string) => void;
  onOpenTrace: (momentId: string) => void;
}

export function FailedJobs({ jobs, retrying, onRetry, onOpenTrace }: FailedJobsProps) {
  if (jobs.length === 0) {
    return <p className="p-3 text-sm text-slate-400">No failed jobs: every job ran or is still trying.</p>;
  }
  return (
    <ul aria-label="Failed jobs" className="divide-y divide-slate-800">
      {jobs.map((job) => (
        <li key={job.id} className="flex items-start gap-3 px-2 py-2" aria-label={`Failed job ${job.id}`}>
          <div className="min-w-0 flex-1">
            <p className="text-sm text-slate-200">
              <span className="font-medium">{job.kind}</span>{" "}
              <span className="text-slate-400">
                #{job.id} · {job.attempts} attempt{job.attempts === 1 ? "" : "s"} · failed{" "}
                {clock.format(job.updatedAt)}
                {job.momentId && ` · moment ${job.momentId}`}
              </span>
            </p>
            <p className="mt-0.5 line-clamp-2 text-xs break-words text-rose-300" title={job.lastError ?? ""}>
              {job.lastError ?? "no error recorded"}
            </p>
          </div>
          <div className="flex shrink-0 gap-2">
            {job.momentId && (
              <button
                type="button"
                aria-label={`Open trace of moment ${job.momentId}`}
                onClick={() => onOpenTrace(job.momentId!)}
                className="rounded border border-slate-600 px-2 py-1 text-xs text-slate-200 hover:border-slate-400"
              >
                Trace
              </button>
            )}
            <button
              type="button"
              aria-label={`Retry job ${job.id}`}
              disabled={retrying === job.id}
              onClick={() => onRetry(job.id)}
              className="rounded border border-amber-500/70 px-2 py-1 text-xs text-amber-200 hover:bg-amber-500/10 disabled:opacity-50"
            >
              {retrying === job.id ? "Retrying…" : "Retry"}
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
