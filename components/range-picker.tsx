"use client";
// The time range controls: live ranges, the last day, or a custom from–to (local time).
import { RANGE_OPTIONS, type RangeChoice } from "./time-range";

export function RangePicker(props: { value: RangeChoice; onChange: (choice: RangeChoice) => void }) {
  return (
    <div
      role="group"
      aria-label="Time range"
      className="flex overflow-hidden rounded border border-slate-700"
    >
      {RANGE_OPTIONS.map((option) => (
        <button
          key={option.choice}
          type="button"
          aria-pressed={props.value === option.choice}
          onClick={() => props.onChange(option.choice)}
          className={`px-3 py-1 text-sm whitespace-nowrap ${props.value === option.choice ? "bg-slate-700 text-white" : "text-slate-300 hover:bg-slate-800"}`}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}

export function CustomRangeInputs(props: {
  from: string;
  to: string;
  problem: string | undefined;
  onChange: (from: string, to: string) => void;
}) {
  const input =
    "rounded border border-slate-700 bg-slate-900 px-2 py-1 text-sm text-slate-200 [color-scheme:dark]";
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-slate-300">
      <label className="flex items-center gap-2">
        From
        <input
          type="datetime-local"
          aria-label="Range start"
          className={input}
          value={props.from}
          onChange={(event) => props.onChange(event.target.value, props.to)}
        />
      </label>
      <label className="flex items-center gap-2">
        To
        <input
          type="datetime-local"
          aria-label="Range end"
          className={input}
          value={props.to}
          onChange={(event) => props.onChange(props.from, event.target.value)}
        />
      </label>
      {props.problem && (
        <span role="alert" className="text-rose-300">
          {props.problem}
        </span>
      )}
    </div>
  );
}
