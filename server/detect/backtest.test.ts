import { describe, expect, it } from "vitest";
import { Backtest, BacktestInputError, parseTimestamp } from "./backtest";

describe("parseTimestamp", () => {
  it("reads ISO 8601 and YYYY-MM-DD HH:MM:SS, as UTC when no zone is given", () => {
    const expected = Date.UTC(2026, 0, 5, 20, 15, 0);
    expect(parseTimestamp("2026-01-05T20:15:00Z")).toBe(expected);
    expect(parseTimestamp("2026-01-05 20:15:00")).toBe(expected);
    expect(parseTimestamp("2026-01-05T20:15:00")).toBe(expected);
    expect(parseTimestamp("2026-01-05T21:15:00+01:00")).toBe(expected);
    expect(parseTimestamp("2026-01-05T20:15:00.250Z")).toBe(expected + 250);
    expect(parseTimestamp("2026-01-05")).toBe(Date.UTC(2026, 0, 5));
  });

  it("rejects what is not a date", () => {
    for (const text of ["", "yesterday", "2026-13-01 00:00:00", "2026-02-30", "1767644100"]) {
      expect(parseTimestamp(text)).toBeNull();
    }
  });
});

describe("Backtest", () => {
  const rows = (values: number[]) =>
    values.map((value, index) => [
      new Date(Date.UTC(2026, 0, 5) + index * 60_000).toISOString(),
      String(value),
    ]);

  it("keeps a header and extra columns, and infers the window from the first two rows", () => {
    const backtest = new Backtest();
    expect(backtest.accept(["timestamp", "value", "note"], 1)).toEqual([
      ["timestamp", "value", "note", "anomaly_score", "is_anomaly"],
    ]);
    expect(backtest.accept(["2026-01-05T00:00:00Z", "100", "a"], 2)).toEqual([]);
    const out = backtest.accept(["2026-01-05T00:01:00Z", "100", "b"], 3);
    expect(out).toEqual([
      ["2026-01-05T00:00:00Z", "100", "a", "0.0000", "false"],
      ["2026-01-05T00:01:00Z", "100", "b", "0.0000", "false"],
    ]);
  });

  it("works without a header and flags an injected peak only", () => {
    const values = Array.from({ length: 100 }, (_, index) => (index === 80 ? 300 : 100 + (index % 3)));
    const backtest = new Backtest();
    const out = rows(values).flatMap((record, index) => backtest.accept(record, index + 1));
    out.push(...backtest.finish());
    expect(out).toHaveLength(100);
    expect(out.flatMap((record, index) => (record[3] === "true" ? [index] : []))).toEqual([80]);
    expect(backtest.totals).toMatchObject({ rows: 100, anomalousRows: 1, peaks: 1 });
  });

  it("names the line and what was expected for a bad row", () => {
    const backtest = new Backtest();
    backtest.accept(["timestamp", "value"], 1);
    expect(() => backtest.accept(["not a time", "3"], 2)).toThrow(/line 2: expected a timestamp/);
    expect(() => backtest.accept(["2026-01-05T00:00:00Z", "-3"], 3)).toThrow(/line 3: expected a count ≥ 0/);
    expect(() => backtest.accept(["2026-01-05T00:00:00Z"], 4)).toThrow(/line 4: expected at least 2 columns/);
    backtest.accept(["2026-01-05T00:01:00Z", "3"], 5);
    expect(() => backtest.accept(["2026-01-05T00:00:30Z", "3"], 6)).toThrow(
      /line 6: timestamps must increase, but "2026-01-05T00:00:30Z" is not after line 5/,
    );
  });

  it("explains a row that falls in the same window as the previous one", () => {
    const backtest = new Backtest({ windowSeconds: 60 });
    backtest.accept(["2026-01-05T00:00:00Z", "3"], 1);
    expect(() => backtest.accept(["2026-01-05T00:00:20Z", "3"], 2)).toThrow(BacktestInputError);
  });

  it("adds expected, band, uplift and event columns with explain", () => {
    const backtest = new Backtest({ explain: true, windowSeconds: 60 });
    const out = backtest.accept(["2026-01-05T00:00:00Z", "100"], 1);
    expect(out[0]).toHaveLength(9);
  });
});
