"use client";
// The trace of one moment: a moment id field (also filled from the failed-jobs list and the jobs browser)
// and the waterfall of its agent runs, re-read when the live stream says the moment changed.
import { useState, type FormEvent } from "react";
import { TraceWaterfall } from "../../components/ops/trace-waterfall";
import { useMomentTrace } from "./use-ops";

export function TracePanel({
  momentId,
  onOpen,
}: {
  momentId: string | undefined;
  onOpen: (id: string) => void;
}) {
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<string>();
  const trace = useMomentTrace(momentId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = typed.trim();
    if (!/^[1-9]\d{0,17}$/.test(id)) {
      setProblem("Enter a moment id: a whole number such as 42.");
      return;
    }
    setProblem(undefined);
    onOpen(id);
  };
  return (
    <section aria-label="Moment trace" className="rounded-lg border border-slate-800 bg-slate-900/40 p-3">
      <header className="mb-2 flex flex-wrap items-center gap-3">
        <h2 className="font-semibold">Moment trace</h2>
        <form onSubmit={submit} className="flex items-center gap-2">
          <label htmlFor="trace-moment-id" className="text-sm text-slate-300">
            Moment id
          </label>
          <input
            id="trace-moment-id"
            inputMode="numeric"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            placeholder="e.g. 42"
            aria-invalid={problem !== undefined}
            aria-describedby={problem ? "trace-moment-problem" : undefined}
            className="w-28 rounded border border-slate-700 bg-slate-900 px-2 py-1 text-sm"
          />
          <button
            type="submit"
            className="rounded border border-slate-600 px-3 py-1 text-sm text-slate-100 hover:border-slate-400"
          >
            Open trace
          </button>
        </form>
        {problem && (
          <p id="trace-moment-problem" role="alert" className="text-sm text-rose-300">
            {problem}
          </p>
        )}
      </header>
      {momentId === undefined && (
        <p className="text-sm text-slate-400">
          Open a moment&apos;s trace by its id, or with “Trace” on a job: every agent stage attempt on a time
          axis, with its turns, tool calls, tokens, cost and errors.
        </p>
      )}
      {momentId !== undefined && trace.isPending && (
        <p role="status" className="text-sm text-slate-400">
          Loading the trace of moment {momentId}…
        </p>
      )}
      {trace.error && (
        <p role="alert" className="text-sm text-rose-300">
          {trace.error.message}
        </p>
      )}
      {trace.data && <TraceWaterfall trace={trace.data} />}
    </section>
  );
}
