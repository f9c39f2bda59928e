// Runs a real single-node Apache Kafka broker (KRaft: broker and controller in one JVM) from Maven Central jars,
// for integration tests and local development. See scripts/kafka.ts for the CLI.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import { freePort } from "../../server/runtime/ports";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ensureKafkaJars } from "./jars";
import { waitUntilServing } from "./readiness";
import { KafkaBrokerError, isAlive, javaMissing, runJava } from "./run";

export { ensureKafkaJars } from "./jars";
export { waitForGroupCoordinator } from "./readiness";
export { KafkaBrokerError } from "./run";

const here = path.dirname(fileURLToPath(import.meta.url));
const log4jConfigPath = path.join(here, "log4j2.properties");
const readyTimeoutMs = 60_000;
const stopGraceMs = 15_000;

export interface StartBrokerOptions {
  dataDir: string;
  /** PLAINTEXT port; default: the one in `<dataDir>/broker.json`, else a free one. */
  port?: number;
  /** KRaft controller port; default: the one in `<dataDir>/broker.json`, else a free one. */
  controllerPort?: number;
  /** `offsets.topic.num.partitions`; only takes effect before the first consumer group. Default: Kafka's (50). */
  partitionsForOffsetsTopic?: number;
  heapMb?: number;
  cacheDir?: string;
}

export interface RunningBroker {
  brokers: string;
  pid: number;
  port: number;
  controllerPort: number;
  /** Resolves when the JVM exits, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface BrokerStatus {
  running: boolean;
  formatted: boolean;
  pid: number | null;
  port: number | null;
  controllerPort: number | null;
  brokers: string | null;
}

const brokerStateSchema = z.object({
  pid: z.number().int().positive().nullable(),
  port: z.number().int().positive(),
  controllerPort: z.number().int().positive(),
  brokers: z.string(),
});
type BrokerState = z.infer<typeof brokerStateSchema>;

function brokerFiles(dataDir: string) {
  const root = path.resolve(dataDir);
  return {
    root,
    state: path.join(root, "broker.json"),
    properties: path.join(root, "server.properties"),
    logDir: path.join(root, "kafka-logs"),
    serverLog: path.join(root, "server.log"),
    jvmOutput: path.join(root, "jvm.out"),
  };
}

/** Starts a broker on `dataDir` (formatting it the first time) and resolves once it serves clients. */
export async function startBroker(opts: StartBrokerOptions): Promise<RunningBroker> {
  const files = brokerFiles(opts.dataDir);
  const libs = await ensureKafkaJars(opts.cacheDir);
  await fs.mkdir(files.root, { recursive: true });

  const previous = await readState(files.state);
  if (previous?.pid && (await isBrokerProcess(previous.pid, files.properties))) {
    throw new KafkaBrokerError(
      `A broker is already running on ${files.root} (pid ${previous.pid}); stop it first (npm run kafka:stop).`,
    );
  }
  const formatted = existsSync(path.join(files.logDir, "meta.properties"));
  // Reuse the data dir's ports: clients keep their address, and the quorum's voter set keeps the controller address
  // it was formatted with (a lone node still elects itself on a new controller port, measured with Kafka 4.1.1).
  const controllerPort = await choosePort(
    "Controller port",
    opts.controllerPort,
    previous?.controllerPort,
    [],
  );
  const port = await choosePort("Port", opts.port, previous?.port, [controllerPort]);

  await fs.writeFile(
    files.properties,
    serverProperties({ ...files, port, controllerPort, offsetsPartitions: opts.partitionsForOffsetsTopic }),
  );
  const javaLog = [
    `-Dlog4j2.configurationFile=${log4jConfigPath}`,
    `-Dkafka.logs.dir=${files.root}`,
    "-cp",
    path.join(libs, "*"),
  ];
  if (!formatted) {
    const clusterId = (await runJava([...javaLog, "kafka.tools.StorageTool", "random-uuid"])).trim();
    await runJava([
      ...javaLog,
      "kafka.tools.StorageTool",
      "format",
      "-t",
      clusterId,
      "-c",
      files.properties,
      "--standalone",
    ]);
  }

  const jvmOutput = await fs.open(files.jvmOutput, "a");
  // Own process group: a Ctrl-C in the terminal reaches only our process, which then stops the broker in order.
  const child = spawn(
    "java",
    [
      `-Xmx${opts.heapMb ?? 512}m`,
      "-XX:+ExitOnOutOfMemoryError",
      ...javaLog,
      "kafka.Kafka",
      files.properties,
    ],
    {
      stdio: ["ignore", jvmOutput.fd, jvmOutput.fd],
      detached: true,
    },
  );
  await jvmOutput.close();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (error) => reject(javaMissing(error))),
  );
  const pid = child.pid;
  if (pid === undefined) return spawnError;

  const brokers = `127.0.0.1:${port}`;
  await writeState(files.state, { pid, port, controllerPort, brokers });
  // A test process that ends without stop() should not leave a JVM behind.
  const stopOnExit = () => signalIfAlive(child, "SIGTERM");
  process.once("exit", stopOnExit);
  const stop = async () => {
    process.removeListener("exit", stopOnExit);
    await stopChild(child, exited);
    await writeState(files.state, { pid: null, port, controllerPort, brokers });
  };

  try {
    await Promise.race([
      waitUntilServing(brokers, readyTimeoutMs),
      spawnError,
      exited.then((exit) =>
        Promise.reject(new Error(`the JVM exited (${exit.signal ?? `code ${exit.code}`})`)),
      ),
    ]);
  } catch (failure) {
    await stop();
    const reason = failure instanceof Error ? failure.message : String(failure);
    throw new KafkaBrokerError(
      `Kafka broker on ${brokers} did not start: ${reason}\n${await logTail(files)}`,
    );
  }
  return { brokers, pid, port, controllerPort, exited, stop };
}

