"use client";
// What is known about one peak before the agents describe it: observed against expected, uplift, score, and
// the markets of its candidate moment. The full moment panel replaces this once moments exist.
import { z } from "zod";
import type { AnomalyView } from "../server/detect/anomaly-queries";
import { statusLook } from "./status-colors";

const marketsSchema = z.array(
  z.object({ country: z.string(), upliftPct: z.number(), observed: z.number().optional() }).loose(),
);

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, signDisplay: "always" });
const timeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

export function PeakPanel(props: {
  anomaly: AnomalyView;
  sportName: string;
  countryNames: Record<string, string>;
  onClose: () => void;
}) {
  const { anomaly, sportName, countryNames, onClose } = props;
  const look = statusLook(anomaly.status);
  const markets = marketsSchema.safeParse(anomaly.candidate?.markets ?? []);
  const facts: [string, string][] = [
    ["Window", timeFormat.format(anomaly.windowStart)],
    ["Observed", `${number.format(anomaly.observed)} actions`],
    [
      "Expected",
      `${number.format(anomaly.expected)} (${number.format(anomaly.expectedLow)}–${number.format(anomaly.expectedHigh)})`,
    ],
    ["Uplift", `${percent.format(anomaly.upliftPct)}%`],
    ["Score", anomaly.score.toFixed(2)],
  ];
  if (anomaly.extremeUpliftPct !== null)
    facts.push(["Largest uplift", `${percent.format(anomaly.extremeUpliftPct)}%`]);
  return (
    <aside
      aria-label="Peak details"
      className="flex flex-col gap-3 self-start rounded-lg border border-slate-700 bg-slate-950/80 p-4 text-sm"
    >
      <div className="flex items-start justify-between gap-2">
        <div>
          <h3 className="text-base font-semibold">
            {sportName} peak in {countryNames[anomaly.country] ?? anomaly.country}
          </h3>
          <p className="mt-1 flex items-center gap-2 text-slate-300">
            <span className="h-2.5 w-2.5 rounded-full" style={{ background: look.color }} />
            {look.label}
          </p>
        </div>
        <button
          type="button"
          aria-label="Close peak details"
          onClick={onClose}
          className="rounded px-2 py-0.5 text-slate-400 hover:bg-slate-800 hover:text-white"
        >
          ✕
        </button>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        {facts.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-slate-400">{term}</dt>
            <dd className="tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <div>
        <h4 className="mb-1 text-slate-400">Markets</h4>
        {markets.success && markets.data.length > 0 ? (
          <ul className="space-y-0.5">
            {markets.data.map((market) => (
              <li key={market.country} className="flex justify-between tabular-nums">
                <span>{countryNames[market.country] ?? market.country}</span>
                <span>{percent.format(market.upliftPct)}%</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-500">Not grouped into a candidate moment yet.</p>
        )}
      </div>
      <p className="text-xs text-slate-500">
        Headline, story and clip points appear once the agents describe it.
      </p>
    </aside>
  );
}
