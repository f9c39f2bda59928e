"use client";
// A country's live traffic: one line per sport, actions per window over the selected time range.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartRow } from "./traffic-rows";
import { sportColor } from "./sport-colors";

export interface TrafficChartProps {
  rows: ChartRow[];
  sports: string[];
  sportNames: Record<string, string>;
  height: number;
  compact?: boolean;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const secondsFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

export function TrafficChart({ rows, sports, sportNames, height, compact }: TrafficChartProps) {
  // Under ten minutes of data, minute labels would repeat: show seconds.
  const span = rows.length > 1 ? rows[rows.length - 1]!.time - rows[0]!.time : 0;
  const tickFormat = span < 10 * 60_000 ? secondsFormat : timeFormat;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: compact ? -12 : 0 }}>
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
        <YAxis stroke="#64748b" fontSize={11} width={compact ? 40 : 52} allowDecimals={false} />
        <Tooltip
          contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }}
          labelFormatter={(time) => secondsFormat.format(Number(time))}
        />
        {!compact && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {sports.map((sport) => (
          <Line
            key={sport}
            dataKey={sport}
            name={sportNames[sport] ?? sport}
            stroke={sportColor(sport)}
            strokeWidth={compact ? 1.5 : 2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
