// A moment's agent runs as a waterfall: one row per stage attempt, a bar from its start to its end on a
// shared time axis (failed runs in red), and under each the turns with their tool calls, tokens and errors.
import type { MomentTrace, TraceRun } from "../../server/observability/ops-views";
import { formatCount, formatMs, formatUsd } from "./ops-format";
import { placeBar, waterfallAxis, type WaterfallAxis } from "./waterfall-layout";

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

const STAGE_COLOR: Record<string, string> = {
  score: "bg-sky-500",
  describe: "bg-violet-500",
  decide: "bg-teal-500",
};

function RunRow({ run, axis }: { run: TraceRun; axis: WaterfallAxis }) {
  const failed = run.outcome !== "ok";
  const bar = placeBar(axis, run);
  const toolCalls = run.turns.flatMap((turn) => turn.toolCalls);
  return (
    <li
      aria-label={`${run.stage} attempt ${run.attempt}: ${run.outcome}`}
      data-outcome={run.outcome}
      className="border-t border-slate-800 py-2"
    >
      <div className="grid grid-cols-[13rem_1fr_6rem] items-center gap-3">
        <div className="min-w-0 text-sm">
          <span className="font-medium text-slate-100">{run.stage}</span>
          <span className="text-slate-400"> · attempt {run.attempt}</span>
          <span className={`ml-2 text-xs ${failed ? "text-rose-400" : "text-emerald-300"}`}>
            {run.outcome}
          </span>
          <p className="truncate text-xs text-slate-500" title={run.modelId ?? ""}>
            {run.agent} · {run.generatedBy ?? "rules only"}
            {run.modelId && ` · ${run.modelId}`}
          </p>
        </div>
        <div className="relative h-5 rounded bg-slate-800/60">
          <div
            className={`absolute top-0.5 h-4 rounded ${failed ? "bg-rose-500" : (STAGE_COLOR[run.stage] ?? "bg-slate-400")}`}
            style={{ left: `${bar.leftPct}%`, width: `${bar.widthPct}%` }}
            title={`${clock.format(run.startMs)} – ${clock.format(run.endMs)}`}
          />
        </div>
        <div className="text-right text-sm tabular-nums text-slate-200">{formatMs(run.durationMs)}</div>
      </div>
      <div className="mt-1 ml-[13.75rem] text-xs text-slate-400">
        <p>
          {run.turns.length} turn{run.turns.length === 1 ? "" : "s"} · {toolCalls.length} tool call
          {toolCalls.length === 1 ? "" : "s"} · tokens {formatCount(run.inputTokens)} in /{" "}
          {formatCount(run.outputTokens)} out · cost {formatUsd(run.costUsd)}
          {run.traceOutcome && run.traceOutcome !== run.outcome && ` · agent outcome ${run.traceOutcome}`}
        </p>
        {toolCalls.length > 0 && (
          <ul
            aria-label={`Tool calls of ${run.stage} attempt ${run.attempt}`}
            className="mt-1 flex flex-wrap gap-1"
          >
            {run.turns.flatMap((turn) =>
              turn.toolCalls.map((call, index) => (
                <li
                  key={`${turn.channelId ?? ""}-${turn.index}-${index}`}
                  className={`rounded border px-1.5 py-0.5 ${
                    call.ok ? "border-slate-700 text-slate-300" : "border-rose-700 text-rose-300"
                  }`}
                  title={call.error ?? undefined}
                >
                  {turn.channelId && `${turn.channelId}: `}
                  {call.name}
                  {!call.allowed && " (not allowed)"} · {formatMs(call.latencyMs)}
                  {call.resultItems !== null && ` · ${call.resultItems} items`}
                  {call.error && ` · ${call.error}`}
                </li>
              )),
            )}
          </ul>
        )}
        {run.turns
          .filter((turn) => turn.validationError)
          .map((turn) => (
            <p key={`v-${turn.channelId ?? ""}-${turn.index}`} className="mt-1 text-rose-300">
              Turn {turn.index + 1}: invalid output — {turn.validationError}
            </p>
          ))}
        {run.error && (
          <p role="alert" className="mt-1 break-words text-rose-400">
            {run.error}
          </p>
        )}
      </div>
    </li>
  );
}

export function TraceWaterfall({ trace }: { trace: MomentTrace }) {
  const axis = waterfallAxis(trace.runs);
  return (
    <div>
      <p className="mb-2 text-sm text-slate-300">
        <span className="font-medium text-slate-100">Moment {trace.momentId}</span> · {trace.sport} ·{" "}
        {trace.country} · {trace.status}
        {trace.headline && <span className="text-slate-400"> · {trace.headline}</span>}
      </p>
      {!axis ? (
        <p className="text-sm text-slate-400">No agent has run on this moment yet.</p>
      ) : (
        <>
          <div className="grid grid-cols-[13rem_1fr_6rem] gap-3 text-xs text-slate-500" aria-hidden>
            <span>{clock.format(axis.fromMs)}</span>
            <div className="relative h-4">
              {axis.ticks.map((tick) => (
                <span
                  key={tick.offsetMs}
                  className="absolute -translate-x-1/2 whitespace-nowrap"
                  style={{ left: `${tick.leftPct}%` }}
                >
                  +{formatMs(tick.offsetMs)}
                </span>
              ))}
            </div>
            <span className="text-right">duration</span>
          </div>
          <ol aria-label={`Agent runs of moment ${trace.momentId}`}>
            {trace.runs.map((run) => (
              <RunRow key={run.id} run={run} axis={axis} />
            ))}
          </ol>
        </>
      )}
      {(trace.jobs.length > 0 || trace.deliveries.length > 0) && (
        <div className="mt-3 grid grid-cols-1 gap-3 text-xs text-slate-300 lg:grid-cols-2">
          <div>
            <h4 className="mb-1 font-semibold tracking-wide text-slate-400 uppercase">Jobs</h4>
            <ul>
              {trace.jobs.map((job) => (
                <li key={job.id}>
                  {job.kind} #{job.id}:{" "}
                  <span className={job.status === "failed" ? "text-rose-400" : ""}>{job.status}</span> after{" "}
                  {job.attempts} attempt{job.attempts === 1 ? "" : "s"}
                  {job.lastError && <span className="text-slate-500"> · last error: {job.lastError}</span>}
                </li>
              ))}
            </ul>
          </div>
          {trace.deliveries.length > 0 && (
            <div>
              <h4 className="mb-1 font-semibold tracking-wide text-slate-400 uppercase">Deliveries</h4>
              <ul>
                {trace.deliveries.map((delivery) => (
                  <li key={delivery.channelId}>
                    {delivery.channelId}:{" "}
                    <span className={delivery.status === "failed" ? "text-rose-400" : ""}>
                      {delivery.status}
                    </span>{" "}
                    ({delivery.attempts} attempt{delivery.attempts === 1 ? "" : "s"})
                    {delivery.error && <span className="text-rose-300"> · {delivery.error}</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
