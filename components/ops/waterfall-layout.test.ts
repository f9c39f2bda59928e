import { describe, expect, it } from "vitest";
import { placeBar, waterfallAxis } from "./waterfall-layout";
import { formatMs, formatRate, formatUsd } from "./ops-format";

describe("waterfall layout", () => {
  it("spans the axis from the first start to the last end, with round ticks", () => {
    const axis = waterfallAxis([
      { startMs: 10_000, endMs: 12_000 },
      { startMs: 13_000, endMs: 20_000 },
    ])!;
    expect(axis.fromMs).toBe(10_000);
    expect(axis.toMs).toBe(20_000);
    expect(axis.ticks.map((tick) => tick.offsetMs)).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000]);
    expect(placeBar(axis, { startMs: 13_000, endMs: 20_000 })).toEqual({ leftPct: 30, widthPct: 70 });
    expect(placeBar(axis, { startMs: 10_000, endMs: 12_000 })).toEqual({ leftPct: 0, widthPct: 20 });
  });

  it("keeps an instant run visible and inside the axis", () => {
    const axis = waterfallAxis([
      { startMs: 0, endMs: 100_000 },
      { startMs: 100_000, endMs: 100_000 },
    ])!;
    const bar = placeBar(axis, { startMs: 100_000, endMs: 100_000 });
    expect(bar.widthPct).toBeGreaterThan(0);
    expect(bar.leftPct + bar.widthPct).toBeLessThanOrEqual(100);
  });

  it("has no axis without runs, and a 1 ms one for a single instant", () => {
    expect(waterfallAxis([])).toBeNull();
    expect(waterfallAxis([{ startMs: 5, endMs: 5 }])).toMatchObject({ fromMs: 5, toMs: 6 });
  });
});

describe("ops formats", () => {
  it("writes latencies, costs and rates briefly", () => {
    expect(formatMs(850)).toBe("850 ms");
    expect(formatMs(1_240)).toBe("1.24 s");
    expect(formatMs(185_000)).toBe("3 min 05 s");
    expect(formatMs(null)).toBe("—");
    expect(formatUsd(0.004213)).toBe("$0.0042");
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(null)).toBe("unknown");
    expect(formatRate(0.025)).toBe("2.5 %");
    expect(formatRate(0.1)).toBe("10 %");
    expect(formatRate(null)).toBe("—");
  });
});
