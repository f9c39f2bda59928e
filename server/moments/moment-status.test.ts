import { describe, expect, it } from "vitest";
import { assertTransition, canTransition, isDecided } from "./moment-status";

describe("moment status transitions", () => {
  it("goes new → scored → described → editor decision", () => {
    expect(canTransition("new", "interesting")).toBe(true);
    expect(canTransition("new", "not_interesting")).toBe(true);
    expect(canTransition("interesting", "described")).toBe(true);
    expect(canTransition("described", "approved")).toBe(true);
  });

  it("refuses skipping stages, going back, and unknown statuses", () => {
    expect(canTransition("new", "described")).toBe(false);
    expect(canTransition("described", "interesting")).toBe(false);
    expect(canTransition("not_interesting", "described")).toBe(false);
    expect(canTransition("archived", "approved")).toBe(false);
    expect(() => assertTransition(7n, "approved", "rejected")).toThrow(/moment 7 cannot go from approved/);
  });

  it("lets an editor reject before a decision, but approve only what has text or was dismissed", () => {
    for (const from of ["new", "interesting", "not_interesting", "described"]) {
      expect(canTransition(from, "rejected"), from).toBe(true);
    }
    expect(canTransition("new", "approved")).toBe(false);
    expect(canTransition("interesting", "approved")).toBe(false);
    expect(canTransition("not_interesting", "approved")).toBe(true);
    expect(canTransition("rejected", "approved")).toBe(false);
    expect(isDecided("approved") && isDecided("rejected") && !isDecided("described")).toBe(true);
  });
});
