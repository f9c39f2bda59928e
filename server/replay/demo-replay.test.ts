import { describe, expect, it } from "vitest";
import { busiestStretch, DemoGames } from "./demo-replay";

const WALL = Date.UTC(2026, 10, 25, 18);

describe("demo games on the wall clock", () => {
  const games = new DemoGames(0, 42, WALL, 1, 400);

  it("starts a new audience reaction every minute or so", () => {
    const reactions = games.plan.groundTruth.filter((m) => m.kind === "reaction");
    const wallMinutes = (games.wallEnd - WALL) / 60_000;
    const perMinute = reactions.length / wallMinutes;
    expect(perMinute).toBeGreaterThan(0.4);
    expect(perMinute).toBeLessThan(2.5);
    expect(games.plan.groundTruth.some((m) => m.decoy)).toBe(true);
  });

  it("plays about the configured wall-clock rate, re-timed into the asked interval, without gaps or repeats", () => {
    const slices = [];
    for (let t = WALL + 600_000; t < WALL + 660_000; t += 250)
      slices.push(...games.actionsBetween(t, t + 250));
    const whole = new DemoGames(0, 42, WALL, 1, 400).actionsBetween(WALL + 600_000, WALL + 660_000);
    expect(slices).toEqual(whole);
    expect(whole.every((a) => a.ts >= WALL + 600_000 && a.ts < WALL + 660_000)).toBe(true);
    const perSecond = whole.length / 60;
    expect(perSecond).toBeGreaterThan(100);
    expect(perSecond).toBeLessThan(1_600);
  });

  it("reports each ground-truth moment once, when its start passes on the wall clock", () => {
    const fresh = new DemoGames(0, 42, WALL, 4, 400);
    const first = fresh.plan.groundTruth[0]!;
    expect(fresh.momentsStartedBy(fresh.toWall(first.start) - 1)).toEqual([]);
    expect(fresh.momentsStartedBy(fresh.toWall(first.start))[0]).toEqual(first);
    expect(fresh.momentsStartedBy(fresh.toWall(first.start))).toEqual([]);
  });
});

describe("busiestStretch", () => {
  const start = Date.UTC(2026, 7, 1);
  const minute = 60_000;
  const plan = (starts: number[], decoys: number[] = []) => ({
    manifest: { start, end: start + 24 * 60 * minute },
    groundTruth: [
      ...starts.map((at) => ({ start: start + at * minute, decoy: false })),
      ...decoys.map((at) => ({ start: start + at * minute, decoy: true })),
    ],
  });

  it("finds the stretch holding the most reactions, decoys left out", () => {
    const games = plan([20, 300, 310, 330, 355, 500], [600, 601, 602, 603, 604]);
    expect(busiestStretch(games, 60 * minute)).toBe(300 * minute);
    // A longer stretch takes in the early reaction too when that holds more.
    expect(busiestStretch(games, 340 * minute)).toBe(20 * minute);
  });

  it("is the games' start when it has no reaction", () => {
    expect(busiestStretch(plan([]), 60 * minute)).toBe(0);
  });
});
