"use client";
// The focused country's large chart: live rows (from the SSE feed) or stored series (last day, custom), with
// the expected band of one sport, peak markers coloured by their moment's status (a marker opens its moment
// on the desk, or the detector's facts while no moment exists yet), and zoom on the time axis.
import { useMemo, useState } from "react";
import { bandOf, peakMarkers, seriesRows } from "../components/chart-overlays";
import { PeakPanel } from "../components/peak-panel";
import { StatusLegend } from "../components/status-legend";
import { TrafficChart } from "../components/traffic-chart";
import type { ChartRow } from "../components/traffic-rows";
import type { DeskChartProps } from "./editors-desk";
import { useLiveBands, usePeaks, useStoredSeries } from "./use-chart-data";

const number = new Intl.NumberFormat();
const rangeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const RESOLUTION_NAMES = { raw: "10-second buckets", minute: "minute rollups", hour: "hour rollups" };

/** "5-minute steps from minute rollups": what one point of a stored series stands for. */
function resolutionNote(resolution: keyof typeof RESOLUTION_NAMES, stepSeconds: number): string {
  const step =
    stepSeconds % 3_600 === 0
      ? `${stepSeconds / 3_600}-hour`
      : stepSeconds % 60 === 0
        ? `${stepSeconds / 60}-minute`
        : `${stepSeconds}-second`;
  return `${step} steps from ${RESOLUTION_NAMES[resolution]}`;
}

export interface FocusedCountryProps {
  country: { code: string; name: string; marketSize: number };
  recentActions: number;
  /** Live rows when the range is live; undefined when `history` is to be read. */
  live?: { rows: ChartRow[]; sports: string[] };
  history?: { from: number; to: number; label: string };
  windowMs: number;
  sportNames: Record<string, string>;
  countryNames: Record<string, string>;
  bandSport: string;
  onBandSport: (sport: string) => void;
  desk: DeskChartProps;
}

const clockFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

