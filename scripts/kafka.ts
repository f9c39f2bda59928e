// CLI for the local Kafka broker: `tsx scripts/kafka.ts start|stop|status|fetch` (npm run kafka:start / kafka:stop).
// Data lives in KAFKA_DATA_DIR (default .data/kafka); the client port is KAFKA_PORT (default 9092).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getConfigOrExit } from "../server/config/env";
import {
  brokerStatus,
  ensureKafkaJars,
  startBroker,
  stopBroker,
  waitForGroupCoordinator,
} from "./kafka/broker";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const config = getConfigOrExit();
const dataDir = path.resolve(repoRoot, config.KAFKA_DATA_DIR);
const usage = `usage: tsx scripts/kafka.ts <command>
  start   run a broker in the foreground until Ctrl-C (data in ${dataDir}, port KAFKA_PORT or 9092)
  stop    stop the broker recorded in the data dir (e.g. one left by a killed terminal)
  status  print the broker's state; exit 0 if it runs, 3 if not
  fetch   only download the broker's jars into .cache/kafka`;

async function start(): Promise<number> {
  const port = config.KAFKA_PORT;
  const startedAt = Date.now();
  const broker = await startBroker({ dataDir, port });
  await waitForGroupCoordinator(broker.brokers);
  console.log(
    `Kafka broker ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (pid ${broker.pid}, data ${dataDir}, log ${path.join(dataDir, "server.log")}).`,
  );
  console.log(`KAFKA_BROKERS=${broker.brokers}`);
  console.log("Press Ctrl-C to stop it.");

  const signal = await Promise.race([
    new Promise<NodeJS.Signals>((resolve) => {
      for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(name, () => resolve(name));
    }),
    broker.exited,
  ]);
  if (typeof signal !== "string") {
    // 143 = the JVM's exit after a SIGTERM from elsewhere, e.g. `npm run kafka:stop` in another terminal.
    if (signal.code === 143 || signal.signal === "SIGTERM") {
      console.log("The broker was stopped from outside.");
      return 0;
    }
    const logs = `${path.join(dataDir, "server.log")} and ${path.join(dataDir, "jvm.out")}`;
    console.error(`The broker exited (${signal.signal ?? `code ${signal.code}`}); see ${logs}.`);
    return 1;
  }
  // A second Ctrl-C while the broker shuts down should not kill us before it is done.
  const patience = () => console.log("Still stopping the broker…");
  for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(name, patience);
  console.log(`${signal}: stopping the broker…`);
  const stoppingAt = Date.now();
  await broker.stop();
  console.log(`Broker stopped in ${((Date.now() - stoppingAt) / 1000).toFixed(1)} s.`);
  return 0;
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case "start":
      return start();
    case "stop":
      console.log((await stopBroker(dataDir)) ? "Broker stopped." : `No broker is running on ${dataDir}.`);
      return 0;
    case "status": {
      const status = await brokerStatus(dataDir);
      console.log(JSON.stringify({ dataDir, ...status }, null, 2));
      return status.running ? 0 : 3;
    }
    case "fetch":
      console.log(`Kafka jars in ${await ensureKafkaJars()}`);
      return 0;
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
