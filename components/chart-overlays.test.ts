import { describe, expect, it } from "vitest";
import type { AnomalyView } from "../server/detect/anomaly-queries";
import type { MomentSummary } from "../server/moments/moment-views";
import { bandOf, markerStatus, peakMarkers, seriesRows } from "./chart-overlays";

const anomaly = (overrides: Partial<AnomalyView>): AnomalyView => ({
  id: "1",
  country: "FR",
  sport: "football",
  kind: "peak",
  detector: "uplift",
  status: "open",
  windowStart: 20_000,
  windowEnd: 30_000,
  detectedAt: 30_000,
  endedAt: null,
  observed: 50,
  expected: 10,
  expectedLow: 5,
  expectedHigh: 15,
  upliftPct: 400,
  extremeUpliftPct: null,
  score: 0.9,
  candidate: null,
  ...overrides,
});

describe("chart overlays", () => {
  it("turns stored points into zero-filled rows over the whole range", () => {
    const { sports, rows } = seriesRows(
      [
        { sport: "tennis", bucketStart: 60_000, actions: 4 },
        { sport: "athletics", bucketStart: 0, actions: 7 },
      ],
      0,
      200_000,
      60_000,
      1_000_000,
    );
    expect(sports).toEqual(["athletics", "tennis"]);
    expect(rows).toEqual([
      { time: 0, athletics: 7, tennis: 0 },
      { time: 60_000, athletics: 0, tennis: 4 },
      { time: 120_000, athletics: 0, tennis: 0 },
    ]);
  });

  it("leaves out the step still filling", () => {
    const { rows } = seriesRows([], 0, 600_000, 60_000, 150_000);
    expect(rows.map((row) => row.time)).toEqual([0, 60_000]);
  });

  it("keeps one country's and sport's band, never below zero", () => {
    const band = bandOf(
      [
        ["FR", "football", 0, 10, -2, 20],
        ["FR", "tennis", 0, 1, 0, 2],
        ["US", "football", 0, 1, 0, 2],
      ],
      "FR",
      "football",
    );
    expect([...band]).toEqual([[0, [0, 20]]]);
  });

  it("puts peaks on their line's step and leaves out drops and peaks outside the rows", () => {
    const rows = [
      { time: 0, football: 3 },
      { time: 60_000, football: 80 },
    ];
    const markers = peakMarkers(
      [
        anomaly({ id: "a", windowStart: 70_000 }),
        anomaly({ id: "b", kind: "drop" }),
        anomaly({ id: "c", windowStart: 500_000 }),
      ],
      rows,
      60_000,
    );
    expect(markers.map(({ anomaly: a, time, value }) => [a.id, time, value])).toEqual([["a", 60_000, 80]]);
  });

  it("colours a peak by the status of the moment its candidate became", () => {
    const rows = [{ time: 0, football: 3 }];
    const candidate = {
      id: "7",
      sport: "football",
      status: "open",
      startedAt: 0,
      score: 1,
      extraViewers: 10,
      markets: [],
      causeEventId: null,
    };
    const moment = { id: "3", candidateId: "7", status: "approved" } as MomentSummary;
    const [withMoment, without] = peakMarkers(
      [anomaly({ id: "a", windowStart: 0, candidate }), anomaly({ id: "b", windowStart: 0 })],
      rows,
      10_000,
      new Map([["7", moment]]),
    );
    expect(withMoment!.moment?.id).toBe("3");
    expect(markerStatus(withMoment!)).toBe("approved");
    expect(markerStatus(without!)).toBe("open");
  });
});
