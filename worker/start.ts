// `npm start`: one command for the whole product. Starts (or uses) Postgres, applies migrations, seeds
// reference data, then runs the web app, the stream worker and the agent worker as three processes; Ctrl-C
// stops them in order (web and workers first, Postgres last). Wiring only.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { getConfigOrExit, streamTransportKind } from "../server/config/env";
import { createDb } from "../server/db/client";
import { startEmbeddedPostgres, type RunningPostgres } from "../server/db/embedded-postgres";
import { acquireInstanceLock } from "../server/runtime/instance-lock";
import { seedReferenceData } from "../prisma/seed";

const root = path.resolve(import.meta.dirname, "..");
const say = (message: string) => console.log(`[peaklight] ${message}`);

function runPrisma(args: string[], databaseUrl: string): void {
  const result = spawnSync(process.execPath, [path.join(root, "scripts/prisma.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`prisma ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  }
}

async function waitForWeb(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the web app did not answer on port ${port}`);
}

async function main(): Promise<void> {
  const config = getConfigOrExit();
  const dataDir = path.resolve(root, config.PEAKLIGHT_DATA_DIR);
  const lock = acquireInstanceLock(dataDir);

  let postgres: RunningPostgres | undefined;
  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping: web and worker first, then the database");
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 25_000).unref();
          }),
      ),
    );
    if (postgres) await postgres.stop();
    lock.release();
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      say(
        `starting embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data in ${path.join(dataDir, "postgres")})`,
      );
      postgres = await startEmbeddedPostgres({
        dataDir: path.join(dataDir, "postgres"),
        port: config.EMBEDDED_PG_PORT,
      });
      await postgres.ensureDatabase("peaklight");
      databaseUrl = postgres.url("peaklight");
    }
    say("applying database migrations");
    runPrisma(["migrate", "deploy"], databaseUrl);
    const db = createDb(databaseUrl, 1);
    const seeded = await seedReferenceData(db);
    await db.$disconnect();
    say(`reference data: ${seeded.countries} countries, ${seeded.sports} sports`);

    const childEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_FORMAT: config.LOG_FORMAT ?? (process.stdout.isTTY ? "pretty" : "json"),
      // No machine of ours reaches the telemetry host; do not try.
      NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
    };
    const nextBin = path.join(root, "node_modules/next/dist/bin/next");
    if (config.PEAKLIGHT_WEB_MODE === "prod" && !existsSync(path.join(root, ".next/BUILD_ID"))) {
      say("building the web app (PEAKLIGHT_WEB_MODE=prod)");
      const build = spawnSync(process.execPath, [nextBin, "build"], {
        cwd: root,
        stdio: "inherit",
        env: childEnv,
      });
      if (build.status !== 0) throw new Error("next build failed");
    }
    const launch = (name: string, args: string[]) => {
      const child = spawn(process.execPath, args, {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: { ...childEnv, PEAKLIGHT_PROCESS: name },
      });
      child.once("exit", (code, signal) => {
        if (!stopping) {
          say(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
          void stop(1);
        }
      });
      children.push(child);
      return child;
    };
    launch("worker", ["--import", "tsx", path.join(root, "worker/stream-worker.ts")]);
    launch("agents", ["--import", "tsx", path.join(root, "worker/agent-worker.ts")]);
    const web = launch("web", [
      nextBin,
      config.PEAKLIGHT_WEB_MODE === "prod" ? "start" : "dev",
      "--port",
      String(config.PORT),
    ]);
    await waitForWeb(config.PORT, web);
    say(
      `ready: dashboard at http://localhost:${config.PORT} (stream: ${streamTransportKind(config)}, ` +
        `demo replay: ${config.DEMO_REPLAY ? "on" : "off"}). Ctrl-C stops everything.`,
    );
  } catch (error) {
    console.error(`[peaklight] could not start: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

void main().catch((error: unknown) => {
  console.error(`[peaklight] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
