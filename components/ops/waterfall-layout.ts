// Places a moment's agent runs on one time axis for the waterfall: each bar's offset and width as a share of
// the axis, and round-numbered ticks. Pure, so the geometry is tested without a browser.

export interface Span {
  startMs: number;
  endMs: number;
}

export interface WaterfallAxis {
  fromMs: number;
  toMs: number;
  /** Offsets from fromMs, ms, each with its share of the axis. */
  ticks: { offsetMs: number; leftPct: number }[];
}

export interface BarPlacement {
  leftPct: number;
  widthPct: number;
}

/** A bar never gets thinner than this share, so a 2 ms run still shows. */
const MIN_WIDTH_PCT = 0.6;
const TICK_STEPS_MS = [
  10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

export function waterfallAxis(spans: readonly Span[], maxTicks = 6): WaterfallAxis | null {
  if (spans.length === 0) return null;
  const fromMs = Math.min(...spans.map((span) => span.startMs));
  const lastMs = Math.max(...spans.map((span) => span.endMs));
  const toMs = Math.max(lastMs, fromMs + 1);
  const length = toMs - fromMs;
  const step =
    TICK_STEPS_MS.find((candidate) => length / candidate <= maxTicks) ?? Math.ceil(length / maxTicks);
  const ticks: WaterfallAxis["ticks"] = [];
  for (let offsetMs = 0; offsetMs <= length; offsetMs += step) {
    ticks.push({ offsetMs, leftPct: (offsetMs / length) * 100 });
  }
  return { fromMs, toMs, ticks };
}

export function placeBar(axis: WaterfallAxis, span: Span): BarPlacement {
  const length = axis.toMs - axis.fromMs;
  const leftPct = Math.min(100 - MIN_WIDTH_PCT, ((span.startMs - axis.fromMs) / length) * 100);
  const widthPct = Math.max(MIN_WIDTH_PCT, ((span.endMs - span.startMs) / length) * 100);
  return { leftPct, widthPct: Math.min(widthPct, 100 - leftPct) };
}
