// Reads for the dashboard: anomalies of a time range (optionally one country), each with the candidate
// moment it belongs to, in plain JSON (ids as strings, times as epoch ms).
import type { Db } from "../db/client";

export interface AnomalyView {
  id: string;
  country: string;
  sport: string;
  kind: string;
  detector: string;
  status: string;
  windowStart: number;
  windowEnd: number;
  detectedAt: number;
  endedAt: number | null;
  observed: number;
  expected: number;
  expectedLow: number;
  expectedHigh: number;
  upliftPct: number;
  extremeUpliftPct: number | null;
  score: number;
  candidate: CandidateView | null;
}

export interface CandidateView {
  id: string;
  sport: string;
  status: string;
  startedAt: number;
  score: number;
  extraViewers: number;
  markets: unknown;
  causeEventId: string | null;
}

const MAX_ANOMALIES = 2_000;

export async function readAnomalies(
  db: Db,
  options: { from: number; to: number; country?: string; sport?: string },
): Promise<AnomalyView[]> {
  const rows = await db.anomaly.findMany({
    where: {
      windowStart: { gte: new Date(options.from), lt: new Date(options.to) },
      ...(options.country ? { country: options.country } : {}),
      ...(options.sport ? { sport: options.sport } : {}),
    },
    include: { candidate: true },
    orderBy: [{ windowStart: "asc" }, { id: "asc" }],
    take: MAX_ANOMALIES,
  });
  return rows.map((row) => ({
    id: row.id.toString(),
    country: row.country,
    sport: row.sport,
    kind: row.kind,
    detector: row.detector,
    status: row.status,
    windowStart: row.windowStart.getTime(),
    windowEnd: row.windowEnd.getTime(),
    detectedAt: row.detectedAt.getTime(),
    endedAt: row.endedAt?.getTime() ?? null,
    observed: row.observed,
    expected: row.expected,
    expectedLow: row.expectedLow,
    expectedHigh: row.expectedHigh,
    upliftPct: row.upliftPct,
    extremeUpliftPct: row.extremeUpliftPct,
    score: row.score,
    candidate: row.candidate
      ? {
          id: row.candidate.id.toString(),
          sport: row.candidate.sport,
          status: row.candidate.status,
          startedAt: row.candidate.startedAt.getTime(),
          score: row.candidate.score,
          extraViewers: row.candidate.extraViewers,
          markets: row.candidate.markets,
          causeEventId: row.candidate.causeEventId,
        }
      : null,
  }));
}
