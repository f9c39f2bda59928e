// Turns one series' detection events into the rows the detection store writes: anomalies (peaks and drops,
// keyed by series, kind and bucket so a re-run never doubles one) and ends of open anomalies.
import type { DetectionEvent, PeakEndEvent } from "./peak-tracker";
import type { Assessment } from "./types";

export interface AnomalyDraft {
  /** country|sport|kind|bucket start ms: the natural key. */
  key: string;
  country: string;
  sport: string;
  kind: "peak" | "drop";
  detector: string;
  windowStart: number;
  windowEnd: number;
  detectedAt: number;
  observed: number;
  expected: number;
  expectedLow: number;
  expectedHigh: number;
  upliftPct: number;
  score: number;
}

export interface AnomalyEnd {
  country: string;
  sport: string;
  kind: "peak" | "drop";
  startedAt: number;
  endedAt: number;
  extremeUpliftPct: number;
}

export function anomalyKey(country: string, sport: string, kind: string, bucketStart: number): string {
  return `${country}|${sport}|${kind}|${bucketStart}`;
}

export function draftsFromEvents(options: {
  country: string;
  sport: string;
  detector: string;
  windowMs: number;
  events: readonly DetectionEvent[];
  /** Assessments of this step by bucket start, for the band of the event's bucket. */
  assessments: ReadonlyMap<number, Assessment>;
}): { anomalies: AnomalyDraft[]; ends: AnomalyEnd[] } {
  const { country, sport, detector, windowMs, events, assessments } = options;
  const anomalies: AnomalyDraft[] = [];
  const ends: AnomalyEnd[] = [];
  for (const event of events) {
    if (isEnd(event)) {
      ends.push({
        country,
        sport,
        kind: event.kind === "peak-end" ? "peak" : "drop",
        startedAt: event.startedAt,
        endedAt: event.endedAt,
        extremeUpliftPct: event.extremeUpliftPct,
      });
      continue;
    }
    // In local-maximum mode the top may have been judged in an earlier step: its band is then unknown here,
    // and expected stands for both edges.
    const band = assessments.get(event.bucketStart);
    anomalies.push({
      key: anomalyKey(country, sport, event.kind, event.bucketStart),
      country,
      sport,
      kind: event.kind,
      detector,
      windowStart: event.bucketStart,
      windowEnd: event.bucketStart + windowMs,
      detectedAt: event.detectedAt,
      observed: event.observed,
      expected: event.expectedViewers,
      expectedLow: band?.lowerViewers ?? event.expectedViewers,
      expectedHigh: band?.upperViewers ?? event.expectedViewers,
      upliftPct: event.upliftPct,
      score: event.score,
    });
  }
  return { anomalies, ends };
}

function isEnd(event: DetectionEvent): event is PeakEndEvent {
  return event.kind === "peak-end" || event.kind === "drop-end";
}
