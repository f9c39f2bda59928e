// The evaluation's picture: a few series over a stretch of time, each with what was observed, the expected
// value and band the detector formed before seeing each window, the peaks it raised, and the ground truth
// (reactions to find, reactions too weak to count, decoys). Plain SVG text, no dependencies.
import type { DetectedPeak, MarketInterval } from "./evaluate";
import type { SeriesTrace } from "./evaluate-causes";

export interface ChartPanel {
  trace: SeriesTrace;
  /** Window indexes [from, to) of the trace to draw. */
  from: number;
  to: number;
}

export interface ChartTruth {
  moments: readonly MarketInterval[];
  ignored: readonly MarketInterval[];
  decoys: readonly MarketInterval[];
}

const WIDTH = 1100;
const PANEL_HEIGHT = 190;
const MARGIN = { left: 56, right: 16, top: 26, bottom: 22 };
const TRUTH_STRIP = 10;
const COLORS = {
  band: "#cfe3f7",
  expected: "#2f6db5",
  observed: "#222",
  peak: "#d62728",
  moment: "#2ca02c",
  ignored: "#b8b8b8",
  decoy: "#ff7f0e",
};

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fixed = (value: number) => (Math.round(value * 10) / 10).toString();

function inMarket(interval: MarketInterval, trace: SeriesTrace): boolean {
  return (
    (interval.country === trace.country || interval.country === "*") &&
    (interval.sport === trace.sport || interval.sport === "*")
  );
}

/**
 * Picks up to `count` panels of `windows` windows, each in a different series: the stretches with the most
 * ground truth (decoys weigh double, so one shows if there is any), so the picture shows hits and misses.
 */
export function pickPanels(
  traces: readonly SeriesTrace[],
  truth: ChartTruth,
  options: { windowMs: number; windows: number; count: number },
): ChartPanel[] {
  const { windowMs, windows } = options;
  const candidates: (ChartPanel & { weight: number })[] = [];
  for (const trace of traces) {
    const length = trace.observed.length;
    for (let from = 0; from + windows <= length; from += windows / 2) {
      const start = trace.start + from * windowMs;
      const end = start + windows * windowMs;
      const inside = (interval: MarketInterval) =>
        inMarket(interval, trace) && interval.start >= start && interval.start < end - 6 * windowMs;
      const weight =
        truth.moments.filter(inside).length +
        2 * truth.decoys.filter((decoy) => decoy.country !== "*" && inside(decoy)).length;
      if (weight > 0) candidates.push({ trace, from, to: from + windows, weight });
    }
  }
  candidates.sort((a, b) => b.weight - a.weight || a.from - b.from);
  const chosen: ChartPanel[] = [];
  const withDecoy = candidates.find((candidate) =>
    truth.decoys.some(
      (decoy) =>
        decoy.country !== "*" &&
        inMarket(decoy, candidate.trace) &&
        decoy.start >= candidate.trace.start + candidate.from * windowMs &&
        decoy.start < candidate.trace.start + candidate.to * windowMs,
    ),
  );
  if (withDecoy) chosen.push(withDecoy);
  for (const candidate of candidates) {
    if (chosen.length >= options.count) break;
    if (chosen.some((panel) => panel.trace === candidate.trace)) continue;
    chosen.push(candidate);
  }
  return chosen.map(({ trace, from, to }) => ({ trace, from, to }));
}

