// Prints the bench's figures as two compact tables and writes the same figures to bench/results/latest.json.
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { MachineInfo } from "./machine";
import type { Percentiles, PhaseMeasurement } from "./measure";

export interface PhaseResult {
  phase: string;
  actions: number;
  seconds: number;
  actionsPerSecond: number;
  nsPerAction?: number;
  batches?: number;
  bucketWrites?: number;
  /** handleBatch (decode, aggregate, one Postgres transaction) per partition batch, or the bare handler. */
  batchMs?: Percentiles | null;
  /** From subscribing to the first batch: group join and first fetch. */
  firstBatchMs?: number;
  measurement?: PhaseMeasurement;
}

/** A phase's result from its meter: actions, wall time and rate, plus what else the phase reports. */
export function measuredPhase(
  phase: string,
  actions: number,
  measurement: PhaseMeasurement,
  extra: Omit<PhaseResult, "phase" | "actions" | "seconds" | "actionsPerSecond" | "measurement"> = {},
): PhaseResult {
  return {
    phase,
    actions,
    seconds: measurement.seconds,
    actionsPerSecond: actions / measurement.seconds,
    ...extra,
    measurement,
  };
}

export interface BenchReport {
  generatedAt: string;
  machine: MachineInfo;
  input: {
    actions: number;
    messages: number;
    actionsPerMessage: number;
    seed: number;
    actionsPerSecond: number;
    series: number;
    eventTimeSeconds: number;
    windowSeconds: number;
    batchSize: number;
    partitions: number;
  };
  startupSeconds: number;
  kafka: boolean;
  phases: PhaseResult[];
  /** Kafka → Postgres actions/s over the bare kafkajs consume ceiling. */
  kafkaRealOverBare: number | null;
  totalSeconds: number;
}

const int = (value: number) => Math.round(value).toLocaleString("en-US");
const fixed = (value: number, digits: number) => value.toFixed(digits);
const orDash = <T>(value: T | null | undefined, format: (value: T) => string) =>
  value === null || value === undefined ? "—" : format(value);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
      .join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

export function machineLines(machine: MachineInfo): string[] {
  return [
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.totalMemoryGiB} GiB RAM, ` +
      `Node ${machine.node}, ${machine.platform}`,
    "Note: Postgres, Kafka and this bench share those cores, so each figure is for the whole box, not one part.",
  ];
}

export function formatReport(report: BenchReport): string {
  const { input } = report;
  const throughput = table(
    [
      "phase",
      "actions",
      "time s",
      "actions/s",
      "ns/action",
      "batches",
      "bucket writes",
      "batch ms p50/p95/p99",
    ],
    report.phases.map((phase) => [
      phase.phase,
      int(phase.actions),
      fixed(phase.seconds, 2),
      int(phase.actionsPerSecond),
      orDash(phase.nsPerAction, (ns) => int(ns)),
      orDash(phase.batches, int),
      orDash(phase.bucketWrites, int),
      orDash(phase.batchMs, (ms) => `${fixed(ms.p50, 1)} / ${fixed(ms.p95, 1)} / ${fixed(ms.p99, 1)}`),
    ]),
  );
  const measured = report.phases.filter((phase) => phase.measurement);
  const resources = table(
    [
      "phase",
      "bench CPU µs/action",
      "CPU s bench/postgres/kafka",
      "box busy %",
      "bench RSS MB before/after/peak",
    ],
    measured.map(({ phase, measurement: m }) => [
      phase,
      fixed(m!.cpuMicrosPerAction, 1),
      [m!.cpu.benchSeconds, m!.cpu.postgresSeconds, m!.cpu.kafkaSeconds]
        .map((seconds) => orDash(seconds, (s) => fixed(s, 1)))
        .join(" / "),
      orDash(m!.cpu.machineBusyPct, (pct) => fixed(pct, 0)),
      `${m!.rssMb.before} / ${m!.rssMb.after} / ${m!.rssMb.peak}`,
    ]),
  );
  const lines = [
    `Input: ${int(input.actions)} demo actions (seed ${input.seed}, ~${int(input.actionsPerSecond)}/s over ` +
      `${int(input.eventTimeSeconds)} s of event time, ${input.series} country × sport series), ` +
      `${input.windowSeconds} s buckets, ${input.partitions} partitions`,
    `Messages: ${int(input.messages)} (${input.actionsPerMessage === 1 ? "one action each" : `≤${int(input.actionsPerMessage)} actions of one series each`}); ` +
      `pure phases aggregate in batches of ~${int(input.batchSize)} actions`,
    `Services ready in ${fixed(report.startupSeconds, 1)} s${report.kafka ? "" : " (Kafka skipped: --no-kafka)"}`,
    "",
    throughput,
    "",
    resources,
    "",
  ];
  for (const phase of report.phases) {
    if (phase.firstBatchMs !== undefined) {
      lines.push(
        `${phase.phase}: first batch ${int(phase.firstBatchMs)} ms after subscribing (included above)`,
      );
    }
  }
  if (report.kafkaRealOverBare !== null) {
    lines.push(
      `Kafka → Postgres runs at ${fixed(report.kafkaRealOverBare * 100, 0)}% of the bare consume ceiling`,
    );
  }
  lines.push(
    "CPU s: this process (all threads), the Postgres process tree, the Kafka JVM; box busy %: all cores, any process " +
      "(anything else running on the machine included).",
    `Total ${fixed(report.totalSeconds, 1)} s`,
  );
  return lines.join("\n");
}

/** Writes the report as JSON to bench/results/latest.json, creating the folder; returns the path. */
export async function writeReport(report: BenchReport): Promise<string> {
  const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
  await fs.mkdir(folder, { recursive: true });
  const file = path.join(folder, "latest.json");
  // Three decimals are plenty for timings; the rest is clock noise.
  const rounded = (_key: string, value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) ? Number(value.toFixed(3)) : value;
  await fs.writeFile(file, `${JSON.stringify(report, rounded, 2)}\n`);
  return file;
}
