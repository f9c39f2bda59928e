// A stable, distinct colour per sport (by its place in the reference list), the same in every chart.
import { SPORTS } from "../server/reference/sports";

const PALETTE = [
  "#38bdf8", // sky
  "#f472b6", // pink
  "#a3e635", // lime
  "#fbbf24", // amber
  "#a78bfa", // violet
  "#2dd4bf", // teal
  "#fb923c", // orange
  "#f87171", // red
  "#60a5fa", // blue
  "#e879f9", // fuchsia
  "#facc15", // yellow
  "#4ade80", // green
  "#94a3b8", // slate
  "#c4b5fd", // lavender
  "#fda4af", // rose
];

export function sportColor(sport: string): string {
  const index = SPORTS.findIndex((reference) => reference.slug === sport);
  return PALETTE[(index >= 0 ? index : sport.length) % PALETTE.length]!;
}
