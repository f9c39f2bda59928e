import { describe, expect, it } from "vitest";
import { applyChanges, countrySeries, pruneBefore, type TrafficState } from "./traffic-rows";

describe("chart rows from live changes", () => {
  it("keeps the latest value per complete window, zero-filled, leaving out the window still filling", () => {
    const state: TrafficState = { values: new Map(), lastSeq: 0 };
    applyChanges(state, [
      ["FR", "athletics", 0, 5, 1],
      ["FR", "swimming", 10_000, 3, 2],
      ["FR", "athletics", 0, 9, 3],
      ["US", "athletics", 0, 100, 4],
    ]);
    expect(state.lastSeq).toBe(4);
    const series = countrySeries(state, "FR", 0, 35_000, 10_000, 2); // [30 000, 40 000) still filling
    expect(series.sports).toEqual(["athletics", "swimming"]);
    expect(series.rows).toEqual([
      { time: 0, athletics: 9, swimming: 0 },
      { time: 10_000, athletics: 0, swimming: 3 },
      { time: 20_000, athletics: 0, swimming: 0 },
    ]);
    expect(series.recentActions).toBe(3);
  });

  it("keeps the country total out of the sports and counts the headline from it", () => {
    const state: TrafficState = { values: new Map(), lastSeq: 0 };
    applyChanges(state, [
      ["FR", "athletics", 0, 5, 1],
      ["FR", "swimming", 0, 3, 2],
      ["FR", "all", 0, 8, 3],
      ["FR", "athletics", 10_000, 4, 4],
      ["FR", "all", 10_000, 4, 5],
    ]);
    const series = countrySeries(state, "FR", 0, 25_000, 10_000, 2);
    expect(series.sports).toEqual(["athletics", "swimming"]);
    expect(series.rows[0]).toEqual({ time: 0, athletics: 5, swimming: 3 });
    expect(series.recentActions).toBe(12);
    expect(series.totals?.get(0)).toBe(8);
  });

  it("starts the chart at the first data held rather than drawing zeros before it", () => {
    const state: TrafficState = { values: new Map(), lastSeq: 0 };
    applyChanges(state, [["FR", "athletics", 600_000, 5, 1]]);
    // 600 000 is the first window seen: the stream started inside it, so it is partial and not drawn.
    const series = countrySeries(state, "FR", 0, 635_000, 10_000);
    expect(series.rows.map((row) => row.time)).toEqual([610_000, 620_000]);
  });

  it("forgets buckets older than the window", () => {
    const state: TrafficState = { values: new Map(), lastSeq: 0 };
    applyChanges(state, [
      ["FR", "athletics", 0, 5, 1],
      ["FR", "athletics", 60_000, 7, 2],
    ]);
    pruneBefore(state, 30_000);
    expect([...state.values.keys()]).toEqual(["FR|athletics|60000"]);
  });
});
