#!/usr/bin/env node
// Peaklight's Prisma schema engine: the program the real Prisma CLI spawns for migrate and db commands
// (scripts/prisma.mjs points PRISMA_SCHEMA_ENGINE_BINARY here). Prisma 7.10.1 otherwise downloads a native
// engine binary from binaries.prisma.sh before every such command, which fails offline and in locked-down
// CI. This program speaks the native engine's protocol and does the work with Prisma's WebAssembly schema
// engine over @prisma/adapter-pg. Protocol facts and pitfalls: /work/shared/notes/prisma-offline.md.
//
//   schema-engine --version
//   schema-engine --datasource '{"url":…}' cli can-connect-to-database|create-database   (exit code + stderr)
//   schema-engine [--datamodels file]… --datasource '{"url":…,"shadowDatabaseUrl"?:…}'    (JSON-RPC on stdio)
"use strict";

const fs = require("node:fs");
const readline = require("node:readline");
const { parseArgs } = require("node:util");
const { createAdapterFactory } = require("./prisma-schema-engine/adapter-factory.cjs");
const { log } = require("./prisma-schema-engine/log.cjs");
const postgres = require("./prisma-schema-engine/postgres.cjs");
const { isPanic, loadSchemaEngine, takePanicMessage } = require("./prisma-schema-engine/wasm-engine.cjs");

// The CLI parses our stderr as JSON lines (every line, in one-shot mode), so Node's own warnings, such as
// pg's sslmode notice, go out in that format instead of as raw text.
process.emitWarning = (warning) => log("WARN", typeof warning === "string" ? warning : warning.message);
// The wasm glue can throw from a detached task; exiting 1 with an ERROR line makes the CLI show the reason.
process.on("uncaughtException", (error) => {
  log("ERROR", error.stack ?? String(error));
  process.exit(1);
});

function parseCommandLine(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      version: { type: "boolean" },
      datamodels: { type: "string", multiple: true },
      datasource: { type: "string" },
      // Accepted for compatibility only: the wasm engine reads preview features from the schema itself and
      // has no extension-type support.
      "enabled-preview-features": { type: "string" },
      "extension-types": { type: "string" },
    },
  });
  return {
    version: values.version === true,
    datamodelPaths: values.datamodels,
    datasource: values.datasource === undefined ? undefined : JSON.parse(values.datasource),
    positionals,
  };
}

function requireUrl(datasource) {
  if (typeof datasource?.url !== "string" || datasource.url === "") {
    throw new Error(
      "No datasource URL was passed; set datasource.url in prisma.config.ts (it reads DATABASE_URL).",
    );
  }
  return datasource.url;
}

// ---- one-shot mode: `cli <command>`, answered with plain pg ------------------------------------------

const ONE_SHOT_COMMANDS = {
  "can-connect-to-database": postgres.checkConnection,
  "create-database": postgres.createDatabase,
};

async function runOneShotCommand(command, datasource) {
  // The CLI drops the first stderr line of a one-shot run and reads the rest as JSON logs.
  process.stderr.write(`schema-engine-cli ${command}\n`);
  const run = ONE_SHOT_COMMANDS[command];
  if (!run) throw new Error(`Unknown command: cli ${command}`);
  const url = requireUrl(datasource);
  try {
    await run(url);
  } catch (error) {
    const { error_code, message } = postgres.describePostgresError(error, url);
    log("ERROR", message, { error_code });
    process.exitCode = 1;
  }
}

// ---- JSON-RPC mode: one request per stdin line, forwarded to the wasm engine ----------------------------

// CLI method name → wasm SchemaEngine method: the same name, except for getDatabaseVersion.
const WASM_METHODS = new Map([
  ...[
    "applyMigrations",
    "createMigration",
    "dbExecute",
    "debugPanic",
    "devDiagnostic",
    "diagnoseMigrationHistory",
    "diff",
    "ensureConnectionValidity",
    "evaluateDataLoss",
    "introspect",
    "introspectSql",
    "markMigrationApplied",
    "markMigrationRolledBack",
    "reset",
    "schemaPush",
  ].map((name) => [name, name]),
  ["getDatabaseVersion", "version"],
]);
// These read the schema the migrations produce from a cache that only the diagnose step fills, because only
// it gets the shadow-database factory. It keys that entry by the migrations applied at the time, so on a
// new or behind database (migrate dev applies the pending ones in between) the lookup misses and the engine
// fails with "shadow DB must be provided through an external factory".
const READS_MIGRATIONS_SCHEMA = new Set(["evaluateDataLoss", "createMigration"]);
const MISSING_SHADOW_DB = /shadow DB must be provided through an external factory/;

