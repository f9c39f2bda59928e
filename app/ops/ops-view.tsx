"use client";
// The operators' view: per-stage figures over a chosen window, the queue's depth, failed jobs with "Retry",
// deliveries by channel, every job, and a moment's trace waterfall. See use-ops.ts for what refreshes when.
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { ConnectionBadge } from "../../components/connection-badge";
import { DeliveriesTable } from "../../components/ops/deliveries-table";
import { FailedJobs } from "../../components/ops/failed-jobs";
import { JobsTable } from "../../components/ops/jobs-table";
import { formatCount, formatRate, formatUsd } from "../../components/ops/ops-format";
import { QueueTable } from "../../components/ops/queue-table";
import { StageCard } from "../../components/ops/stage-cards";
import { JOB_STATUSES, type OpsWindow } from "../../server/observability/ops-views";
import { TracePanel } from "./trace-panel";
import { useFailedJobs, useJobs, useOpsSummary, useRetryJob, type JobsFilter } from "./use-ops";
import { useMomentChanges } from "./use-moment-changes";

const WINDOWS: { value: OpsWindow; label: string; long: string }[] = [
  { value: "15m", label: "15 min", long: "last 15 minutes" },
  { value: "1h", label: "1 h", long: "last hour" },
  { value: "24h", label: "24 h", long: "last 24 hours" },
];

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="rounded-lg border border-slate-800 bg-slate-900/40 p-3">
      <h2 className="mb-2 font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export function OpsView() {
  const [opsWindow, setOpsWindow] = useState<OpsWindow>("1h");
  const [traceMomentId, setTraceMomentId] = useState<string>();
  const [filter, setFilter] = useState<JobsFilter>({ status: "", kind: "" });
  const connection = useMomentChanges();
  const summary = useOpsSummary(opsWindow);
  const mark = summary.data ? `${summary.data.failedJobs}:${summary.data.lastFailureAt ?? 0}` : undefined;
  const failed = useFailedJobs(mark);
  const jobs = useJobs(filter);
  const retry = useRetryJob();
  const windowLong = WINDOWS.find((option) => option.value === opsWindow)!.long;
  const openTrace = (momentId: string) => {
    setTraceMomentId(momentId);
    requestAnimationFrame(() =>
      document.getElementById("moment-trace")?.scrollIntoView({ behavior: "smooth", block: "start" }),
    );
  };
  const data = summary.data;

  return (
    <main className="mx-auto max-w-[1800px] px-4 py-4 lg:px-8">
      <header className="mb-4 flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">
          <Link href="/" className="hover:opacity-80" aria-label="Peaklight live view">
            Peak<span className="text-amber-400">light</span>
          </Link>
          <span className="ml-3 text-base font-normal text-slate-400">
            Operations: agents, queue, deliveries
          </span>
        </h1>
        <div className="ml-auto flex flex-wrap items-center gap-3">
          <div
            role="radiogroup"
            aria-label="Time window"
            className="flex overflow-hidden rounded border border-slate-700"
          >
            {WINDOWS.map((option) => (
              <button
                key={option.value}
                type="button"
                role="radio"
                aria-checked={opsWindow === option.value}
                aria-label={`Figures over the ${option.long}`}
                onClick={() => setOpsWindow(option.value)}
                className={`px-3 py-1 text-sm ${
                  opsWindow === option.value ? "bg-slate-700 text-white" : "text-slate-300 hover:bg-slate-800"
                }`}
              >
                {option.label}
              </button>
            ))}
          </div>
          <span className="text-xs text-slate-400" aria-live="polite">
            {data ? `Figures at ${clock.format(data.at)} · every 10 s` : ""}
          </span>
          <ConnectionBadge state={connection} subject="Moment changes" />
        </div>
      </header>

      {summary.error && (
        <p role="alert" className="mb-4 rounded border border-rose-700 bg-rose-950 p-3 text-rose-200">
          {summary.error.message}. Is the database up? The figures are read again every 10 seconds.
        </p>
      )}
      {!data && !summary.error && (
        <p role="status" className="p-6 text-slate-400">
          Loading the figures…
        </p>
      )}

      {data && (
        <>
          <p className="mb-2 text-sm text-slate-300" aria-label="Totals">
            Over the {windowLong}: {formatCount(data.totals.runs)} agent runs on{" "}
            {formatCount(data.totals.moments)} moments, {formatCount(data.totals.failures)} failed (
            {formatRate(data.totals.runs > 0 ? data.totals.failures / data.totals.runs : null)}), cost{" "}
            {formatUsd(data.totals.costUsd)}.
          </p>
          <section aria-label="Agent stages" className="mb-4 grid grid-cols-1 gap-3 md:grid-cols-3">
            {data.stages.map((figures) => (
              <StageCard key={figures.stage} figures={figures} windowLabel={windowLong} />
            ))}
          </section>
          <div className="mb-4 grid grid-cols-1 gap-4 xl:grid-cols-[3fr_2fr]">
            <div className="flex flex-col gap-4">
              <Panel title="Queue">
                <QueueTable queue={data.queue} />
              </Panel>
              <Panel title="Deliveries by channel">
                <DeliveriesTable deliveries={data.deliveries} />
              </Panel>
            </div>
            <Panel title={`Failed jobs (${data.failedJobs})`}>
              {failed.error && (
                <p role="alert" className="text-sm text-rose-300">
                  {failed.error.message}
                </p>
              )}
              {retry.error && (
                <p role="alert" className="mb-2 text-sm text-rose-300">
                  {retry.error.message}
                </p>
              )}
              {failed.data ? (
                <div className="max-h-80 overflow-y-auto">
                  <FailedJobs
                    jobs={failed.data.jobs}
                    retrying={retry.isPending ? retry.variables : undefined}
                    onRetry={(jobId) => retry.mutate(jobId)}
                    onOpenTrace={openTrace}
                  />
                </div>
              ) : (
                !failed.error && (
                  <p role="status" className="text-sm text-slate-400">
                    Loading failed jobs…
                  </p>
                )
              )}
            </Panel>
          </div>
        </>
      )}

      <div id="moment-trace" className="mb-4 scroll-mt-4">
        <TracePanel momentId={traceMomentId} onOpen={openTrace} />
      </div>

      <section aria-label="Jobs" className="rounded-lg border border-slate-800 bg-slate-900/40 p-3">
        <header className="mb-2 flex flex-wrap items-center gap-3">
          <h2 className="font-semibold">Jobs</h2>
          <label className="flex items-center gap-2 text-sm text-slate-300">
            Status
            <select
              aria-label="Job status"
              value={filter.status}
              onChange={(event) =>
                setFilter({ ...filter, status: event.target.value as JobsFilter["status"] })
              }
              className="rounded border border-slate-700 bg-slate-900 px-2 py-1"
            >
              <option value="">any</option>
              {JOB_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-300">
            Kind
            <select
              aria-label="Job kind"
              value={filter.kind}
              onChange={(event) => setFilter({ ...filter, kind: event.target.value })}
              className="rounded border border-slate-700 bg-slate-900 px-2 py-1"
            >
              <option value="">any</option>
              {(data?.queue ?? []).map((row) => (
                <option key={row.kind} value={row.kind}>
                  {row.kind}
                </option>
              ))}
            </select>
          </label>
          <span className="text-xs text-slate-500">
            latest 50, newest change first; updated as moments change
          </span>
          <button
            type="button"
            onClick={() => void jobs.refetch()}
            className="ml-auto rounded border border-slate-600 px-2 py-1 text-xs text-slate-200 hover:border-slate-400"
          >
            Refresh jobs
          </button>
        </header>
        {jobs.error && (
          <p role="alert" className="text-sm text-rose-300">
            {jobs.error.message}
          </p>
        )}
        {jobs.data ? (
          <div className="max-h-[28rem] overflow-y-auto">
            <JobsTable jobs={jobs.data.jobs} onOpenTrace={openTrace} />
          </div>
        ) : (
          !jobs.error && (
            <p role="status" className="text-sm text-slate-400">
              Loading jobs…
            </p>
          )
        )}
      </section>
    </main>
  );
}
