"use client";
// A country's traffic: one line per sport over the selected time range, optionally with one sport's expected
// band (the detector's low–high) and peak markers coloured by status.
import { useMemo } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceDot,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { PeakMarker } from "./chart-overlays";
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
  const { rows, sports, sportNames, height, compact, band, markers, selectedMarkerId, onMarkerSelect } =
    props;
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
      <ComposedChart data={rows} margin={{ top: 12, right: 16, bottom: 0, left: compact ? -12 : 0 }}>
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
          const look = statusLook(anomaly.status);
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
                  data-status={anomaly.status}
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
      </ComposedChart>
    </ResponsiveContainer>
  );
}
