// Pure helpers for what the chart draws besides the lines: stored series as chart rows, the expected band of
// one sport, and peak markers placed on the line they belong to.
import { COUNTRY_TOTAL_SPORT } from "../server/stream/messages";
import type { AnomalyView } from "../server/detect/anomaly-queries";
import type { MomentSummary } from "../server/moments/moment-views";
import type { ExpectedBand, SeriesPoint } from "../server/traffic/queries";
import type { ChartRow } from "./traffic-rows";

/**
 * Rows for stored series points over [from, to) in steps of `stepMs`, zero where a step saw nothing. A step
 * that ends after `to` or `now` is still filling (or cut off): drawn, it would look like a sudden drop.
 */
export function seriesRows(
  points: SeriesPoint[],
  from: number,
  to: number,
  stepMs: number,
  now = Date.now(),
): { sports: string[]; rows: ChartRow[] } {
  // The country total (sport `all`) is not drawn as a sport: it would dwarf them.
  const sports = [...new Set(points.map((point) => point.sport))]
    .filter((sport) => sport !== COUNTRY_TOTAL_SPORT)
    .sort();
  const byTime = new Map<number, ChartRow>();
  const first = from - (from % stepMs);
  const end = Math.min(to, now);
  for (let time = first; time + stepMs <= end; time += stepMs) {
    const row = { time } as ChartRow;
    for (const sport of sports) row[sport] = 0;
    byTime.set(time, row);
  }
  for (const point of points) {
    const row = byTime.get(point.bucketStart);
    if (row && point.sport !== COUNTRY_TOTAL_SPORT) row[point.sport] = point.actions;
  }
  return { sports, rows: [...byTime.values()] };
}

/** bucketStart → [expectedLow, expectedHigh] of one country and sport. */
export function bandOf(bands: ExpectedBand[], country: string, sport: string): Map<number, [number, number]> {
  const band = new Map<number, [number, number]>();
  for (const [bandCountry, bandSport, bucketStart, , low, high] of bands) {
    if (bandCountry === country && bandSport === sport) band.set(bucketStart, [Math.max(0, low), high]);
  }
  return band;
}

export interface PeakMarker {
  anomaly: AnomalyView;
  /** Chart x: the row (step) that holds the peak's window. */
  time: number;
  /** Chart y: the line's value there, so the marker sits on the line. */
  value: number;
  /** The moment the peak's candidate became, once the agents picked it up. */
  moment?: MomentSummary;
}

/** What a marker's colour says: its moment's status, else the peak's own (open, ended, broad). */
export function markerStatus(marker: PeakMarker): string {
  return marker.moment?.status ?? marker.anomaly.status;
}

/**
 * Markers for the peaks of the drawn sports that fall inside the rows, each with its moment when one exists
 * (looked up by the candidate the peak belongs to).
 */
export function peakMarkers(
  anomalies: AnomalyView[],
  rows: ChartRow[],
  stepMs: number,
  momentsByCandidate: ReadonlyMap<string, MomentSummary> = new Map(),
): PeakMarker[] {
  if (rows.length === 0) return [];
  const byTime = new Map(rows.map((row) => [row.time, row]));
  const markers: PeakMarker[] = [];
  for (const anomaly of anomalies) {
    if (anomaly.kind !== "peak") continue;
    const time = anomaly.windowStart - (anomaly.windowStart % stepMs);
    const value = byTime.get(time)?.[anomaly.sport];
    if (value === undefined) continue;
    const moment = anomaly.candidate ? momentsByCandidate.get(anomaly.candidate.id) : undefined;
    markers.push(moment ? { anomaly, time, value, moment } : { anomaly, time, value });
  }
  return markers;
}
