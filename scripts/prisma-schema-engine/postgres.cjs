// Plain `pg` helpers for what the wasm engine cannot do itself: probing and creating databases, and
// naming connection failures with the error codes the Prisma CLI acts on (P1003 makes it create the database).
"use strict";

const pg = require("pg");

// The native engine gives up on a silent server after a few seconds; pg would wait forever.
const CONNECT_TIMEOUT_MS = 10_000;

/** The database a postgres:// URL points at (pg's default is the user's name). */
function databaseName(url) {
  const parsed = new URL(url);
  return decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username);
}

/** The same URL, query parameters (sslmode, schema, …) included, pointed at another database. */
function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.href;
}

/** The `?schema=` Prisma reads from the URL; `public` when absent. */
function schemaName(url) {
  return new URL(url).searchParams.get("schema") ?? "public";
}

/** host:port, as the CLI's messages show the server. */
function serverAddress(url) {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}`;
}

/** True when two URLs name the same database on the same server. */
function isSameDatabase(left, right) {
  return (
    serverAddress(left).toLowerCase() === serverAddress(right).toLowerCase() &&
    databaseName(left) === databaseName(right)
  );
}

function quoteIdentifier(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Opens a single connection; the caller ends it. */
async function connectClient(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client whose server goes away emits 'error'; unhandled, that would kill the engine mid-request.
  client.on("error", () => {});
  await client.connect();
  return client;
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EAI_AGAIN",
]);

/**
 * The native engine's user-facing error for a failed connection or CREATE DATABASE: `error_code` is what
 * the CLI branches on (P1003 → create the database), `message` is what the user reads.
 * @returns {{ error_code?: string, message: string }}
 */
function describePostgresError(error, url) {
  const server = serverAddress(url);
  const database = databaseName(url);
  if (error.code === "3D000") {
    return {
      error_code: "P1003",
      message: `Database \`${database}\` does not exist on the database server at \`${server}\`.`,
    };
  }
  if (UNREACHABLE_CODES.has(error.code) || /connection timeout/i.test(error.message)) {
    return {
      error_code: "P1001",
      message: `Can't reach database server at \`${server}\`\n\nPlease make sure your database server is running at \`${server}\`.`,
    };
  }
  if (/\b(SSL|TLS)\b|certificate/i.test(error.message)) {
    return { error_code: "P1011", message: `Error opening a TLS connection: ${error.message}` };
  }
  if (error.code === "28P01") {
    const user = decodeURIComponent(new URL(url).username);
    return {
      error_code: "P1000",
      message: `Authentication failed against database server at \`${server}\`, the provided database credentials for \`${user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${server}\`.`,
    };
  }
  if (error.code === "42P04") {
    return {
      error_code: "P1009",
      message: `Database \`${database}\` already exists on the database server at \`${server}\``,
    };
  }
  return { message: error.message };
}

/** Resolves when the database in `url` accepts a connection; rejects with pg's error otherwise. */
async function checkConnection(url) {
  const client = await connectClient(url);
  await client.end();
}

/**
 * Creates the database `url` names, connecting to the server's `postgres` database (or `template1`
 * where `postgres` was dropped), as the native engine does. Returns the database's name.
 */
async function createDatabase(url) {
  const database = databaseName(url);
  let lastError;
  for (const maintenanceDatabase of ["postgres", "template1"]) {
    let client;
    try {
      client = await connectClient(withDatabase(url, maintenanceDatabase));
    } catch (error) {
      if (error.code !== "3D000") throw error;
      lastError = error;
      continue;
    }
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
      return database;
    } finally {
      await client.end();
    }
  }
  throw lastError;
}

module.exports = {
  CONNECT_TIMEOUT_MS,
  checkConnection,
  connectClient,
  createDatabase,
  databaseName,
  describePostgresError,
  isSameDatabase,
  quoteIdentifier,
  schemaName,
  serverAddress,
  withDatabase,
};