function serveJsonRpc(datamodelPaths, datasource) {
  // `undefined`, not `[]`, when the CLI passed no schema (migrate diff): the wasm panics on an empty list.
  const datamodels = datamodelPaths?.map((file) => [file, fs.readFileSync(file, "utf8")]);
  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const adapterFactory = datasource?.url ? createAdapterFactory(datasource) : undefined;
  let enginePromise;
  let panicked = false;
  let printRequestId = 0;

  // Created on first use, so a connection failure becomes that request's error rather than a dead process.
  function engine() {
    enginePromise ??= (async () => {
      requireUrl(datasource);
      const { SchemaEngine, gitHash, label } = await loadSchemaEngine();
      log("INFO", `Starting the wasm schema engine (${label})`, { git_hash: gitHash });
      const forwardLog = (line) => process.stderr.write(`${line}\n`);
      return SchemaEngine.new({ datamodels }, forwardLog, adapterFactory);
    })().catch((error) => {
      enginePromise = undefined;
      throw error;
    });
    return enginePromise;
  }

  async function dispatch(method, params) {
    if (method === "createDatabase") {
      const target =
        params?.datasource?.tag === "ConnectionString" ? params.datasource.url : requireUrl(datasource);
      try {
        return { databaseName: await postgres.createDatabase(target) };
      } catch (error) {
        const { error_code, message } = postgres.describePostgresError(error, target);
        throw Object.assign(new Error(message), { code: error_code });
      }
    }
    const wasmMethod = WASM_METHODS.get(method);
    if (!wasmMethod) {
      throw new Error(`The wasm schema engine does not support the ${method} method.`);
    }
    // A panic can leave the wasm instance's state half-updated, so nothing else runs on it.
    if (panicked) throw new Error("The schema engine panicked on an earlier request; run the command again.");
    const schemaEngine = await engine();
    if (wasmMethod === "diff") {
      // The native engine prints the diff by asking the CLI to; the wasm one returns it instead.
      const { exitCode, stdout } = await schemaEngine.diff(params);
      if (stdout !== null && stdout !== undefined) {
        send({ jsonrpc: "2.0", id: ++printRequestId, method: "print", params: { content: stdout } });
      }
      return { exitCode };
    }
    if (READS_MIGRATIONS_SCHEMA.has(method))
      return withMigrationsSchemaCached(schemaEngine, wasmMethod, params);
    return schemaEngine[wasmMethod](params);
  }

  async function withMigrationsSchemaCached(schemaEngine, wasmMethod, params) {
    try {
      return await schemaEngine[wasmMethod](params);
    } catch (error) {
      if (!MISSING_SHADOW_DB.test(error?.message ?? "")) throw error;
    }
    // Diagnosing with the shadow-database factory caches the schema of the (by now applied) migrations.
    const { migrationsList, filters } = params;
    await schemaEngine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: true, filters });
    try {
      return await schemaEngine[wasmMethod](params);
    } catch (error) {
      if (!MISSING_SHADOW_DB.test(error?.message ?? "")) throw error;
      throw new Error(
        `${error.message}\n\nApply the pending migrations first (prisma migrate deploy), then retry.`,
      );
    }
  }

  function toRpcError(error) {
    if (isPanic(error)) {
      panicked = true;
      // For panics the CLI shows the top-level message.
      const message = takePanicMessage() ?? error.message;
      log("ERROR", message);
      return { code: 4466, message, data: { is_panic: true, message, backtrace: error.stack } };
    }
    // Errors thrown by our adapter code reach us as "External error id#N"; the bound factory kept the original.
    const externalId = /External error id#(\d+)/.exec(error?.message ?? "")?.[1];
    const external =
      externalId === undefined
        ? undefined
        : adapterFactory?.errorRegistry.consumeError(Number(externalId))?.error;
    const cause = external ?? error;
    // Only Prisma codes (P1001, P3014, …); pg's SQLSTATE codes mean nothing to the CLI.
    const errorCode = typeof cause?.code === "string" && /^P\d{4}$/.test(cause.code) ? cause.code : undefined;
    return {
      code: 4466,
      message: "An error happened. Check the data field for details.",
      data: {
        is_panic: false,
        message: cause?.message ?? String(cause),
        error_code: errorCode,
        meta: cause?.meta,
      },
    };
  }

  async function answer({ id, method, params }) {
    try {
      // Void methods (reset, dbExecute, …) resolve to undefined; a reply without `result` hangs the CLI.
      send({ jsonrpc: "2.0", id, result: (await dispatch(method, params)) ?? null });
    } catch (error) {
      send({ jsonrpc: "2.0", id, error: toRpcError(error) });
    }
  }

  // The engine is not re-entrant and the CLI expects replies in order: one request at a time.
  let queue = Promise.resolve();
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on("line", (line) => {
    if (line.trim() === "") return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      log("WARN", `Ignoring a stdin line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    // Lines without a method are the CLI's acknowledgements of our print requests.
    if (typeof message.method !== "string") return;
    queue = queue.then(() => answer(message));
  });
  // Open pg pools would keep us alive for their idle timeout; the CLI is done once stdin closes.
  input.on("close", () => queue.finally(() => process.exit(0)));
}

async function main() {
  const { version, datamodelPaths, datasource, positionals } = parseCommandLine(process.argv.slice(2));
  if (version) {
    const { gitHash } = await loadSchemaEngine();
    process.stdout.write(`schema-engine-cli ${gitHash}\n`);
  } else if (positionals[0] === "cli") {
    await runOneShotCommand(positionals[1], datasource);
  } else if (positionals.length > 0) {
    throw new Error(`Unexpected arguments: ${positionals.join(" ")}`);
  } else {
    serveJsonRpc(datamodelPaths, datasource);
  }
}

main().catch((error) => {
  log("ERROR", error.message ?? String(error));
  process.exitCode = 1;
});
