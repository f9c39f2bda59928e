"use client";
// What the focused chart reads besides live buckets: stored series for the last day or a custom range, the
// expected band of live ranges, and the peaks of the visible range. Live ranges re-read the band and peaks
// when a new window completes (the caller's `to` moves on with the SSE feed), never on a timer.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AnomalyView } from "../server/detect/anomaly-queries";
import type { ExpectedBand, Resolution, SeriesPoint } from "../server/traffic/queries";
import { getJson } from "./fetch-json";

export interface StoredSeries {
  from: number;
  to: number;
  resolution: Resolution;
  stepSeconds: number;
  points: SeriesPoint[];
  bands: ExpectedBand[];
}

export function useStoredSeries(
  country: string | undefined,
  range: { from: number; to: number } | undefined,
) {
  return useQuery({
    queryKey: ["traffic-series", country, range?.from, range?.to],
    enabled: country !== undefined && range !== undefined,
    queryFn: () =>
      getJson<StoredSeries>(
        `/api/traffic/series?country=${country}&from=${range!.from}&to=${range!.to}`,
        "the stored traffic",
      ),
  });
}

export function useLiveBands(country: string | undefined, from: number, to: number, enabled: boolean) {
  return useQuery({
    queryKey: ["traffic-bands", country, from, to],
    enabled: enabled && country !== undefined && from < to,
    placeholderData: keepPreviousData,
    queryFn: () =>
      getJson<{ bands: ExpectedBand[] }>(
        `/api/traffic/bands?country=${country}&from=${from}&to=${to}`,
        "the expected band",
      ).then((body) => body.bands),
  });
}

export function usePeaks(country: string | undefined, from: number, to: number) {
  return useQuery({
    queryKey: ["anomalies", country, from, to],
    enabled: country !== undefined && from < to,
    placeholderData: keepPreviousData,
    queryFn: () =>
      getJson<{ anomalies: AnomalyView[] }>(
        `/api/anomalies?country=${country}&from=${from}&to=${to}`,
        "peaks",
      ).then((body) => body.anomalies),
  });
}
