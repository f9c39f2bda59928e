// The real Prisma CLI migrates through our wasm schema engine (scripts/prisma-schema-engine.cjs), and the
// committed migrations in prisma/migrations produce exactly prisma/schema.prisma.
import { spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../support/databases";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const cliTimeoutMs = 60_000;

interface CliRun {
  exitCode: number | null;
  stdout: string;
  /** stdout and stderr interleaved, for messages the CLI may write to either. */
  output: string;
}

/** Runs `node scripts/prisma.mjs <args>` against `databaseUrl`, as `npm run prisma` would. */
function runPrisma(args: string[], databaseUrl: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/prisma.mjs", ...args], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`prisma ${args.join(" ")} did not finish in ${cliTimeoutMs} ms:\n${output}`));
    }, cliTimeoutMs);
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, output });
    });
  });
}

/** A local port nothing listens on: bound by us, then released. */
async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("expected a TCP address");
  return address.port;
}

async function tableNames(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    return rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}

describe("Prisma CLI through the wasm schema engine", () => {
  let created: ThrowawayDatabase | undefined;
  const database = (): ThrowawayDatabase => {
    if (!created) throw new Error("beforeAll did not create the test database");
    return created;
  };

  beforeAll(async () => {
    created = await createThrowawayDatabase("prisma_engine_test");
  });

  afterAll(async () => {
    await created?.drop();
  });

  it("applies the migrations with migrate deploy", { timeout: cliTimeoutMs }, async () => {
    const deploy = await runPrisma(["migrate", "deploy"], database().url);

    expect(deploy.exitCode, deploy.output).toBe(0);
    expect(deploy.output).toContain("All migrations have been successfully applied.");
    expect(await tableNames(database().url)).toEqual(
      expect.arrayContaining(["_prisma_migrations", "country", "traffic_bucket"]),
    );
  });

  it("reports the database up to date with migrate status", { timeout: cliTimeoutMs }, async () => {
    const status = await runPrisma(["migrate", "status"], database().url);

    expect(status.exitCode, status.output).toBe(0);
    expect(status.output).toContain("Database schema is up to date!");
  });

  it("finds no difference between the migrations and the schema", { timeout: cliTimeoutMs }, async () => {
    // --exit-code makes a non-empty diff exit 2; the engine replays the migrations on a shadow database.
    const diff = await runPrisma(
      [
        "migrate",
        "diff",
        "--from-migrations",
        "prisma/migrations",
        "--to-schema",
        "prisma/schema.prisma",
        "--script",
        "--exit-code",
      ],
      database().url,
    );

    expect(diff.exitCode, diff.output).toBe(0);
    expect(diff.stdout.trim()).toBe("-- This is an empty migration.");
  });

  it("fails with the reason when the server is unreachable", { timeout: cliTimeoutMs }, async () => {
    const port = await unusedPort();
    const deploy = await runPrisma(
      ["migrate", "deploy"],
      `postgresql://postgres@127.0.0.1:${port}/prisma_engine_test`,
    );

    expect(deploy.exitCode).not.toBe(0);
    expect(deploy.output).toContain("P1001");
    expect(deploy.output).toContain(`Can't reach database server at \`127.0.0.1:${port}\``);
  });
});
