// `npm run backtest -- --input FILE.csv --output OUT.csv`: runs a detector over one series of timestamp,value
// rows, streaming and without look-ahead, and writes the rows back with anomaly_score and is_anomaly. Wiring
// only: the scoring lives in server/detect/backtest.ts.
import { createReadStream, createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify";
import { Backtest, BacktestInputError } from "../server/detect/backtest";
import { DETECTOR_NAMES, type DetectorName } from "../server/detect/types";

const USAGE = `usage: npm run backtest -- --input FILE.csv --output OUT.csv [options]
  --input FILE           CSV of timestamp,value rows (header optional; ISO 8601 or YYYY-MM-DD HH:MM:SS, UTC if no zone)
  --output FILE          the same rows plus anomaly_score (0-1) and is_anomaly (true/false)
  --detector NAME        ${DETECTOR_NAMES.join(" | ")} (default uplift)
  --window-seconds N     seconds per row (default: the gap between the first two rows)
  --min-volume N         smallest value that can be a peak (default 20)
  --min-uplift-pct P     smallest uplift over expected that can be a peak (default 40)
  --explain              also write expected_viewers, lower_viewers, upper_viewers, uplift_pct, event`;

class UsageError extends Error {}

function numberOption(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${flag} expects a number ≥ 0, got "${text}"`);
  }
  return value;
}

function readArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: "string" },
      output: { type: "string" },
      detector: { type: "string", default: "uplift" },
      "window-seconds": { type: "string" },
      "min-volume": { type: "string" },
      "min-uplift-pct": { type: "string" },
      explain: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return "help" as const;
  if (!values.input || !values.output) throw new UsageError("--input and --output are required");
  if (!(DETECTOR_NAMES as readonly string[]).includes(values.detector)) {
    throw new UsageError(`--detector expects one of ${DETECTOR_NAMES.join(", ")}, got "${values.detector}"`);
  }
  const minVolume = numberOption("--min-volume", values["min-volume"]);
  const minUpliftPct = numberOption("--min-uplift-pct", values["min-uplift-pct"]);
  return {
    input: values.input,
    output: values.output,
    explain: values.explain,
    windowSeconds: numberOption("--window-seconds", values["window-seconds"]),
    config: {
      detector: values.detector as DetectorName,
      uplift: {
        ...(minVolume === undefined ? {} : { minVolume }),
        ...(minUpliftPct === undefined ? {} : { minUpliftPct }),
      },
    },
  };
}

async function* scoredRecords(input: string, backtest: Backtest): AsyncGenerator<string[]> {
  const source = createReadStream(input);
  const parser = source.pipe(
    parse({ info: true, skip_empty_lines: true, relax_column_count: true, trim: true, bom: true }),
  );
  // pipe() does not forward a read error (a missing file): hand it to the parser so the loop throws it.
  source.on("error", (error) => parser.destroy(error));
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    yield* backtest.accept(record, info.lines);
  }
  yield* backtest.finish();
}

async function main(): Promise<number> {
  let args;
  try {
    args = readArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`backtest: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const startedAt = performance.now();
  try {
    const backtest = new Backtest({
      config: args.config,
      windowSeconds: args.windowSeconds,
      explain: args.explain,
    });
    await pipeline(
      Readable.from(scoredRecords(args.input, backtest)),
      stringify(),
      createWriteStream(args.output),
    );
    const totals = backtest.totals;
    process.stderr.write(
      `backtest: ${totals.rows} rows, ${totals.anomalousRows} anomalous, ${totals.peaks} peaks, ${totals.drops} drops ` +
        `(${args.config.detector}, ${Math.round(performance.now() - startedAt)} ms) → ${args.output}\n`,
    );
    if (totals.rows > 0 && totals.rowsUnderMinVolume > totals.rows / 2) {
      process.stderr.write(
        `backtest: note: most values are under --min-volume ${totals.minVolume}, where nothing can fire\n`,
      );
    }
    return 0;
  } catch (error) {
    const known = error instanceof BacktestInputError || (error as NodeJS.ErrnoException).code === "ENOENT";
    if (!known && !(error instanceof Error && error.name === "CsvError")) throw error;
    process.stderr.write(`backtest: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
