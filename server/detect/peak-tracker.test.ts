import { describe, expect, it } from "vitest";
import { PeakTracker, type DetectionEvent } from "./peak-tracker";
import type { Assessment } from "./types";

const WINDOW_MS = 10_000;

/** A hand-made assessment: expected 100, the given uplift, peak/drop flags from the default rules. */
function assessment(index: number, upliftPct: number, overrides: Partial<Assessment> = {}): Assessment {
  const observed = 100 * (1 + upliftPct / 100);
  return {
    bucketStart: index * WINDOW_MS,
    observed,
    expectedViewers: 100,
    lowerViewers: 65,
    upperViewers: 135,
    sigma: 10,
    upliftPct,
    score: upliftPct >= 40 ? 0.6 : 0.2,
    isPeak: upliftPct >= 40,
    isDrop: upliftPct <= -40,
    warmingUp: false,
    ...overrides,
  };
}

function track(tracker: PeakTracker, uplifts: readonly number[], from = 0): DetectionEvent[] {
  return uplifts.flatMap((uplift, index) => tracker.track(assessment(from + index, uplift)));
}

/** Each event as kind@window start (a peak's own window, a peak-end's end). */
function timeline(events: readonly DetectionEvent[]): string[] {
  return events.map((event) => `${event.kind}@${"bucketStart" in event ? event.bucketStart : event.endedAt}`);
}

