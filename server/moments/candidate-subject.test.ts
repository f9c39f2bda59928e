import { describe, expect, it } from "vitest";
import { CandidateShapeError, subjectOf } from "./candidate-subject";

const at = Date.parse("2026-02-15T14:03:00Z");
const row = {
  id: 4n,
  key: `hockey|${at}`,
  sport: "hockey",
  startedAt: new Date(at),
  lastPeakAt: null,
  markets: [
    {
      country: "FI",
      anomalyId: "9",
      bucketStart: String(at),
      observed: 420,
      expectedViewers: 280,
      upliftPct: 50,
      score: 0.8,
    },
  ],
  score: 0.8,
  extraViewers: 140,
};

describe("candidate → agent subject", () => {
  it("reads the stored markets (bigint bucket starts as numbers) and defaults the last peak", () => {
    const subject = subjectOf(row, 10);
    expect(subject.bucketSeconds).toBe(10);
    expect(subject.candidate.lastPeakAt).toBe(at);
    expect(subject.candidate.markets).toEqual([
      { country: "FI", bucketStart: at, observed: 420, expectedViewers: 280, upliftPct: 50, score: 0.8 },
    ]);
  });

  it("refuses a candidate without markets or with malformed ones", () => {
    expect(() => subjectOf({ ...row, markets: [] }, 10)).toThrow(CandidateShapeError);
    expect(() => subjectOf({ ...row, markets: [{ country: "FI" }] }, 10)).toThrow(/malformed markets/);
  });
});
