// `npm run bench`: measures the stream worker's hot path, from pure windowing to Kafka → Postgres, on services
// it starts in a temporary directory and stops at the end. Prints the figures; writes them to
// bench/results/latest.json. Progress goes to stderr, the report to stdout.
import { performance } from "node:perf_hooks";
import { BenchUsageError, parseBenchArgs, USAGE, type BenchArgs } from "./args";
import {
  ACTIONS_PER_SECOND,
  BATCH_SIZE,
  generateInput,
  PARTITIONS,
  releaseActions,
  SEED,
  WINDOW_SECONDS,
} from "./fixtures";
import { benchInProcessToPostgres } from "./inproc-phase";
import { BenchInterruptedError, watchInterrupts, type InterruptWatch } from "./interrupt";
import { benchKafka } from "./kafka-phases";
import { describeMachine } from "./machine";
import { benchDecodeAndAggregate, benchWindowing } from "./pure-phases";
import { formatReport, machineLines, writeReport, type BenchReport, type PhaseResult } from "./report";
import { startBenchServices, type BenchServices } from "./services";

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function startServices(args: BenchArgs, interrupts: InterruptWatch): Promise<BenchServices> {
  progress(`starting Postgres${args.kafka ? " and Kafka" : ""} in a temporary directory`);
  const startup = startBenchServices({ kafka: args.kafka });
  try {
    return await interrupts.race(startup);
  } catch (error) {
    // Interrupted mid-start: let the start finish (or fail), then stop what it started.
    await startup.then((services) => services.stop()).catch(() => undefined);
    throw error;
  }
}

async function run(args: BenchArgs, interrupts: InterruptWatch): Promise<void> {
  const startedAt = performance.now();
  const machine = describeMachine();
  console.log(machineLines(machine).join("\n"));

  progress(`generating ${args.actions.toLocaleString("en-US")} demo actions (seed ${SEED})`);
  const input = generateInput(args.actions, args.actionsPerMessage);
  // Pure phases first, while no service competes for the cores.
  progress("windowing (pure)");
  const phases: PhaseResult[] = [benchWindowing(input)];
  progress("decode+aggregate (pure)");
  phases.push(benchDecodeAndAggregate(input));
  releaseActions(input);

  const services = await startServices(args, interrupts);
  try {
    progress(`in-process → Postgres (${services.workDir})`);
    phases.push(await interrupts.race(benchInProcessToPostgres(input, services, args.phaseTimeoutMs)));
    if (args.kafka) {
      progress("Kafka produce, bare consume, Kafka → Postgres");
      phases.push(...(await interrupts.race(benchKafka(input, services, args.phaseTimeoutMs))));
    }
  } finally {
    progress("stopping services");
    await services.stop();
  }

  const bare = phases.find((phase) => phase.phase.startsWith("Kafka bare"));
  const real = phases.find((phase) => phase.phase === "Kafka → Postgres");
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    machine,
    input: {
      actions: args.actions,
      messages: input.messages.length,
      actionsPerMessage: args.actionsPerMessage,
      seed: SEED,
      actionsPerSecond: ACTIONS_PER_SECOND,
      series: input.seriesCount,
      eventTimeSeconds: input.eventTimeSeconds,
      windowSeconds: WINDOW_SECONDS,
      batchSize: BATCH_SIZE,
      partitions: PARTITIONS,
    },
    startupSeconds: services.startupSeconds,
    kafka: args.kafka,
    phases,
    kafkaRealOverBare: bare && real ? real.actionsPerSecond / bare.actionsPerSecond : null,
    totalSeconds: (performance.now() - startedAt) / 1_000,
  };
  console.log(`${formatReport(report)}\nWritten to ${await writeReport(report)}`);
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args === "help") {
    console.log(USAGE);
    return 0;
  }
  const interrupts = watchInterrupts((reason) => progress(`${reason}: stopping…`));
  try {
    await run(args, interrupts);
    return 0;
  } finally {
    interrupts.dispose();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof BenchUsageError) {
      console.error(error.message);
      process.exit(2);
    }
    const known = error instanceof Error && error.name.startsWith("Bench");
    console.error(known ? `${error.name}: ${error.message}` : error);
    // Work abandoned by an interruption or a timeout may still hold sockets; the services are already stopped.
    process.exit(error instanceof BenchInterruptedError ? error.exitCode : 1);
  },
);
