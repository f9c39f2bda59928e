import { describe, expect, it } from "vitest";
import { anomalyKey, draftsFromEvents } from "./anomaly-drafts";
import type { Assessment } from "./types";

describe("draftsFromEvents", () => {
  const assessment: Assessment = {
    bucketStart: 50_000,
    observed: 300,
    expectedViewers: 100,
    lowerViewers: 60,
    upperViewers: 140,
    sigma: 10,
    upliftPct: 200,
    score: 0.8,
    isPeak: true,
    isDrop: false,
    warmingUp: false,
  };

  it("turns a peak into an anomaly keyed by series, kind and bucket, with its band", () => {
    const { anomalies, ends } = draftsFromEvents({
      country: "FR",
      sport: "football",
      detector: "uplift",
      windowMs: 10_000,
      events: [
        {
          kind: "peak",
          bucketStart: 50_000,
          detectedAt: 60_000,
          observed: 300,
          expectedViewers: 100,
          upliftPct: 200,
          score: 0.8,
        },
        {
          kind: "peak-end",
          startedAt: 50_000,
          endedAt: 90_000,
          buckets: 5,
          extremeUpliftPct: 250,
          extremeObserved: 350,
        },
      ],
      assessments: new Map([[50_000, assessment]]),
    });
    expect(anomalies).toEqual([
      {
        key: anomalyKey("FR", "football", "peak", 50_000),
        country: "FR",
        sport: "football",
        kind: "peak",
        detector: "uplift",
        windowStart: 50_000,
        windowEnd: 60_000,
        detectedAt: 60_000,
        observed: 300,
        expected: 100,
        expectedLow: 60,
        expectedHigh: 140,
        upliftPct: 200,
        score: 0.8,
      },
    ]);
    expect(anomalies[0]!.key).toBe("FR|football|peak|50000");
    expect(ends).toEqual([
      {
        country: "FR",
        sport: "football",
        kind: "peak",
        startedAt: 50_000,
        endedAt: 90_000,
        extremeUpliftPct: 250,
      },
    ]);
  });

  it("uses expected for both band edges when the bucket was judged in an earlier step", () => {
    const { anomalies } = draftsFromEvents({
      country: "FR",
      sport: "football",
      detector: "uplift",
      windowMs: 10_000,
      events: [
        {
          kind: "drop",
          bucketStart: 20_000,
          detectedAt: 20_000,
          observed: 0,
          expectedViewers: 80,
          upliftPct: -100,
          score: 0,
        },
      ],
      assessments: new Map(),
    });
    expect(anomalies[0]).toMatchObject({ kind: "drop", expectedLow: 80, expectedHigh: 80 });
  });
});
