import { describe, expect, it } from "vitest";
import { assertTransition, canTransition } from "./moment-status";

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
});
