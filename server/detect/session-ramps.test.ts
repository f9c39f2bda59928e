import { describe, expect, it } from "vitest";
import { SessionRamps, withSessionRamps } from "./session-ramps";
import type { BucketObservation } from "./types";
import { UpliftDetector } from "./uplift";

const MINUTE = 60_000;
const WINDOW_MS = 10_000;

describe("SessionRamps", () => {
  const ramps = new SessionRamps([
    { sport: "judo", startsAt: 60 * MINUTE, endsAt: 90 * MINUTE },
    // Overlaps the first: one spell on air from 60 to 120 minutes, so no ramp at 80.
    { sport: "judo", startsAt: 80 * MINUTE, endsAt: 120 * MINUTE },
  ]);

  it("expects the audience to gather before a sport goes on air and to leave after it goes off", () => {
    expect(ramps.rampAt("judo", 40 * MINUTE, WINDOW_MS)).toBe(0);
    expect(ramps.rampAt("judo", 52 * MINUTE, WINDOW_MS)).toBe(1);
    expect(ramps.rampAt("judo", 60 * MINUTE + 30_000, WINDOW_MS)).toBe(1);
    expect(ramps.rampAt("judo", 65 * MINUTE, WINDOW_MS)).toBe(0);
    expect(ramps.rampAt("judo", 75 * MINUTE, WINDOW_MS)).toBe(0);
    expect(ramps.rampAt("judo", 130 * MINUTE, WINDOW_MS)).toBe(-1);
    expect(ramps.rampAt("judo", 140 * MINUTE, WINDOW_MS)).toBe(0);
    expect(ramps.rampAt("tennis", 52 * MINUTE, WINDOW_MS)).toBe(0);
  });

  it("fills each bucket's ramp in", () => {
    const [market] = withSessionRamps(
      [{ sport: "judo", buckets: [{ bucketStart: 55 * MINUTE, observed: 3 }] }],
      ramps,
      WINDOW_MS,
    );
    expect(market!.buckets[0]).toEqual({ bucketStart: 55 * MINUTE, observed: 3, sessionRamp: 1 });
  });
});

describe("a gathering ramp the schedule announced", () => {
  // An audience tripling over the ten minutes before a session, with steady count noise.
  const series: BucketObservation[] = Array.from({ length: 300 }, (_, index) => {
    const base = 100 + Math.max(0, Math.min(60, index - 200)) * 5;
    const noise = [0, 6, -5, 9, -8, 3, -2][index % 7]! * Math.sqrt(base / 100);
    return { bucketStart: index * WINDOW_MS, observed: Math.round(base + noise) };
  });
  const run = (buckets: readonly BucketObservation[]) => {
    const detector = new UpliftDetector();
    return buckets.map((bucket) => detector.assess(bucket)).filter((a) => a.isPeak).length;
  };

  it("is followed by the baseline instead of firing", () => {
    const announced = series.map((bucket, index) => ({
      ...bucket,
      sessionRamp: index >= 200 && index < 266 ? 1 : 0,
    }));
    expect(run(series)).toBeGreaterThan(0);
    expect(run(announced)).toBe(0);
  });
});
