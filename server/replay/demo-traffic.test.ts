import { describe, expect, it } from "vitest";
import { DemoTraffic } from "./demo-traffic";

const START = Date.UTC(2026, 6, 1, 12);

describe("demo traffic", () => {
  it("is deterministic for a seed", () => {
    const a = new DemoTraffic({ seed: 7, actionsPerSecond: 200, startTime: START }).actionsBetween(
      START,
      START + 5_000,
    );
    const b = new DemoTraffic({ seed: 7, actionsPerSecond: 200, startTime: START }).actionsBetween(
      START,
      START + 5_000,
    );
    expect(a).toEqual(b);
    const c = new DemoTraffic({ seed: 8, actionsPerSecond: 200, startTime: START }).actionsBetween(
      START,
      START + 5_000,
    );
    expect(c).not.toEqual(a);
  });

  it("produces about the configured rate, with event times inside the interval", () => {
    const actions = new DemoTraffic({ seed: 1, actionsPerSecond: 300, startTime: START }).actionsBetween(
      START,
      START + 10_000,
    );
    expect(actions.length).toBeGreaterThan(2_500);
    expect(actions.length).toBeLessThan(3_500);
    expect(actions.every((a) => a.ts >= START && a.ts < START + 10_000)).toBe(true);
  });

  it("schedules an audience reaction about every minute that lifts its series well above baseline", () => {
    const traffic = new DemoTraffic({ seed: 3, actionsPerSecond: 400, startTime: START });
    // Walk five minutes in 5-second steps and remember each series' counts.
    const perStep: Map<string, number>[] = [];
    for (let t = START; t < START + 300_000; t += 5_000) {
      const step = new Map<string, number>();
      for (const a of traffic.actionsBetween(t, t + 5_000)) {
        const key = `${a.country}|${a.sport}`;
        step.set(key, (step.get(key) ?? 0) + 1);
      }
      perStep.push(step);
    }
    const reactions = traffic.scheduledReactions;
    expect(reactions.length).toBeGreaterThanOrEqual(4);
    expect(reactions.length).toBeLessThanOrEqual(7);
    const first = reactions[0]!;
    const key = `${first.country}|${first.sport}`;
    const stepOf = (time: number) => Math.floor((time - START) / 5_000);
    const before = perStep[stepOf(first.start) - 1]!.get(key) ?? 0;
    const peak = perStep[stepOf(first.start + 15_000)]!.get(key) ?? 0;
    expect(peak).toBeGreaterThan(before * 1.5);
  });
});
