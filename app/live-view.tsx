"use client";
// The live view: a card per country with its traffic per sport, one focused country shown large. The focus,
// time range and band sport are remembered in the browser.
import { useEffect, useMemo, useState } from "react";
import { ConnectionBadge } from "../components/connection-badge";
import { CustomRangeInputs, RangePicker } from "../components/range-picker";
import {
  customRange,
  DEFAULT_LIVE_MINUTES,
  liveMinutesOf,
  parseRangeChoice,
  RANGE_OPTIONS,
  toLocalInput,
  type RangeChoice,
} from "../components/time-range";
import { TrafficChart } from "../components/traffic-chart";
import { countrySeries } from "../components/traffic-rows";
import { EditorsDesk } from "./editors-desk";
import { FocusedCountry } from "./focused-country";
import { useLiveMoments } from "./use-live-moments";
import { useLiveTraffic } from "./use-live-traffic";

const number = new Intl.NumberFormat();

function useRemembered(key: string, initial: string): [string, (value: string) => void] {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    const stored = window.localStorage.getItem(key);
    if (stored !== null) setValue(stored);
  }, [key]);
  return [
    value,
    (next: string) => {
      window.localStorage.setItem(key, next);
      setValue(next);
    },
  ];
}

export function LiveView() {
  const [rangeStored, setRangeStored] = useRemembered("peaklight.range", "30m");
  const range = parseRangeChoice(rangeStored);
  const [customFrom, setCustomFrom] = useRemembered("peaklight.customFrom", "");
  const [customTo, setCustomTo] = useRemembered("peaklight.customTo", "");
  const [focus, setFocus] = useRemembered("peaklight.country", "");
  const [bandSport, setBandSport] = useRemembered("peaklight.bandSport", "");
  const liveMinutes = liveMinutesOf(range);
  const minutes = liveMinutes ?? DEFAULT_LIVE_MINUTES;
  const live = useLiveTraffic(minutes);
  const momentsConnection = useLiveMoments();
  const [now, setNow] = useState(() => Date.now());
  const [dayAnchor, setDayAnchor] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);

  const chooseRange = (choice: RangeChoice) => {
    if (choice === "day") setDayAnchor(Date.now());
    if (choice === "custom" && !customRange(customFrom, customTo).ok) {
      setCustomFrom(toLocalInput(Date.now() - 2 * 3_600_000));
      setCustomTo(toLocalInput(Date.now() + 60_000));
    }
    setRangeStored(choice);
  };
  const custom = customRange(customFrom, customTo);
  const customFromMs = custom.ok ? custom.from : undefined;
  const customToMs = custom.ok ? custom.to : undefined;
  const history = useMemo(() => {
    const label = RANGE_OPTIONS.find((option) => option.choice === range)!.label;
    if (range === "day") {
      const to = Math.ceil(dayAnchor / 60_000) * 60_000;
      return { from: to - 86_400_000, to, label };
    }
    if (range === "custom" && customFromMs !== undefined && customToMs !== undefined) {
      return { from: customFromMs, to: customToMs, label: "the chosen range" };
    }
    return undefined;
  }, [range, dayAnchor, customFromMs, customToMs]);

  const window_ = live.window;
  const windowMs = (window_?.windowSeconds ?? 10) * 1_000;
  const sportNames = useMemo(
    () => Object.fromEntries(window_?.sports.map((s) => [s.slug, s.name]) ?? []),
    [window_],
  );
  const countryNames = useMemo(
    () => Object.fromEntries(window_?.countries.map((c) => [c.code, c.name]) ?? []),
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
    <main className="mx-auto max-w-[2400px] px-4 py-4 lg:px-8">
      <header className="mb-4 flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">
          Peak<span className="text-amber-400">light</span>
          <span className="ml-3 text-base font-normal text-slate-400">
            Live traffic and moments by country
          </span>
        </h1>
        <div className="ml-auto flex flex-wrap items-center gap-3">
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
          <RangePicker value={range} onChange={chooseRange} />
          <ConnectionBadge state={live.connection} />
          <a href="/ops" className="text-sm text-slate-300 hover:text-white hover:underline">
            Operations
          </a>
        </div>
        {range === "custom" && (
          <div className="flex w-full justify-end">
            <CustomRangeInputs
              from={customFrom}
              to={customTo}
              problem={custom.ok ? undefined : custom.problem}
              onChange={(from, to) => {
                setCustomFrom(from);
                setCustomTo(to);
              }}
            />
          </div>
        )}
      </header>

      {live.error && (
        <p role="alert" className="rounded border border-rose-700 bg-rose-950 p-4 text-rose-200">
          {live.error.message}. Is the database up? The page retries when you reload.
        </p>
      )}
      {!window_ && !live.error && (
        <p role="status" className="p-8 text-slate-400">
          Loading traffic…
        </p>
      )}
      {window_ && cards.length === 0 && (
        <p className="rounded border border-slate-800 p-8 text-slate-400">
          No traffic in the last {minutes} minutes yet. Charts appear as soon as the stream worker stores its
          first 10-second bucket.
        </p>
      )}

      {focused && (
        <EditorsDesk
          key={focused.country.code}
          country={focused.country}
          sportNames={sportNames}
          countryNames={countryNames}
          connection={momentsConnection}
          chart={(desk) => (
            <FocusedCountry
              country={focused.country}
              recentActions={focused.series.recentActions}
              live={liveMinutes !== undefined ? focused.series : undefined}
              history={liveMinutes === undefined ? history : undefined}
              windowMs={windowMs}
              sportNames={sportNames}
              countryNames={countryNames}
              bandSport={bandSport}
              onBandSport={setBandSport}
              desk={desk}
            />
          )}
        />
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
              <span className="text-xs text-slate-400">
                {number.format(series.recentActions)} / min
                {liveMinutes === undefined && ` · last ${DEFAULT_LIVE_MINUTES} min live`}
              </span>
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