describe("PeakTracker", () => {
  it("raises one peak per peak, on its first crossing, and ends it once back near expected", () => {
    const events = track(new PeakTracker(WINDOW_MS), [0, 5, 60, 90, 70, 45, 20, 10, 5, 0]);
    expect(events.map((event) => event.kind)).toEqual(["peak", "peak-end"]);
    expect(events[0]).toMatchObject({
      kind: "peak",
      bucketStart: 2 * WINDOW_MS,
      detectedAt: 2 * WINDOW_MS,
      upliftPct: 60,
    });
    expect(events[1]).toMatchObject({
      kind: "peak-end",
      startedAt: 2 * WINDOW_MS,
      endedAt: 8 * WINDOW_MS,
      buckets: 7,
      extremeUpliftPct: 90,
    });
  });

  it("does not end a peak while it only dips briefly (needs releaseBuckets calm buckets in a row)", () => {
    const events = track(new PeakTracker(WINDOW_MS), [60, 10, 70, 10, 60, 5, 5]);
    expect(events.map((event) => event.kind)).toEqual(["peak", "peak-end"]);
  });

  it("holds a cooldown after a peak ends, then fires again", () => {
    const tracker = new PeakTracker(WINDOW_MS, { cooldownBuckets: 3 });
    const events = track(tracker, [60, 0, 0, 80, 0, 0, 0, 0, 70]);
    // Peak at 0 ends at 2; 3 is inside the cooldown (until 6); 8 fires.
    const peaks = events.flatMap((event) => (event.kind === "peak" ? [event.bucketStart] : []));
    expect(peaks).toEqual([0, 8 * WINDOW_MS]);
  });

  it("drops a weak single-bucket crossing as noise and confirms a weak one that holds", () => {
    // A small series (expected 20): its weak crossings wait for the next window.
    const weak = (index: number, uplift: number) =>
      assessment(index, uplift, {
        score: uplift >= 40 ? 0.52 : 0.2,
        observed: 20 * (1 + uplift / 100),
        expectedViewers: 20,
      });
    const tracker = new PeakTracker(WINDOW_MS);
    const noise = [weak(0, 0), weak(1, 45), weak(2, 5)].flatMap((a) => tracker.track(a));
    expect(noise).toEqual([]);
    expect(tracker.phase).toBe("normal");
    const held = [weak(3, 50), weak(4, 55), weak(5, 0), weak(6, 0)].flatMap((a) => tracker.track(a));
    expect(held[0]).toMatchObject({ kind: "peak", bucketStart: 3 * WINDOW_MS, detectedAt: 4 * WINDOW_MS });
    expect(held.map((event) => event.kind)).toEqual(["peak", "peak-end"]);
  });

  it("in local-maximum mode reports the top bucket, detected one bucket later", () => {
    const tracker = new PeakTracker(WINDOW_MS, { fireOn: "local-maximum" });
    const events = track(tracker, [0, 50, 80, 120, 90, 60, 0, 0]);
    expect(events[0]).toMatchObject({
      kind: "peak",
      bucketStart: 3 * WINDOW_MS,
      detectedAt: 4 * WINDOW_MS,
      upliftPct: 120,
    });
    expect(events.map((event) => event.kind)).toEqual(["peak", "peak-end"]);
  });

  it("re-arms after a partial return: a second reaction on the first one's tail is a new peak", () => {
    // Expected 100: first reaction to +150 %, back down to +60 % (still a peak by the rules), then a second
    // reaction to +160 %. One anomaly per reaction, the first ended where the second begins.
    const events = track(
      new PeakTracker(WINDOW_MS),
      [0, 80, 150, 120, 90, 70, 60, 60, 110, 160, 120, 10, 0, 0],
    );
    expect(timeline(events)).toEqual([
      `peak@${1 * WINDOW_MS}`,
      `peak-end@${8 * WINDOW_MS}`,
      `peak@${8 * WINDOW_MS}`,
      `peak-end@${12 * WINDOW_MS}`,
    ]);
  });

  it("re-arms once the tail fell 15 % below its top, not only 20 %", () => {
    // Expected 100: a first reaction at +200 %, its tail eases to +165 % (17.5 % under the top), then a second
    // reaction lifts it by 65 actions (over 3.25 Poisson sigmas and 35 % of expected): a new peak, which at 0.2
    // does not re-arm (its top lifts the first one's and the tail never fell 20 % under it).
    const uplifts = [0, 150, 200, 200, 170, 165, 165, 230, 180, 100, 10, 0, 0];
    expect(track(new PeakTracker(WINDOW_MS), uplifts).map((event) => event.kind)).toEqual([
      "peak",
      "peak-end",
      "peak",
      "peak-end",
    ]);
    expect(track(new PeakTracker(WINDOW_MS, { rearmDropShare: 0.2 }), uplifts).map((e) => e.kind)).toEqual([
      "peak",
      "peak-end",
    ]);
  });

  it("does not re-arm on noise around a decaying peak, nor with re-arming off", () => {
    const decay = [0, 80, 150, 140, 120, 130, 110, 115, 100, 90, 95, 80, 70, 75, 60, 10, 0, 0];
    const kinds = (tracker: PeakTracker) => track(tracker, decay).map((event) => event.kind);
    expect(kinds(new PeakTracker(WINDOW_MS))).toEqual(["peak", "peak-end"]);
    const rebound = [0, 80, 150, 120, 90, 70, 60, 60, 110, 160, 120, 10, 0, 0];
    expect(track(new PeakTracker(WINDOW_MS, { rearmDropShare: 0 }), rebound).map((e) => e.kind)).toEqual([
      "peak",
      "peak-end",
    ]);
  });

  it("re-arms on a second rise that climbs past the first one's top before it is high enough", () => {
    // Expected 100: a first reaction to +60 %, a real dip to +35 %, then a slow second rise (+65, +75 lift the
    // smoothed top past the first one's) that is high enough only at +95 %: judged from its trough all along.
    const events = track(
      new PeakTracker(WINDOW_MS),
      [0, 50, 60, 60, 40, 35, 35, 65, 75, 95, 100, 80, 10, 0, 0],
    );
    expect(timeline(events)).toEqual([
      `peak@${1 * WINDOW_MS}`,
      `peak-end@${9 * WINDOW_MS}`,
      `peak@${9 * WINDOW_MS}`,
      `peak-end@${13 * WINDOW_MS}`,
    ]);
  });

  it("does not re-arm on a wiggle while the first reaction is still rising", () => {
    // A dip in the second window of a peak, then the rise goes on: one reaction, one peak.
    const events = track(new PeakTracker(WINDOW_MS), [0, 100, 40, 150, 200, 170, 120, 90, 60, 30, 10, 0, 0]);
    expect(events.map((event) => event.kind)).toEqual(["peak", "peak-end"]);
    // The same shape later in a peak is a second reaction.
    const late = track(
      new PeakTracker(WINDOW_MS, { rearmAfterBuckets: 0 }),
      [0, 100, 40, 150, 200, 10, 0, 0],
    );
    expect(late.map((event) => event.kind)).toEqual(["peak", "peak-end", "peak", "peak-end"]);
  });

  it("holds a cooldown after a drop ends, so the recovery from an outage is not a peak", () => {
    const events = track(
      new PeakTracker(WINDOW_MS, { cooldownBuckets: 6 }),
      [0, -80, -80, -80, 0, 0, 60, 70, 0, 0, 0, 0, 0, 0, 0, 80],
    );
    expect(events.map((event) => event.kind)).toEqual(["drop", "drop-end", "peak"]);
    expect(events[2]).toMatchObject({ bucketStart: 15 * WINDOW_MS });
  });

  it("confirms a weak crossing when the next window stays clearly elevated, even a little under the rule", () => {
    const weak = (index: number, uplift: number, score: number) =>
      assessment(index, uplift, { score, isPeak: score >= 0.5 });
    const tracker = new PeakTracker(WINDOW_MS);
    const events = [weak(0, 0, 0), weak(1, 45, 0.52), weak(2, 38, 0.45)].flatMap((a) => tracker.track(a));
    expect(events).toMatchObject([{ kind: "peak", bucketStart: WINDOW_MS, detectedAt: 2 * WINDOW_MS }]);
  });

  it("fires a weak crossing of a busy series at once: confirmation is for small counts", () => {
    // Expected 400: a one-window reaction of 580 actions, back down the next window.
    const busy = (index: number, uplift: number, score: number) =>
      assessment(index, uplift, {
        score,
        isPeak: score >= 0.5,
        observed: 400 * (1 + uplift / 100),
        expectedViewers: 400,
      });
    const series = [busy(0, 0, 0), busy(1, 45, 0.52), busy(2, 5, 0.1), busy(3, 0, 0)];
    const tracker = new PeakTracker(WINDOW_MS);
    expect(series.flatMap((a) => tracker.track(a))).toMatchObject([
      { kind: "peak", bucketStart: WINDOW_MS, detectedAt: WINDOW_MS, observed: 580 },
      { kind: "peak-end" },
    ]);
    const waiting = new PeakTracker(WINDOW_MS, { confirmBelowVolume: 0 });
    expect(series.flatMap((a) => waiting.track(a))).toEqual([]);
  });

  it("drops a weak crossing whose next window keeps its level but not the action mix", () => {
    const weak = (index: number, uplift: number, score: number, mixScore: number) =>
      assessment(index, uplift, { score, isPeak: score >= 0.5, mixScore });
    const pageViews = new PeakTracker(WINDOW_MS);
    const pushed = [weak(0, 0, 0, 1), weak(1, 45, 0.52, 0.6), weak(2, 42, 0.45, 0.45)];
    expect(pushed.flatMap((a) => pageViews.track(a))).toEqual([]);
    expect(pageViews.phase).toBe("normal");
    const engaged = new PeakTracker(WINDOW_MS);
    const reaction = [weak(0, 0, 0, 1), weak(1, 45, 0.52, 0.6), weak(2, 42, 0.45, 0.7)];
    expect(reaction.flatMap((a) => engaged.track(a))).toMatchObject([
      { kind: "peak", bucketStart: WINDOW_MS, detectedAt: 2 * WINDOW_MS },
    ]);
  });

  it("drops a weak crossing whose next window fell back to the rule's edge", () => {
    const weak = (index: number, uplift: number, score: number) =>
      assessment(index, uplift, { score, isPeak: score >= 0.5 });
    const tracker = new PeakTracker(WINDOW_MS);
    const events = [weak(0, 0, 0), weak(1, 45, 0.52), weak(2, 30, 0.41)].flatMap((a) => tracker.track(a));
    expect(events).toEqual([]);
    expect(tracker.phase).toBe("normal");
  });

  it("by default holds only a short cooldown: a reaction two windows after a peak ended fires", () => {
    const events = track(new PeakTracker(WINDOW_MS), [60, 0, 0, 0, 80]);
    const peaks = events.flatMap((event) => (event.kind === "peak" ? [event.bucketStart] : []));
    expect(peaks).toEqual([0, 4 * WINDOW_MS]);
  });

  /** The tail of a first reaction, then a second rise the rise rule misses (the tail was high 40–60 s before). */
  const secondRise = (uplifts: readonly (number | "level")[]) =>
    uplifts.map((uplift, index) =>
      typeof uplift === "number"
        ? assessment(index, uplift)
        : assessment(index, index === 8 ? 110 : 160, { isPeak: false, score: 0.3, levelScore: 0.6 }),
    );

  it("re-arms on a second rise that clears the level rules, once it holds a second window", () => {
    const tracker = new PeakTracker(WINDOW_MS);
    const events = secondRise([0, 80, 150, 120, 90, 70, 60, 60, "level", "level", 120, 10, 0, 0]).flatMap(
      (a) => tracker.track(a),
    );
    expect(timeline(events)).toEqual([
      `peak@${1 * WINDOW_MS}`,
      `peak-end@${9 * WINDOW_MS}`,
      `peak@${9 * WINDOW_MS}`,
      `peak-end@${12 * WINDOW_MS}`,
    ]);
  });

  it("does not re-arm on a single window over the level rules on a tail", () => {
    const tracker = new PeakTracker(WINDOW_MS);
    const events = secondRise([0, 80, 150, 120, 90, 70, 60, 60, "level", 60, 50, 10, 0, 0]).flatMap((a) =>
      tracker.track(a),
    );
    expect(events.map((event) => event.kind)).toEqual(["peak", "peak-end"]);
  });

  it("keeps a held re-arming rise across a JSON checkpoint", () => {
    const tracker = new PeakTracker(WINDOW_MS);
    const series = secondRise([0, 80, 150, 120, 90, 70, 60, 60, "level", "level", 120, 10, 0, 0]);
    series.slice(0, 9).forEach((a) => tracker.track(a));
    const state = JSON.parse(JSON.stringify(tracker.toJSON()));
    expect(state).toMatchObject({ phase: "peak", rearmPending: true });
    const resumed = new PeakTracker(WINDOW_MS, {}, state);
    expect(resumed.track(series[9]!).map((event) => event.kind)).toEqual(["peak-end", "peak"]);
  });

  it("records drops separately from peaks", () => {
    const events = track(new PeakTracker(WINDOW_MS), [0, -60, -80, -50, -5, 0, 0]);
    expect(events.map((event) => event.kind)).toEqual(["drop", "drop-end"]);
    expect(events[1]).toMatchObject({ extremeUpliftPct: -80 });
  });

  it("ignores assessments made while warming up", () => {
    const tracker = new PeakTracker(WINDOW_MS);
    expect(tracker.track(assessment(0, 300, { warmingUp: true }))).toEqual([]);
    expect(tracker.phase).toBe("normal");
  });

  it("resumes from its JSON state mid-peak without firing twice", () => {
    const tracker = new PeakTracker(WINDOW_MS);
    track(tracker, [0, 60, 70]);
    const resumed = new PeakTracker(WINDOW_MS, {}, JSON.parse(JSON.stringify(tracker.toJSON())));
    expect(track(resumed, [80, 0, 0], 3).map((event) => event.kind)).toEqual(["peak-end"]);
  });
});
