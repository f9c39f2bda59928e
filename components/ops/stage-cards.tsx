// A card per agent stage over the chosen window: runs, error rate, p50/p95/max latency, tokens, cost (sum and
// per moment), the models that ran and who wrote the output.
import type { StageFigures } from "../../server/observability/ops-views";
import { formatCount, formatMs, formatRate, formatUsd } from "./ops-format";

function Figure({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-400">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${tone ?? "text-slate-100"}`}>{value}</dd>
    </div>
  );
}

function errorTone(rate: number | null): string | undefined {
  if (rate === null || rate === 0) return undefined;
  return rate >= 0.1 ? "text-rose-400" : "text-amber-300";
}

export function StageCard({ figures, windowLabel }: { figures: StageFigures; windowLabel: string }) {
  const { generatedBy } = figures;
  return (
    <article
      aria-label={`Stage ${figures.label}`}
      data-stage={figures.stage}
      className="rounded-lg border border-slate-800 bg-slate-900/60 p-3"
    >
      <header className="mb-2 flex items-baseline justify-between gap-2">
        <h3 className="font-medium text-slate-100">{figures.label}</h3>
        <span className="text-xs text-slate-500">{figures.stage}</span>
      </header>
      {figures.runs === 0 ? (
        <p className="py-4 text-sm text-slate-400">No runs in the {windowLabel}.</p>
      ) : (
        <>
          <dl className="grid grid-cols-3 gap-x-3 gap-y-2">
            <Figure label="Runs" value={formatCount(figures.runs)} />
            <Figure
              label="Error rate"
              value={`${formatRate(figures.errorRate)}`}
              tone={errorTone(figures.errorRate)}
            />
            <Figure
              label="Failures"
              value={formatCount(figures.failures)}
              tone={errorTone(figures.errorRate)}
            />
            <Figure label="p50 latency" value={formatMs(figures.latencyP50Ms)} />
            <Figure label="p95 latency" value={formatMs(figures.latencyP95Ms)} />
            <Figure label="Max latency" value={formatMs(figures.latencyMaxMs)} />
            <Figure
              label="Tokens in / out"
              value={`${formatCount(figures.inputTokens)} / ${formatCount(figures.outputTokens)}`}
            />
            <Figure label="Cost" value={formatUsd(figures.costUsd)} />
            <Figure label="Cost / moment" value={formatUsd(figures.costPerMomentUsd)} />
          </dl>
          <p className="mt-2 truncate text-xs text-slate-400" title={figures.modelIds.join(", ")}>
            {figures.moments} moment{figures.moments === 1 ? "" : "s"} ·{" "}
            {figures.modelIds.length > 0 ? figures.modelIds.join(", ") : "no model id"} · written by{" "}
            {generatedBy.model > 0 && `model ${generatedBy.model}`}
            {generatedBy.model > 0 && generatedBy.offline > 0 && ", "}
            {generatedBy.offline > 0 && `offline ${generatedBy.offline}`}
            {generatedBy.model === 0 && generatedBy.offline === 0 && "rules only"}
            {figures.pricedRuns < figures.runs &&
              ` · ${figures.runs - figures.pricedRuns} runs without a price`}
          </p>
        </>
      )}
    </article>
  );
}
