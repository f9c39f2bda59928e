import { describe, expect, it } from "vitest";
import { clipClock, formatTimecode, parseTimecode } from "./clip-clock";

describe("clip clock", () => {
  it("reads and writes broadcast timecodes", () => {
    expect(parseTimecode("00:41:55")).toBe(2_515);
    expect(parseTimecode(" 01:00:00 ")).toBe(3_600);
    expect(parseTimecode("1:00:00")).toBeUndefined();
    expect(parseTimecode("00:61:00")).toBeUndefined();
    expect(formatTimecode(2_515.4)).toBe("00:41:55");
    expect(formatTimecode(-3)).toBe("00:00:00");
  });

  it("fits the wall clock through the play-by-play, also when replayed faster than real time", () => {
    const clock = clipClock(
      [
        { sessionId: "s1", occurredAt: 1_000_000, timecode: "00:10:00" },
        { sessionId: "s1", occurredAt: 1_010_000, timecode: "00:12:00" },
        { sessionId: "s2", occurredAt: 5_000_000, timecode: "00:00:01" },
      ],
      null,
      "s1",
    )!;
    expect(clock.msPerSecond).toBeCloseTo(1_000 / 12);
    expect(clock.toWall(660)).toBeCloseTo(1_005_000);
    expect(clock.toSeconds(1_005_000)).toBeCloseTo(660);
  });

  it("falls back to the broadcast start at real time, and to nothing without either", () => {
    const clock = clipClock([], 1_000_000, null)!;
    expect(clock.toWall(60)).toBe(1_060_000);
    expect(clipClock([], null, null)).toBeUndefined();
  });
});
