"use client";
// A country's traffic: one line per sport over the selected time range, optionally with one sport's expected
// band (the detector's low–high) and peak markers coloured by their moment's status. Dragging across the
// chart selects a time range to zoom into.
import { useMemo, useState } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ReferenceDot,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { markerStatus, type PeakMarker } from "./chart-overlays";
import { sportColor } from "./sport-colors";
import { statusLook } from "./status-colors";
import type { ChartRow } from "./traffic-rows";

export interface TrafficChartProps {
  rows: ChartRow[];
  sports: string[];
  sportNames: Record<string, string>;
  /** Pixels, or "100%" to fill a parent whose height CSS sets (taller on large screens). */
  height: number | "100%";
  compact?: boolean;
  /** One sport's expected band, bucketStart → [low, high]. */
  band?: { sport: string; values: Map<number, [number, number]> };
  markers?: PeakMarker[];
  selectedMarkerId?: string;
  onMarkerSelect?: (marker: PeakMarker) => void;
  /** Called with the range dragged across the chart; without it the chart does not zoom. */
  onZoom?: (from: number, to: number) => void;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
});
const secondsFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compactNumber = new Intl.NumberFormat(undefined, { notation: "compact" });
const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, signDisplay: "always" });

export function TrafficChart(props: TrafficChartProps) {
  const {
    rows,
    sports,
    sportNames,
    height,
    compact,
    band,
    markers,
    selectedMarkerId,
    onMarkerSelect,
    onZoom,
  } = props;
  const [drag, setDrag] = useState<{ from: number; to: number }>();
  // Recharts re-registers a series whose dataKey function changes: keep it stable between renders.
  const bandRange = useMemo(
    () => (band ? (row: ChartRow) => band.values.get(row.time) ?? null : undefined),
    [band],
  );
  // Under ten minutes of data, minute labels would repeat: show seconds; over a day, show the weekday.
  const span = rows.length > 1 ? rows[rows.length - 1]!.time - rows[0]!.time : 0;
  const tickFormat = span < 10 * 60_000 ? secondsFormat : span > 20 * 3_600_000 ? dayTimeFormat : timeFormat;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart
        data={rows}
        margin={{ top: 12, right: 16, bottom: 0, left: compact ? -12 : 0 }}
        className={onZoom ? "cursor-crosshair" : undefined}
        onMouseDown={(state) => {
          if (onZoom && state.activeLabel !== undefined) {
            const time = Number(state.activeLabel);
            setDrag({ from: time, to: time });
          }
        }}
        onMouseMove={(state) => {
          if (drag && state.activeLabel !== undefined) setDrag({ ...drag, to: Number(state.activeLabel) });
        }}
        onMouseUp={() => {
          // A press that moved less than two steps is a click (on a marker, say), not a zoom.
          const step = rows.length > 1 ? rows[1]!.time - rows[0]!.time : 0;
          if (drag && Math.abs(drag.to - drag.from) >= 2 * step) {
            onZoom?.(Math.min(drag.from, drag.to), Math.max(drag.from, drag.to));
          }
          setDrag(undefined);
        }}
        onMouseLeave={() => setDrag(undefined)}
      >
        <CartesianGrid stroke="#1e293b" vertical={false} />
        <XAxis
          dataKey="time"
          type="number"
          scale="time"
          domain={["dataMin", "dataMax"]}
          tickFormatter={(time: number) => tickFormat.format(time)}
          stroke="#64748b"
          fontSize={11}
          minTickGap={40}
        />
        <YAxis
          stroke="#64748b"
          fontSize={11}
          width={compact ? 40 : 52}
          allowDecimals={false}
          tickFormatter={(value: number) => (compact ? compactNumber : whole).format(value)}
        />
        <Tooltip
          contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }}
          labelFormatter={(time) => secondsFormat.format(Number(time))}
          formatter={(value) =>
            Array.isArray(value)
              ? `${whole.format(Number(value[0]))}–${whole.format(Number(value[1]))}`
              : whole.format(Number(value))
          }
        />
        {!compact && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {band && bandRange && (
          <Area
            className="expected-band"
            dataKey={bandRange}
            name={`Expected ${sportNames[band.sport] ?? band.sport}`}
            stroke="none"
            fill={sportColor(band.sport)}
            fillOpacity={0.14}
            isAnimationActive={false}
            activeDot={false}
            legendType="square"
          />
        )}
        {sports.map((sport) => (
          <Line
            key={sport}
            dataKey={sport}
            name={sportNames[sport] ?? sport}
            stroke={sportColor(sport)}
            strokeWidth={compact ? 1.5 : 2}
            strokeOpacity={band && band.sport !== sport ? 0.55 : 1}
            dot={false}
            isAnimationActive={false}
          />
        ))}
        {markers?.map((marker) => {
          const { anomaly } = marker;
          const status = markerStatus(marker);
          const look = statusLook(status);
          const selected = anomaly.id === selectedMarkerId;
          const name = `Peak: ${sportNames[anomaly.sport] ?? anomaly.sport} at ${secondsFormat.format(anomaly.windowStart)}, ${percent.format(anomaly.upliftPct)}% — ${look.label}`;
          return (
            <ReferenceDot
              key={anomaly.id}
              x={marker.time}
              y={marker.value}
              ifOverflow="extendDomain"
              shape={({ cx, cy }) => (
                <g
                  role="button"
                  tabIndex={0}
                  aria-label={name}
                  aria-pressed={selected}
                  data-status={status}
                  data-moment-id={marker.moment?.id}
                  className="peak-marker cursor-pointer outline-none"
                  onClick={() => onMarkerSelect?.(marker)}
                  onKeyDown={(event) => {
                    if (event.key === "Enter" || event.key === " ") {
                      event.preventDefault();
                      onMarkerSelect?.(marker);
                    }
                  }}
                >
                  <title>{name}</title>
                  <circle cx={cx} cy={cy} r={selected ? 9 : 7} fill={look.color} fillOpacity={0.25} />
                  <circle
                    cx={cx}
                    cy={cy}
                    r={selected ? 5.5 : 4.5}
                    fill={look.color}
                    stroke={selected ? "#f8fafc" : "#0f172a"}
                    strokeWidth={1.5}
                  />
                </g>
              )}
            />
          );
        })}
        {drag && drag.from !== drag.to && (
          <ReferenceArea
            x1={Math.min(drag.from, drag.to)}
            x2={Math.max(drag.from, drag.to)}
            fill="#f8fafc"
            fillOpacity={0.08}
            stroke="#94a3b8"
            strokeDasharray="3 3"
          />
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
