// Runs the backtest command as a process on a generated CSV: an injected peak must be flagged, a slow trend
// must not, and bad input must fail with the line number. No Postgres or Kafka needed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { syntheticSeries } from "../server/detect/synthetic-series";

const workDir = mkdtempSync(join(tmpdir(), "peaklight-backtest-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function runBacktest(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "worker/backtest.ts", ...args], {
    cwd: join(import.meta.dirname, ".."),
    encoding: "utf8",
    timeout: 60_000,
  });
}

const PEAK_AT = 2500;
const PEAK_BUCKETS = 6;

describe("npm run backtest", () => {
  it("flags the injected peak and nothing on a slow trend", () => {
    // Traffic rising 20 % per hour for 2.5 hours, one +90 % peak of a minute near the end.
    const series = syntheticSeries({
      buckets: 3000,
      baseViewers: 150,
      trendPerHour: 0.2,
      peaks: [{ atBucket: PEAK_AT, buckets: PEAK_BUCKETS, upliftPct: 90 }],
      seed: 21,
    });
    const input = join(workDir, "series.csv");
    const lines = series.map(
      (bucket) =>
        `${new Date(bucket.bucketStart).toISOString().replace("T", " ").slice(0, 19)},${bucket.observed}`,
    );
    writeFileSync(input, `timestamp,value\n${lines.join("\n")}\n`);

    for (const detector of ["uplift", "forest"]) {
      const output = join(workDir, `scored-${detector}.csv`);
      const result = runBacktest(["--input", input, "--output", output, "--detector", detector]);
      expect(result.stderr).toContain("3000 rows");
      expect(result.status).toBe(0);
      const [header, ...rows] = readFileSync(output, "utf8").trim().split("\n");
      expect(header).toBe("timestamp,value,anomaly_score,is_anomaly");
      expect(rows).toHaveLength(3000);
      const cells = rows.map((row) => row.split(","));
      const flagged = cells.flatMap((cell, index) => (cell[3] === "true" ? [index] : []));
      expect(flagged).toContain(PEAK_AT);
      expect(flagged.every((index) => index >= PEAK_AT && index < PEAK_AT + PEAK_BUCKETS)).toBe(true);
      expect(cells.every((cell) => Number(cell[2]) >= 0 && Number(cell[2]) <= 1)).toBe(true);
      expect(cells.map((cell) => cell.slice(0, 2).join(","))).toEqual(lines);
    }
  }, 60_000);

  it("fails on a bad row with its line number and what was expected", () => {
    const input = join(workDir, "bad.csv");
    writeFileSync(input, "2026-01-05 00:00:00,10\n2026-01-05 00:00:10,ten\n");
    const result = runBacktest(["--input", input, "--output", join(workDir, "bad-out.csv")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('line 2: expected a count ≥ 0 as value, got "ten"');
  }, 60_000);

  it("explains its usage when an argument is missing or wrong", () => {
    expect(runBacktest(["--input", "x.csv"]).stderr).toContain("--input and --output are required");
    const wrong = runBacktest(["--input", "x.csv", "--output", "y.csv", "--detector", "magic"]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--detector expects one of uplift, forest, got "magic"');
  }, 60_000);
});
