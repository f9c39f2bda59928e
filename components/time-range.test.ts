import { describe, expect, it } from "vitest";
import { customRange, fromLocalInput, liveMinutesOf, parseRangeChoice, toLocalInput } from "./time-range";

describe("time range", () => {
  it("reads a remembered choice, falling back to the last 30 minutes", () => {
    expect(parseRangeChoice("day")).toBe("day");
    expect(parseRangeChoice("60")).toBe("30m");
    expect(parseRangeChoice(null)).toBe("30m");
    expect(liveMinutesOf("2h")).toBe(120);
    expect(liveMinutesOf("custom")).toBeUndefined();
  });

  it("round-trips datetime-local values in local time", () => {
    const ms = new Date(2026, 10, 25, 9, 5).getTime();
    expect(toLocalInput(ms)).toBe("2026-11-25T09:05");
    expect(fromLocalInput("2026-11-25T09:05")).toBe(ms);
    expect(fromLocalInput("yesterday")).toBeUndefined();
  });

  it("explains what is wrong with a custom range", () => {
    expect(customRange("", "2026-11-25T09:05")).toEqual({
      ok: false,
      problem: "Enter both a start and an end.",
    });
    expect(customRange("2026-11-25T10:00", "2026-11-25T09:00")).toMatchObject({ ok: false });
    expect(customRange("2026-10-01T10:00", "2026-11-25T09:00")).toMatchObject({ ok: false });
    expect(customRange("2026-11-25T08:00", "2026-11-25T09:00")).toMatchObject({ ok: true });
  });
});