export function FocusedCountry(props: FocusedCountryProps) {
  const { country, live, history, windowMs, sportNames } = props;
  const stored = useStoredSeries(history ? country.code : undefined, history);
  const [selectedId, setSelectedId] = useState<string>();
  const [zoom, setZoom] = useState<{ from: number; to: number }>();
  const { momentsByCandidate, openMomentId, onOpenMoment } = props.desk;

  const view = useMemo(() => {
    if (live) return { ...live, stepMs: windowMs };
    if (!stored.data || !history) return undefined;
    const stepMs = stored.data.stepSeconds * 1_000;
    return { ...seriesRows(stored.data.points, history.from, history.to, stepMs), stepMs };
  }, [live, stored.data, history, windowMs]);

  const rows = useMemo(() => view?.rows ?? [], [view]);
  const from = rows[0]?.time ?? 0;
  const to = rows.length > 0 ? rows[rows.length - 1]!.time + (view?.stepMs ?? windowMs) : 0;
  const liveBands = useLiveBands(country.code, from, to, live !== undefined);
  const peaks = usePeaks(country.code, from, to);
  const shownRows = useMemo(
    () => (zoom ? rows.filter((row) => row.time >= zoom.from && row.time <= zoom.to) : rows),
    [rows, zoom],
  );

  const sports = view?.sports ?? [];
  const bandSport =
    props.bandSport === "none" ? undefined : sports.includes(props.bandSport) ? props.bandSport : sports[0];
  const bands = live ? liveBands.data : stored.data?.bands;
  const band = useMemo(
    () =>
      bandSport && bands ? { sport: bandSport, values: bandOf(bands, country.code, bandSport) } : undefined,
    [bandSport, bands, country.code],
  );
  const markers = useMemo(
    () => peakMarkers(peaks.data ?? [], shownRows, view?.stepMs ?? windowMs, momentsByCandidate),
    [peaks.data, shownRows, view?.stepMs, windowMs, momentsByCandidate],
  );
  // The peak panel is for a peak clicked while no moment came from it yet (it stays open if one arrives);
  // a marker with a moment opens it in the desk's moment panel.
  const selected = markers.find((marker) => marker.anomaly.id === selectedId)?.anomaly;
  const highlighted =
    selected?.id ?? markers.find((marker) => marker.moment && marker.moment.id === openMomentId)?.anomaly.id;

  return (
    <section
      aria-label={`Traffic in ${country.name}`}
      data-country={country.code}
      data-recent-actions={props.recentActions}
      data-resolution={live ? "live" : stored.data?.resolution}
      data-band-points={band?.values.size ?? 0}
      data-peaks={markers.length}
      data-zoomed={zoom !== undefined}
      className="rounded-lg border border-slate-800 bg-slate-900/60 p-4"
    >
      <div className="mb-2 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 className="text-xl font-semibold">{country.name}</h2>
        <span className="text-sm text-slate-400">
          {live
            ? `${number.format(props.recentActions)} actions in the last minute`
            : history && `${rangeFormat.format(history.from)} – ${rangeFormat.format(history.to)}`}{" "}
          · market {number.format(country.marketSize)}k
          {stored.data && !live && ` · ${resolutionNote(stored.data.resolution, stored.data.stepSeconds)}`}
        </span>
        <label className="ml-auto flex items-center gap-2 text-sm text-slate-300">
          Expected band
          <select
            aria-label="Expected band for sport"
            className="rounded border border-slate-700 bg-slate-900 px-2 py-1"
            value={bandSport ?? "none"}
            onChange={(event) => props.onBandSport(event.target.value)}
          >
            <option value="none">None</option>
            {sports.map((sport) => (
              <option key={sport} value={sport}>
                {sportNames[sport] ?? sport}
              </option>
            ))}
          </select>
        </label>
      </div>

      {history && stored.isPending && (
        <p role="status" className="flex h-[340px] items-center justify-center text-slate-400">
          Reading {history.label.toLowerCase()} of traffic in {country.name}…
        </p>
      )}
      {history && stored.error && (
        <div role="alert" className="flex h-[340px] flex-col items-center justify-center gap-3 text-rose-200">
          <p>{stored.error.message}. The stored series could not be read.</p>
          <button
            type="button"
            onClick={() => void stored.refetch()}
            className="rounded border border-rose-700 px-3 py-1 hover:bg-rose-950"
          >
            Try again
          </button>
        </div>
      )}
      {view && rows.length > 0 && sports.length === 0 && (
        <p className="flex h-[340px] items-center justify-center text-slate-400">
          No traffic stored for {country.name} in this range.
        </p>
      )}
      {view && sports.length > 0 && (
        <div
          className={
            selected
              ? "grid gap-4 lg:grid-cols-[minmax(0,1fr)_300px] min-[1800px]:grid-cols-[minmax(0,1fr)_360px]"
              : ""
          }
        >
          <div className="h-[340px] min-[1800px]:h-[560px]">
            <TrafficChart
              rows={shownRows}
              sports={sports}
              sportNames={sportNames}
              height="100%"
              band={band}
              markers={markers}
              selectedMarkerId={highlighted}
              onMarkerSelect={(marker) => {
                setSelectedId(marker.moment ? undefined : marker.anomaly.id);
                if (marker.moment) onOpenMoment(marker.moment.id);
                props.onBandSport(marker.anomaly.sport);
              }}
              onZoom={(zoomFrom, zoomTo) => setZoom({ from: zoomFrom, to: zoomTo })}
            />
          </div>
          {selected && (
            <PeakPanel
              anomaly={selected}
              sportName={sportNames[selected.sport] ?? selected.sport}
              countryNames={props.countryNames}
              onClose={() => setSelectedId(undefined)}
            />
          )}
        </div>
      )}
      <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1">
        <StatusLegend />
        <span className="ml-auto text-xs text-slate-500">
          {zoom
            ? `Zoomed to ${clockFormat.format(zoom.from)} – ${clockFormat.format(zoom.to)}`
            : "Drag across the chart to zoom"}
        </span>
        {zoom && (
          <button
            type="button"
            onClick={() => setZoom(undefined)}
            className="rounded border border-slate-600 px-2 py-0.5 text-xs text-slate-200 hover:bg-slate-800"
          >
            Reset zoom
          </button>
        )}
      </div>
      <p className="mt-1 text-xs text-slate-500">
        {peaks.error
          ? `Peak markers unavailable: ${peaks.error.message}.`
          : `${markers.length} ${markers.length === 1 ? "peak" : "peaks"} in view${markers.length > 0 ? " — click a marker for details" : ""}.`}{" "}
        {band &&
          band.values.size === 0 &&
          (live || stored.data?.stepSeconds === windowMs / 1_000
            ? "The expected band appears once the detector has judged a few windows."
            : "The expected band is drawn for ranges read at the 10-second window (up to about 50 minutes).")}
        {band && band.values.size > 0 && `Shaded: expected range of ${sportNames[band.sport] ?? band.sport}.`}
      </p>
    </section>
  );
}
