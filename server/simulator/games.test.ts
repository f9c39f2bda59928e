import { describe, expect, it } from "vitest";
import { planGames } from "./games";
import { rhythmOf } from "./sport-rhythms";

const plan = planGames({ seed: 21, size: "small" });

describe("planned games", () => {
  it("is the same plan for the same seed", () => {
    const again = planGames({ seed: 21, size: "small" });
    expect(JSON.stringify(again.playByPlay)).toBe(JSON.stringify(plan.playByPlay));
    expect(JSON.stringify(planGames({ seed: 22, size: "small" }).playByPlay)).not.toBe(
      JSON.stringify(plan.playByPlay),
    );
  });

  it("schedules every sport from its first phase to its final, inside the games", () => {
    for (const sport of plan.manifest.sports) {
      const sessions = plan.sessions.filter((s) => s.sport === sport.slug);
      const phases = rhythmOf(sport.slug).phases;
      expect(sessions[0]!.phase).toBe(phases[0]);
      expect(sessions.some((s) => s.phase === phases[phases.length - 1] && s.stage === 3)).toBe(true);
      for (const s of sessions) {
        expect(s.startsAt).toBeGreaterThanOrEqual(plan.manifest.start);
        expect(s.endsAt).toBeLessThanOrEqual(plan.manifest.end);
        expect(s.athleteIds.length).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it("writes play-by-play inside its session, naming real athletes, with significance 0–1", () => {
    const sessions = new Map(plan.sessions.map((s) => [s.id, s]));
    const athletes = new Set(plan.athletes.map((a) => a.id));
    for (const event of plan.playByPlay) {
      const session = sessions.get(event.sessionId)!;
      expect(event.ts).toBe(session.startsAt + event.timecode * 1_000);
      expect(event.significance).toBeGreaterThan(0);
      expect(event.significance).toBeLessThanOrEqual(1);
      event.athleteIds.forEach((id) => expect(athletes.has(id)).toBe(true));
    }
    const types = new Set(plan.playByPlay.map((e) => e.type));
    expect(types).toContain("medal_decided");
    expect(types).toContain("goal");
  });

  it("finals matter more than first rounds", () => {
    const mean = (stage: number) => {
      const events = plan.playByPlay.filter(
        (e) => plan.sessions.find((s) => s.id === e.sessionId)!.stage === stage,
      );
      return events.reduce((sum, e) => sum + e.significance, 0) / events.length;
    };
    expect(mean(3)).toBeGreaterThan(mean(0));
  });

  it("links stories to athletes and countries of the games", () => {
    const athletes = new Set(plan.athletes.map((a) => a.id));
    const kinds = new Set(plan.stories.map((s) => s.kind));
    expect(kinds).toEqual(new Set(["profile", "comeback", "rivalry", "preview", "recap"]));
    for (const story of plan.stories) {
      story.athleteIds.forEach((id) => expect(athletes.has(id)).toBe(true));
      expect(story.countries.length).toBeGreaterThan(0);
    }
  });

  it("lists each reaction after its cause, with start ≤ peak ≤ end and the markets it moved", () => {
    const events = new Map(plan.playByPlay.map((e) => [e.id, e]));
    const reactions = plan.groundTruth.filter((m) => m.kind === "reaction");
    expect(reactions.length).toBeGreaterThan(10);
    for (const moment of reactions) {
      const cause = events.get(moment.causeEventId!)!;
      expect(moment.start).toBeGreaterThan(cause.ts);
      expect(moment.start).toBeLessThanOrEqual(moment.peak);
      expect(moment.peak).toBeLessThan(moment.end);
      expect(moment.markets.length).toBeGreaterThan(0);
      expect(moment.markets.every((m) => m.sport === cause.sport && m.peakUpliftPct >= 15)).toBe(true);
    }
  });
});
