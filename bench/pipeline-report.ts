// The pipeline bench's figures: printed as tables, written as JSON (--json), and set beside an earlier run's
// JSON (--compare) so a change is judged before/after in the same conditions: overhead wall time, CPU per
// moment (what other load on the machine does not inflate), SQL round trips and transactions per moment.
import fs from "node:fs/promises";
import type { MachineInfo } from "./machine";
import type { Percentiles } from "./measure";

export interface StageFigures {
  stage: string;
  /** Handler wall time minus model time. */
  overheadMs: Percentiles;
  cpuMs: Percentiles;
  /** Means per job. */
  queries: number;
  transactions: number;
}

export interface OverheadFigures {
  label: string;
  moments: number;
  /** From the candidate's commit to the end of the last stage, minus model time. */
  overhead: Percentiles;
  /** The whole round: the bench writing the candidate, the pipeline, the bench seeing the queue drained. */
  endToEnd: Percentiles;
  modelMsPerMoment: number;
  /**
   * CPU per moment of this process (the runner, stages, agents, Prisma) over the overhead's window: its cost
   * even on shared cores.
   */
  nodeCpuMs: Percentiles;
  /** Postgres CPU per moment (mean: /proc counts in 10 ms ticks). */
  postgresCpuMsPerMoment: number;
  /** Statements and transactions the runner's pool sent per moment (means), the runner's own included. */
  queriesPerMoment: number;
  transactionsPerMoment: number;
  stages: StageFigures[];
}

export interface ThroughputFigures {
  candidates: number;
  scored: number;
  routed: number;
  seconds: number;
  momentsPerSecond: number;
  pipelinesPerSecond: number;
  nodeCpuMsPerMoment: number;
  postgresCpuMsPerMoment: number | null;
  queriesPerMoment: number;
  transactionsPerMoment: number;
  rssMb: { before: number; peak: number };
}

export interface PipelineFigures {
  generatedAt: string;
  machine: MachineInfo;
  loadAverage: { start: number; end: number };
  overhead: OverheadFigures[];
  throughput: ThroughputFigures;
  retrieval: Record<string, Percentiles>;
}

const ms = (value: number) => value.toFixed(1).padStart(7);

export function printOverhead(rounds: number, results: readonly OverheadFigures[]): void {
  console.log(`\nPer moment, score → describe → decide, one at a time (${rounds} rounds after 5 warm-up):`);
  console.log(
    "provider                     moments  overhead p50     p95  end-to-end p50     p95  model ms/moment  " +
      "Node CPU ms p50     p95  Postgres CPU ms  SQL stmts  SQL tx",
  );
  for (const result of results) {
    console.log(
      `${result.label.padEnd(28)} ${String(result.moments).padStart(7)}  ${ms(result.overhead.p50)} ${ms(result.overhead.p95)}   ` +
        `${ms(result.endToEnd.p50)} ${ms(result.endToEnd.p95)}   ${ms(result.modelMsPerMoment)}  ` +
        `${ms(result.nodeCpuMs.p50)} ${ms(result.nodeCpuMs.p95)}  ${ms(result.postgresCpuMsPerMoment)}  ` +
        `${ms(result.queriesPerMoment)}  ${ms(result.transactionsPerMoment).slice(1)}`,
    );
  }
  for (const result of results) {
    console.log(`\n  by stage (${result.label}; the rest is the queue: claim, wake-up, skip-finish):`);
    console.log("  stage              overhead p50     p95  CPU ms p50     p95  SQL stmts  SQL tx");
    for (const stage of result.stages) {
      console.log(
        `  ${stage.stage.padEnd(18)} ${ms(stage.overheadMs.p50)} ${ms(stage.overheadMs.p95)}  ` +
          `${ms(stage.cpuMs.p50)} ${ms(stage.cpuMs.p95)}  ${ms(stage.queries)}  ${ms(stage.transactions).slice(1)}`,
      );
    }
  }
}

export function printThroughput(concurrency: number, figures: ThroughputFigures): void {
  console.log(
    `\nThroughput, ${figures.candidates} candidates queued at once, ${concurrency} jobs per stage at once (offline provider):`,
  );
  console.log(
    `  ${figures.scored} moments scored, ${figures.routed} routed in ${figures.seconds.toFixed(1)} s: ` +
      `${figures.momentsPerSecond.toFixed(1)} moments/s (${figures.pipelinesPerSecond.toFixed(1)} full pipelines/s); ` +
      `per moment: Node CPU ${figures.nodeCpuMsPerMoment.toFixed(1)} ms, Postgres CPU ` +
      `${figures.postgresCpuMsPerMoment?.toFixed(1) ?? "?"} ms, ${figures.queriesPerMoment.toFixed(1)} SQL statements ` +
      `in ${figures.transactionsPerMoment.toFixed(1)} transactions; RSS ${figures.rssMb.before} → peak ${figures.rssMb.peak} MB`,
  );
}

export async function writeFigures(file: string, figures: PipelineFigures): Promise<void> {
  await fs.writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`\nFigures written to ${file}`);
}

/** Prints this run's headline figures beside an earlier run's (its --json output). */
export async function printComparison(file: string, after: PipelineFigures): Promise<void> {
  const before = JSON.parse(await fs.readFile(file, "utf8")) as PipelineFigures;
  const rows: [string, number | null | undefined, number | null | undefined][] = [];
  for (const result of after.overhead) {
    const earlier = before.overhead.find((entry) => entry.label === result.label);
    rows.push(
      [`${result.label}: overhead p50 ms`, earlier?.overhead.p50, result.overhead.p50],
      [`${result.label}: overhead p95 ms`, earlier?.overhead.p95, result.overhead.p95],
      [`${result.label}: Node CPU ms p50`, earlier?.nodeCpuMs.p50, result.nodeCpuMs.p50],
      [`${result.label}: Postgres CPU ms`, earlier?.postgresCpuMsPerMoment, result.postgresCpuMsPerMoment],
      [`${result.label}: SQL statements`, earlier?.queriesPerMoment, result.queriesPerMoment],
      [`${result.label}: SQL transactions`, earlier?.transactionsPerMoment, result.transactionsPerMoment],
    );
  }
  rows.push(
    ["throughput: moments/s", before.throughput.momentsPerSecond, after.throughput.momentsPerSecond],
    [
      "throughput: Node CPU ms/moment",
      before.throughput.nodeCpuMsPerMoment,
      after.throughput.nodeCpuMsPerMoment,
    ],
    [
      "throughput: Postgres CPU ms/moment",
      before.throughput.postgresCpuMsPerMoment,
      after.throughput.postgresCpuMsPerMoment,
    ],
    [
      "throughput: SQL statements/moment",
      before.throughput.queriesPerMoment,
      after.throughput.queriesPerMoment,
    ],
  );
  const cell = (value: number | null | undefined) =>
    value === null || value === undefined ? "      ?" : ms(value);
  console.log(
    `\nBefore (${file}, ${before.generatedAt}, load ${before.loadAverage.start.toFixed(1)}) → after ` +
      `(load ${after.loadAverage.start.toFixed(1)}):`,
  );
  console.log(`${"figure".padEnd(48)}  before    after  change`);
  for (const [label, was, now] of rows) {
    const change =
      was && now !== null && now !== undefined
        ? `${(((now - was) / was) * 100).toFixed(0).padStart(5)} %`
        : "";
    console.log(`${label.padEnd(48)} ${cell(was)}  ${cell(now)}  ${change}`);
  }
}
