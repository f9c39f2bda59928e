"use client";
// The live view: a card per country with its traffic per sport, one focused country shown large. The focus
// and time range are remembered in the browser.
import { useEffect, useMemo, useState } from "react";
import { ConnectionBadge } from "../components/connection-badge";
import { TrafficChart } from "../components/traffic-chart";
import { countrySeries } from "../components/traffic-rows";
import { useLiveTraffic } from "./use-live-traffic";

const RANGES = [15, 30, 60] as const;
const number = new Intl.NumberFormat();

function useRemembered<T extends string | number>(key: string, initial: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const stored = window.localStorage.getItem(key);
    if (stored !== null) setValue((typeof initial === "number" ? Number(stored) : stored) as T);
  }, [key, initial]);
  return [
    value,
    (next: T) => {
      window.localStorage.setItem(key, String(next));
      setValue(next);
    },
  ];
}

export function LiveView() {
  const [minutes, setMinutes] = useRemembered<number>("peaklight.minutes", 30);
  const [focus, setFocus] = useRemembered<string>("peaklight.country", "");
  const live = useLiveTraffic(minutes);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);

  const window_ = live.window;
  const windowMs = (window_?.windowSeconds ?? 10) * 1_000;
  const sportNames = useMemo(
    () => Object.fromEntries(window_?.sports.map((s) => [s.slug, s.name]) ?? []),
    [window_],
  );

  const cards = useMemo(() => {
    if (!window_) return [];
    const from = now - minutes * 60_000;
    return window_.countries
      .map((country) => ({ country, series: countrySeries(live.state, country.code, from, now, windowMs) }))
      .filter((card) => card.series.sports.length > 0);
    // live.version changes whenever live.state does
  }, [window_, live.state, live.version, now, minutes, windowMs]); // eslint-disable-line react-hooks/exhaustive-deps

  const focused = cards.find((card) => card.country.code === focus) ?? cards[0];

  return (
    <main className="mx-auto max-w-[1800px] px-4 py-4 lg:px-8">
      <header className="mb-4 flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">
          Peak<span className="text-amber-400">light</span>
          <span className="ml-3 text-base font-normal text-slate-400">Live traffic by country and sport</span>
        </h1>
        <div className="ml-auto flex items-center gap-3">
          <label className="flex items-center gap-2 text-sm text-slate-300">
            Country
            <select
              aria-label="Country"
              className="rounded border border-slate-700 bg-slate-900 px-2 py-1"
              value={focused?.country.code ?? ""}
              onChange={(event) => setFocus(event.target.value)}
            >
              {cards.map(({ country }) => (
                <option key={country.code} value={country.code}>
                  {country.name}
                </option>
              ))}
            </select>
          </label>
          <div
            role="group"
            aria-label="Time range"
            className="flex overflow-hidden rounded border border-slate-700"
          >
            {RANGES.map((range) => (
              <button
                key={range}
                type="button"
                aria-pressed={minutes === range}
                onClick={() => setMinutes(range)}
                className={`px-3 py-1 text-sm ${minutes === range ? "bg-slate-700 text-white" : "text-slate-300 hover:bg-slate-800"}`}
              >
                {range} min
              </button>
            ))}
          </div>
          <ConnectionBadge state={live.connection} />
        </div>
      </header>

      {live.error && (
        <p role="alert" className="rounded border border-rose-700 bg-rose-950 p-4 text-rose-200">
          {live.error.message}. Is the database up? The page retries when you reload.
        </p>
      )}
      {!window_ && !live.error && <p className="p-8 text-slate-400">Loading traffic…</p>}
      {window_ && cards.length === 0 && (
        <p className="rounded border border-slate-800 p-8 text-slate-400">
          No traffic in the last {minutes} minutes yet. Charts appear as soon as the stream worker stores its
          first 10-second bucket.
        </p>
      )}

      {focused && (
        <section
          aria-label={`Traffic in ${focused.country.name}`}
          data-country={focused.country.code}
          data-recent-actions={focused.series.recentActions}
          className="mb-6 rounded-lg border border-slate-800 bg-slate-900/60 p-4"
        >
          <div className="mb-2 flex items-baseline gap-3">
            <h2 className="text-xl font-semibold">{focused.country.name}</h2>
            <span className="text-sm text-slate-400">
              {number.format(focused.series.recentActions)} actions in the last minute · market{" "}
              {number.format(focused.country.marketSize)}k
            </span>
          </div>
          <TrafficChart
            rows={focused.series.rows}
            sports={focused.series.sports}
            sportNames={sportNames}
            height={340}
          />
        </section>
      )}

      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4">
        {cards.map(({ country, series }) => (
          <button
            key={country.code}
            type="button"
            aria-label={`Show ${country.name}`}
            aria-pressed={focused?.country.code === country.code}
            onClick={() => setFocus(country.code)}
            className={`rounded-lg border p-3 text-left transition hover:border-slate-500 ${
              focused?.country.code === country.code
                ? "border-amber-400/70 bg-slate-900"
                : "border-slate-800 bg-slate-900/40"
            }`}
          >
            <div className="mb-1 flex items-baseline justify-between">
              <span className="font-medium">{country.name}</span>
              <span className="text-xs text-slate-400">{number.format(series.recentActions)} / min</span>
            </div>
            <TrafficChart
              rows={series.rows}
              sports={series.sports}
              sportNames={sportNames}
              height={130}
              compact
            />
          </button>
        ))}
      </div>
    </main>
  );
}
