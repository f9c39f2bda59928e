// The chart's time range: live ranges follow the clock over server-sent events; the last day and custom
// ranges are read once from the stored series (raw buckets or rollups).
export type RangeChoice = "30m" | "2h" | "day" | "custom";

export interface RangeOption {
  choice: RangeChoice;
  label: string;
  /** Set for live ranges: minutes back from now, kept current over SSE. */
  liveMinutes?: number;
}

export const RANGE_OPTIONS: readonly RangeOption[] = [
  { choice: "30m", label: "Last 30 min", liveMinutes: 30 },
  { choice: "2h", label: "Last 2 h", liveMinutes: 120 },
  { choice: "day", label: "Last day" },
  { choice: "custom", label: "Custom" },
];

/** The live minutes the cards (and live ranges) use when the focused chart shows history. */
export const DEFAULT_LIVE_MINUTES = 30;
export const MAX_CUSTOM_RANGE_MS = 14 * 86_400_000;

export function parseRangeChoice(stored: string | null): RangeChoice {
  return RANGE_OPTIONS.find((option) => option.choice === stored)?.choice ?? "30m";
}

export function liveMinutesOf(choice: RangeChoice): number | undefined {
  return RANGE_OPTIONS.find((option) => option.choice === choice)?.liveMinutes;
}

/** A `datetime-local` input value (local time, minutes) for an instant. */
export function toLocalInput(ms: number): string {
  const date = new Date(ms);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Epoch ms of a `datetime-local` value (read as local time), or undefined when it is not a date-time. */
export function fromLocalInput(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

export type CustomRange = { ok: true; from: number; to: number } | { ok: false; problem: string };

/** Validates the custom from–to inputs, with a message an editor can act on. */
export function customRange(fromInput: string, toInput: string): CustomRange {
  const from = fromLocalInput(fromInput);
  const to = fromLocalInput(toInput);
  if (from === undefined || to === undefined) return { ok: false, problem: "Enter both a start and an end." };
  if (from >= to) return { ok: false, problem: "The start must be before the end." };
  if (to - from > MAX_CUSTOM_RANGE_MS) return { ok: false, problem: "A range may span at most 14 days." };
  return { ok: true, from, to };
}