/** Stops the broker recorded in `<dataDir>/broker.json`, even if another process started it; false if none ran. */
export async function stopBroker(dataDir: string): Promise<boolean> {
  const files = brokerFiles(dataDir);
  const state = await readState(files.state);
  if (!state?.pid || !(await isBrokerProcess(state.pid, files.properties))) return false;
  const pid = state.pid;
  process.kill(pid, "SIGTERM");
  const gone = async (deadline: number) => {
    while (Date.now() < deadline) {
      if (!(await isBrokerProcess(pid, files.properties))) return true;
      await sleep(100);
    }
    return false;
  };
  if (!(await gone(Date.now() + stopGraceMs))) {
    process.kill(pid, "SIGKILL");
    await gone(Date.now() + 5_000);
  }
  await writeState(files.state, { ...state, pid: null });
  return true;
}

export async function brokerStatus(dataDir: string): Promise<BrokerStatus> {
  const files = brokerFiles(dataDir);
  const state = await readState(files.state);
  const running = state?.pid ? await isBrokerProcess(state.pid, files.properties) : false;
  return {
    running,
    formatted: existsSync(path.join(files.logDir, "meta.properties")),
    pid: running ? (state?.pid ?? null) : null,
    port: state?.port ?? null,
    controllerPort: state?.controllerPort ?? null,
    brokers: state?.brokers ?? null,
  };
}

function serverProperties(p: {
  logDir: string;
  port: number;
  controllerPort: number;
  offsetsPartitions?: number;
}): string {
  const lines = [
    "# Written by scripts/kafka/broker.ts on every start; edit that file, not this one.",
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.bootstrap.servers=127.0.0.1:${p.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${p.port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${p.logDir}`,
    "num.partitions=3",
    "auto.create.topics.enable=false",
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
  ];
  if (p.offsetsPartitions !== undefined) lines.push(`offsets.topic.num.partitions=${p.offsetsPartitions}`);
  return `${lines.join("\n")}\n`;
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (!signalIfAlive(child, "SIGTERM")) return;
  const grace = new AbortController();
  const timedOut = sleep(stopGraceMs, true, { signal: grace.signal }).catch(() => false);
  const killed = await Promise.race([exited.then(() => false), timedOut]);
  grace.abort();
  if (killed) {
    signalIfAlive(child, "SIGKILL");
    await exited;
  }
}

function signalIfAlive(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.exitCode !== null || child.signalCode !== null) return false;
  return child.kill(signal);
}

/** True if `pid` is alive and is the Kafka JVM of this data dir (not a recycled pid). */
async function isBrokerProcess(pid: number, propertiesPath: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("kafka.Kafka") && cmdline.includes(propertiesPath);
  } catch {
    return !existsSync("/proc/self"); // No procfs (macOS): trust the signal check.
  }
}

async function readState(statePath: string): Promise<BrokerState | null> {
  const text = await fs.readFile(statePath, "utf8").catch(() => null);
  if (text === null) return null;
  const parsed = brokerStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new KafkaBrokerError(`${statePath} is not a broker state file: ${parsed.error.message}`);
  return parsed.data;
}

async function writeState(statePath: string, state: BrokerState): Promise<void> {
  await fs.writeFile(`${statePath}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await fs.rename(`${statePath}.tmp`, statePath);
}

async function choosePort(
  what: string,
  requested: number | undefined,
  recorded: number | undefined,
  taken: number[],
): Promise<number> {
  if (requested !== undefined) {
    if (taken.includes(requested) || !(await isPortFree(requested))) {
      throw new KafkaBrokerError(
        `${what} 127.0.0.1:${requested} is in use; pick another one (KAFKA_PORT for the CLI).`,
      );
    }
    return requested;
  }
  if (recorded !== undefined && !taken.includes(recorded) && (await isPortFree(recorded))) return recorded;
  return freePort(taken);
}

async function isPortFree(port: number): Promise<boolean> {
  const server = net.createServer();
  server.listen(port, "127.0.0.1");
  try {
    await once(server, "listening");
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

async function logTail(files: { serverLog: string; jvmOutput: string }, lines = 40): Promise<string> {
  const parts: string[] = [];
  for (const file of [files.jvmOutput, files.serverLog]) {
    const text = await fs.readFile(file, "utf8").catch(() => "");
    const tail = text.trimEnd().split("\n").slice(-lines).join("\n");
    if (tail) parts.push(`--- last lines of ${file} ---\n${tail}`);
  }
  return parts.join("\n") || "(the broker wrote no log)";
}