export function evaluationChartSvg(options: {
  title: string;
  panels: readonly ChartPanel[];
  peaks: readonly DetectedPeak[];
  truth: ChartTruth;
  windowMs: number;
}): string {
  const { panels, windowMs } = options;
  const height = 40 + panels.length * PANEL_HEIGHT + 10;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="14" font-weight="bold">${escape(options.title)}</text>`,
    legend(WIDTH - 620, 14),
  ];
  panels.forEach((panel, index) => {
    parts.push(drawPanel(panel, 40 + index * PANEL_HEIGHT, options.peaks, options.truth, windowMs));
  });
  parts.push("</svg>");
  return parts.join("\n");
}

function legend(x: number, y: number): string {
  const items: [string, string][] = [
    ["observed", `<line x1="0" y1="0" x2="18" y2="0" stroke="${COLORS.observed}" stroke-width="1.5"/>`],
    [
      "expected ± band",
      `<rect x="0" y="-5" width="18" height="10" fill="${COLORS.band}"/><line x1="0" y1="0" x2="18" y2="0" stroke="${COLORS.expected}" stroke-dasharray="4 2"/>`,
    ],
    ["peak raised", `<path d="M9 -6 L15 4 L3 4 Z" fill="${COLORS.peak}"/>`],
    ["reaction", `<rect x="0" y="-4" width="18" height="8" fill="${COLORS.moment}" opacity="0.7"/>`],
    ["weak reaction", `<rect x="0" y="-4" width="18" height="8" fill="${COLORS.ignored}"/>`],
    ["decoy", `<rect x="0" y="-4" width="18" height="8" fill="${COLORS.decoy}" opacity="0.8"/>`],
  ];
  let offset = 0;
  return items
    .map(([label, symbol]) => {
      const group = `<g transform="translate(${x + offset},${y - 4})">${symbol}<text x="22" y="4">${label}</text></g>`;
      offset += 30 + label.length * 6;
      return group;
    })
    .join("");
}

function drawPanel(
  panel: ChartPanel,
  top: number,
  peaks: readonly DetectedPeak[],
  truth: ChartTruth,
  windowMs: number,
): string {
  const { trace, from, to } = panel;
  const plotTop = top + MARGIN.top;
  const plotBottom = top + PANEL_HEIGHT - MARGIN.bottom;
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const startMs = trace.start + from * windowMs;
  const endMs = trace.start + to * windowMs;
  let maxValue = 1;
  for (let index = from; index < to; index += 1) {
    maxValue = Math.max(maxValue, trace.observed[index]!, trace.high[index]!);
  }
  maxValue *= 1.08;
  const x = (time: number) => left + ((time - startMs) / (endMs - startMs)) * (right - left);
  const xOf = (index: number) => x(trace.start + (index + 0.5) * windowMs);
  const yTop = plotTop + TRUTH_STRIP + 4;
  const y = (value: number) => plotBottom - (value / maxValue) * (plotBottom - yTop);
  const parts: string[] = [];
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const inRange = (interval: MarketInterval) =>
    inMarket(interval, trace) && interval.end >= startMs && interval.start < endMs;
  const found = truth.moments.filter(inRange).length;
  parts.push(
    `<text x="${left}" y="${top + 16}" font-weight="bold">${escape(`${trace.country} · ${trace.sport}`)}</text>`,
    `<text x="${left + 120}" y="${top + 16}" fill="#555">${time(startMs)}–${time(endMs)} UTC, ${found} reaction${found === 1 ? "" : "s"} to find</text>`,
    `<rect x="${left}" y="${plotTop}" width="${right - left}" height="${plotBottom - plotTop}" fill="none" stroke="#ddd"/>`,
  );
  for (const fraction of [0, 0.5, 1]) {
    const value = (maxValue / 1.08) * fraction;
    parts.push(
      `<text x="${left - 6}" y="${fixed(y(value) + 4)}" text-anchor="end" fill="#555">${Math.round(value)}</text>`,
    );
  }
  for (let tick = Math.ceil(startMs / 300_000) * 300_000; tick < endMs; tick += 300_000) {
    parts.push(
      `<line x1="${fixed(x(tick))}" y1="${plotBottom}" x2="${fixed(x(tick))}" y2="${plotBottom + 4}" stroke="#999"/>`,
      `<text x="${fixed(x(tick))}" y="${plotBottom + 15}" text-anchor="middle" fill="#555">${time(tick)}</text>`,
    );
  }
  // Band and expected, only where the detector had formed one (not while warming up).
  const judged: number[] = [];
  for (let index = from; index < to; index += 1) if (!trace.warmingUp[index]) judged.push(index);
  if (judged.length > 1) {
    const upper = judged.map((index) => `${fixed(xOf(index))},${fixed(y(trace.high[index]!))}`);
    const lower = judged.map((index) => `${fixed(xOf(index))},${fixed(y(trace.low[index]!))}`).reverse();
    parts.push(`<polygon points="${[...upper, ...lower].join(" ")}" fill="${COLORS.band}"/>`);
    parts.push(
      `<polyline points="${judged.map((index) => `${fixed(xOf(index))},${fixed(y(trace.expected[index]!))}`).join(" ")}" fill="none" stroke="${COLORS.expected}" stroke-dasharray="4 2"/>`,
    );
  }
  const observed: string[] = [];
  for (let index = from; index < to; index += 1) {
    observed.push(`${fixed(xOf(index))},${fixed(y(trace.observed[index]!))}`);
  }
  parts.push(
    `<polyline points="${observed.join(" ")}" fill="none" stroke="${COLORS.observed}" stroke-width="1.3"/>`,
  );
  const strip = (interval: MarketInterval, color: string, opacity: number) => {
    const x1 = Math.max(left, x(interval.start));
    const x2 = Math.min(right, x(interval.peak ?? interval.start) + 2);
    const x3 = Math.min(right, x(interval.end));
    return (
      `<rect x="${fixed(x1)}" y="${plotTop + 2}" width="${fixed(Math.max(1, x3 - x1))}" height="${TRUTH_STRIP}" fill="${color}" opacity="${opacity * 0.45}"/>` +
      `<rect x="${fixed(x1)}" y="${plotTop + 2}" width="${fixed(Math.max(2, x2 - x1))}" height="${TRUTH_STRIP}" fill="${color}" opacity="${opacity}"/>`
    );
  };
  for (const interval of truth.ignored.filter(inRange)) parts.push(strip(interval, COLORS.ignored, 1));
  for (const interval of truth.decoys.filter(inRange)) parts.push(strip(interval, COLORS.decoy, 0.8));
  for (const interval of truth.moments.filter(inRange)) parts.push(strip(interval, COLORS.moment, 0.8));
  for (const peak of peaks) {
    if (peak.country !== trace.country || peak.sport !== trace.sport) continue;
    if (peak.bucketStart < startMs || peak.bucketStart >= endMs) continue;
    // At the window that raised it (a confirmed crossing shows one window late, as the editor saw it).
    const raisedAt = Math.floor((peak.detectedAt - trace.start) / windowMs);
    const px = xOf(raisedAt);
    const py = y(trace.observed[raisedAt] ?? peak.observed);
    parts.push(
      `<line x1="${fixed(px)}" y1="${plotTop + TRUTH_STRIP + 2}" x2="${fixed(px)}" y2="${plotBottom}" stroke="${COLORS.peak}" stroke-width="0.8" opacity="0.5"/>`,
      `<path d="M${fixed(px)} ${fixed(py - 9)} L${fixed(px + 5)} ${fixed(py - 1)} L${fixed(px - 5)} ${fixed(py - 1)} Z" fill="${COLORS.peak}"/>`,
    );
  }
  return parts.join("\n");
}
