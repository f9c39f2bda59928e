// The backtest's pure core: turns CSV records of `timestamp,value` (header optional, extra columns kept) into
// the same records plus `anomaly_score` and `is_anomaly`, one at a time, using only rows already seen.
import { detectionConfig, type DetectionConfigInput } from "./config";
import { SeriesDetection } from "./series-detection";
import { DetectorInputError } from "./types";

export class BacktestInputError extends Error {
  override name = "BacktestInputError";
}

export interface BacktestOptions {
  config?: DetectionConfigInput;
  /** Seconds per row; unset: the gap between the first two rows. */
  windowSeconds?: number;
  /** Also write expected_viewers, lower_viewers, upper_viewers, uplift_pct and event columns. */
  explain?: boolean;
}

export interface BacktestTotals {
  rows: number;
  anomalousRows: number;
  peaks: number;
  drops: number;
  /** Rows whose value was under the minimum volume (nothing can fire there). */
  rowsUnderMinVolume: number;
  minVolume: number;
}

const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** ISO 8601 or `YYYY-MM-DD HH:MM:SS`, epoch ms; no zone means UTC, so results do not depend on the machine. */
export function parseTimestamp(text: string): number | null {
  const match = TIMESTAMP_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour = "00", minute = "00", second = "00", fraction = "", zone = "Z"] = match;
  const milliseconds = Number(`0.${fraction || "0"}`) * 1000;
  const local = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const check = new Date(local);
  const valid =
    check.getUTCMonth() === Number(month) - 1 &&
    check.getUTCDate() === Number(day) &&
    check.getUTCHours() === Number(hour);
  if (!valid || Number(minute) > 59 || Number(second) > 59) return null;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0"));
  }
  return local + Math.round(milliseconds) - offsetMinutes * 60_000;
}

export class Backtest {
  private detection: SeriesDetection | null = null;
  private readonly pending: { record: string[]; line: number; timestamp: number; value: number }[] = [];
  private columns: { timestamp: number; value: number } | null = null;
  private previous: { line: number; timestamp: number } | null = null;
  private readonly minVolume: number;
  readonly totals: BacktestTotals;

  constructor(private readonly options: BacktestOptions = {}) {
    if (options.windowSeconds !== undefined && !(options.windowSeconds > 0)) {
      throw new BacktestInputError(
        `--window-seconds must be a positive number, got ${options.windowSeconds}`,
      );
    }
    this.minVolume = detectionConfig(options.config).uplift.minVolume;
    this.totals = {
      rows: 0,
      anomalousRows: 0,
      peaks: 0,
      drops: 0,
      rowsUnderMinVolume: 0,
      minVolume: this.minVolume,
    };
  }

  /** Output records for one input record: the header row, zero rows (held until the window is known) or more. */
  accept(record: readonly string[], line: number): string[][] {
    if (this.columns === null) {
      this.columns = { timestamp: 0, value: 1 };
      const header = record.map((cell) => cell.trim().toLowerCase());
      if (record.length >= 2 && parseTimestamp(record[0] ?? "") === null && !isNumber(record[1] ?? "")) {
        const timestamp = header.indexOf("timestamp");
        const value = header.indexOf("value");
        if (timestamp >= 0 && value >= 0) this.columns = { timestamp, value };
        return [[...record, ...this.extraHeader()]];
      }
    }
    const row = this.parseRow(record, line);
    this.pending.push({ ...row, record: [...record], line });
    if (this.detection === null) {
      const windowSeconds = this.options.windowSeconds ?? this.inferWindowSeconds();
      if (windowSeconds === null) return [];
      const config = detectionConfig(this.options.config);
      this.detection = new SeriesDetection({ ...config, baseline: { ...config.baseline, windowSeconds } });
    }
    return this.pending.splice(0).map((held) => this.score(held));
  }

  /** Rows still held when the input ends (a one-row file): scored with the configured window. */
  finish(): string[][] {
    if (this.pending.length === 0) return [];
    this.detection ??= new SeriesDetection(this.options.config ?? {});
    return this.pending.splice(0).map((held) => this.score(held));
  }

  private score(held: { record: string[]; line: number; timestamp: number; value: number }): string[] {
    let step;
    try {
      step = this.detection!.update({ bucketStart: held.timestamp, observed: held.value });
    } catch (error) {
      if (error instanceof DetectorInputError) {
        throw new BacktestInputError(
          `line ${held.line}: ${error.message} (two rows in one window? set --window-seconds to the row spacing)`,
        );
      }
      throw error;
    }
    const { assessment, events } = step;
    this.totals.rows += 1;
    if (assessment.isPeak) this.totals.anomalousRows += 1;
    if (held.value < this.minVolume) this.totals.rowsUnderMinVolume += 1;
    const event =
      events.find((candidate) => candidate.kind === "peak" || candidate.kind === "drop")?.kind ?? "";
    if (event === "peak") this.totals.peaks += 1;
    if (event === "drop") this.totals.drops += 1;
    const out = [...held.record, assessment.score.toFixed(4), String(assessment.isPeak)];
    if (this.options.explain) {
      out.push(
        assessment.expectedViewers.toFixed(2),
        assessment.lowerViewers.toFixed(2),
        assessment.upperViewers.toFixed(2),
        assessment.upliftPct.toFixed(1),
        event,
      );
    }
    return out;
  }

  private parseRow(record: readonly string[], line: number): { timestamp: number; value: number } {
    const columns = this.columns!;
    const timestampText = record[columns.timestamp];
    const valueText = record[columns.value];
    if (timestampText === undefined || valueText === undefined) {
      throw new BacktestInputError(
        `line ${line}: expected at least ${Math.max(columns.timestamp, columns.value) + 1} columns (timestamp,value), got ${record.length}`,
      );
    }
    const timestamp = parseTimestamp(timestampText);
    if (timestamp === null) {
      throw new BacktestInputError(
        `line ${line}: expected a timestamp in ISO 8601 (2026-01-05T20:15:00Z) or YYYY-MM-DD HH:MM:SS, got "${timestampText}"`,
      );
    }
    const value = Number(valueText.trim());
    if (!isNumber(valueText) || value < 0) {
      throw new BacktestInputError(`line ${line}: expected a count ≥ 0 as value, got "${valueText}"`);
    }
    if (this.previous && timestamp <= this.previous.timestamp) {
      throw new BacktestInputError(
        `line ${line}: timestamps must increase, but "${timestampText}" is not after line ${this.previous.line}`,
      );
    }
    this.previous = { line, timestamp };
    return { timestamp, value };
  }

  private inferWindowSeconds(): number | null {
    if (this.pending.length < 2) return null;
    return (this.pending[1]!.timestamp - this.pending[0]!.timestamp) / 1000;
  }

  private extraHeader(): string[] {
    const extra = ["anomaly_score", "is_anomaly"];
    if (this.options.explain)
      extra.push("expected_viewers", "lower_viewers", "upper_viewers", "uplift_pct", "event");
    return extra;
  }
}

function isNumber(text: string): boolean {
  return text.trim() !== "" && Number.isFinite(Number(text.trim()));
}
