// From a stored candidate_moment row to what the agents are asked about (MomentSubject), validating the
// markets JSON once at this boundary.
import { z } from "zod";
import type { MomentSubject } from "../agents/moment-evidence";

const storedMarketSchema = z.object({
  country: z.string(),
  bucketStart: z.coerce.number(),
  observed: z.number(),
  expectedViewers: z.number(),
  upliftPct: z.number(),
  score: z.number(),
});

export interface StoredCandidate {
  id: bigint;
  key: string;
  sport: string;
  startedAt: Date;
  lastPeakAt: Date | null;
  markets: unknown;
  score: number;
  extraViewers: number;
}

export class CandidateShapeError extends Error {
  override name = "CandidateShapeError";
}

export function subjectOf(candidate: StoredCandidate, bucketSeconds: number): MomentSubject {
  const markets = z.array(storedMarketSchema).safeParse(candidate.markets);
  if (!markets.success) {
    throw new CandidateShapeError(
      `candidate ${candidate.id} has malformed markets: ${markets.error.issues[0]?.message ?? "unknown"}`,
    );
  }
  if (markets.data.length === 0) {
    throw new CandidateShapeError(
      `candidate ${candidate.id} has no markets: nothing for the scorer to judge`,
    );
  }
  const uplifts = markets.data.map(
    ({ country, bucketStart, observed, expectedViewers, upliftPct, score }) => ({
      country,
      bucketStart,
      observed,
      expectedViewers,
      upliftPct,
      score,
    }),
  );
  const startedAt = candidate.startedAt.getTime();
  return {
    candidate: {
      key: candidate.key,
      sport: candidate.sport,
      startedAt,
      lastPeakAt: Math.max(startedAt, candidate.lastPeakAt?.getTime() ?? startedAt),
      markets: uplifts,
      extraViewers: candidate.extraViewers,
      score: candidate.score,
    },
    bucketSeconds,
  };
}
