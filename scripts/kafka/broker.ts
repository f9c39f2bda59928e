// Runs a real single-node Apache Kafka broker (KRaft: broker and controller in one JVM) from Maven Central jars,
// for integration tests and local development. See scripts/kafka.ts for the CLI.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";
import { z } from "zod";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const pomPath = path.join(here, "pom.xml");
const log4jConfigPath = path.join(here, "log4j2.properties");
const readyTimeoutMs = 60_000;
const stopGraceMs = 15_000;

export class KafkaBrokerError extends Error {
  override name = "KafkaBrokerError";
}

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

/** Downloads the broker's jars into `<cacheDir>/libs` unless a previous run completed; returns that directory. */
export async function ensureKafkaJars(cacheDir = ".cache/kafka"): Promise<string> {
  const libs = path.resolve(repoRoot, cacheDir, "libs");
  const marker = path.join(libs, ".complete");
  // The marker holds the pom's hash, so a version bump in pom.xml refetches.
  const pomHash = createHash("sha256")
    .update(await fs.readFile(pomPath))
    .digest("hex");
  if ((await fs.readFile(marker, "utf8").catch(() => "")) === pomHash) return libs;

  // Download beside the target and rename it into place, so a half-done or concurrent fetch never shows up as libs.
  const staging = `${libs}.tmp-${process.pid}`;
  await removeAbandonedStaging(path.dirname(libs));
  await run(
    "mvn",
    [
      "-q",
      "-B",
      "-Dstyle.color=never",
      "-f",
      pomPath,
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${staging}`,
    ],
    {
      prefix: "[mvn] ",
      missing:
        "Maven (mvn) is not on PATH; install Maven 3 and Java 17 (e.g. apt-get install maven openjdk-17-jre-headless).",
    },
  );
  await fs.writeFile(path.join(staging, ".complete"), pomHash);
  await fs.rm(libs, { recursive: true, force: true });
  await fs.rename(staging, libs).catch(async (error: unknown) => {
    await fs.rm(staging, { recursive: true, force: true });
    if ((await fs.readFile(marker, "utf8").catch(() => "")) !== pomHash) throw error;
  });
  return libs;
}

async function removeAbandonedStaging(cacheDir: string): Promise<void> {
  for (const name of await fs.readdir(cacheDir).catch(() => [])) {
    const pid = Number(/^libs\.tmp-(\d+)$/.exec(name)?.[1]);
    if (pid && (pid === process.pid || !isAlive(pid)))
      await fs.rm(path.join(cacheDir, name), { recursive: true, force: true });
  }
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
    await Promise.race([waitUntilServing(brokers), spawnError, exited.then((exit) => Promise.reject(exit))]);
  } catch (failure) {
    await stop();
    const reason = failure instanceof Error ? failure.message : `the JVM exited (${JSON.stringify(failure)})`;
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

/**
 * Waits until every `__consumer_offsets` partition has a loaded group coordinator, so a consumer group joins
 * without "coordinator not available / loading" retries. Creates the topic on a fresh broker as a side effect.
 */
export async function waitForGroupCoordinator(brokers: string, timeoutMs = 60_000): Promise<void> {
  const admin = quietClient(brokers).admin();
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  const until = async (attempt: () => Promise<void>) => {
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        lastError = error;
        if (Date.now() > deadline) {
          throw new KafkaBrokerError(
            `Group coordinator on ${brokers} not ready after ${timeoutMs} ms: ${String(lastError)}`,
          );
        }
        await sleep(200);
      }
    }
  };
  try {
    await until(() => admin.connect());
    // The first FindCoordinator makes the broker create __consumer_offsets.
    await until(async () => void (await admin.describeGroups(["peaklight-coordinator-probe"])));
    let partitions = 0;
    await until(async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: ["__consumer_offsets"] });
      partitions = topics[0]?.partitions.length ?? 0;
      if (partitions === 0) throw new Error("__consumer_offsets has no partitions yet");
    });
    const probes = groupIdsCoveringPartitions(partitions);
    await until(async () => void (await admin.describeGroups(probes)));
  } finally {
    await admin.disconnect();
  }
}

// Kafka places a group on partition abs(javaStringHash(groupId)) % partitions; one probe group per partition.
function groupIdsCoveringPartitions(partitions: number): string[] {
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < partitions; i++) {
    const groupId = `peaklight-coordinator-probe-${i}`;
    let hash = 0;
    for (let c = 0; c < groupId.length; c++) hash = (Math.imul(31, hash) + groupId.charCodeAt(c)) | 0;
    const partition = (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions;
    if (!byPartition.has(partition)) byPartition.set(partition, groupId);
  }
  return [...byPartition.values()];
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

async function waitUntilServing(brokers: string): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const admin = quietClient(brokers).admin();
    try {
      await admin.connect();
      // Metadata lists only unfenced brokers, so seeing ours means it has caught up and takes requests.
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0) return;
      lastError = new Error("the broker is not registered yet");
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(250);
  }
  throw new Error(`not serving after ${readyTimeoutMs / 1000} s (last error: ${String(lastError)})`);
}

function quietClient(brokers: string): Kafka {
  return new Kafka({
    clientId: "peaklight-kafka-probe",
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
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

async function freePort(avoid: number[] = []): Promise<number> {
  for (;;) {
    const server = net.createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    server.close();
    if (typeof address === "object" && address && !avoid.includes(address.port)) return address.port;
  }
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

const javaMissingMessage =
  "Java is not on PATH; the local Kafka broker needs Java 17 (e.g. apt-get install openjdk-17-jre-headless).";

function javaMissing(error: Error): Error {
  return (error as NodeJS.ErrnoException).code === "ENOENT"
    ? new KafkaBrokerError(javaMissingMessage)
    : error;
}

async function runJava(args: string[]): Promise<string> {
  return run("java", args, { missing: javaMissingMessage });
}

/** Runs a command and returns its stdout; with `prefix`, also streams each output line, prefixed, to stderr. */
async function run(
  command: string,
  args: string[],
  opts: { prefix?: string; missing: string },
): Promise<string> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const stdout: string[] = [];
  const all: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on("line", (raw) => {
      const line = raw.replace(/\x1b\[[0-9;]*m/g, ""); // Debian's mvn colours even with -B.
      if (!line.trim()) return;
      if (stream === child.stdout) stdout.push(line);
      all.push(line);
      if (opts.prefix) process.stderr.write(`${opts.prefix}${line}\n`);
    });
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new KafkaBrokerError(opts.missing) : error),
    );
    child.once("close", resolve);
  });
  if (code !== 0) {
    throw new KafkaBrokerError(
      `${command} ${args.slice(-3).join(" ")} failed (exit ${code}):\n${all.slice(-30).join("\n")}`,
    );
  }
  return stdout.join("\n");
}
