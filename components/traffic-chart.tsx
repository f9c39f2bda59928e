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

export function TrafficChart({ rows, sports, sportNames, height, compact }: TrafficChartProps) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: compact ? -12 : 0 }}>
        <CartesianGrid stroke="#1e293b" vertical={false} />
        <XAxis
          dataKey="time"
          type="number"
          scale="time"
          domain={["dataMin", "dataMax"]}
          tickFormatter={(time: number) => timeFormat.format(time)}
          stroke="#64748b"
          fontSize={11}
          minTickGap={40}
        />
        <YAxis stroke="#64748b" fontSize={11} width={compact ? 40 : 52} allowDecimals={false} />
        <Tooltip
          contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }}
          labelFormatter={(time) => timeFormat.format(Number(time))}
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
