// The migration-aware driver adapter the wasm schema engine queries through: @prisma/adapter-pg, plus
// fixes for the gaps that only show up under migrate (see /work/shared/notes/prisma-offline.md §7).
"use strict";

const { randomUUID } = require("node:crypto");
const { PrismaPg } = require("@prisma/adapter-pg");
const { bindMigrationAwareSqlAdapterFactory } = require("@prisma/driver-adapter-utils");
const { log } = require("./log.cjs");
const postgres = require("./postgres.cjs");

const CHAR_OID = 18;
const TEXT_OID = 25;

/**
 * Postgres' internal `"char"` type (oid 18) appears in the catalog queries the engine runs (e.g.
 * pg_class.relkind), and adapter-pg has no column type for it, so describing the schema fails with
 * "Column type 'char' could not be deserialized". The values already arrive as strings, so reporting the
 * columns as text is enough. Patched on the shared base class so transactions are covered too.
 */
function reportCharColumnsAsText(adapter) {
  let queryable = Object.getPrototypeOf(adapter);
  while (queryable && !Object.hasOwn(queryable, "performIO")) queryable = Object.getPrototypeOf(queryable);
  if (!queryable)
    throw new Error('@prisma/adapter-pg no longer has performIO; revisit the "char" column fix');
  if (queryable.performIO.reportsCharAsText) return;
  const performIO = queryable.performIO;
  queryable.performIO = Object.assign(
    async function performIOWithCharAsText(query) {
      const result = await performIO.call(this, query);
      for (const field of result.fields) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
      return result;
    },
    { reportsCharAsText: true },
  );
}

/**
 * adapter-pg's executeScript splits a migration on every `;` (even inside comments, strings and `DO $$`
 * blocks) and runs the pieces one by one outside a transaction, so a failing migration is left half
 * applied. The native engine sends the script whole: Postgres then runs it as one implicit transaction.
 * Do the same.
 */
function executeScriptsWhole(adapter) {
  let owner = Object.getPrototypeOf(adapter);
  while (owner && !Object.hasOwn(owner, "executeScript")) owner = Object.getPrototypeOf(owner);
  if (!owner) throw new Error("@prisma/adapter-pg no longer has executeScript; revisit the whole-script fix");
  if (owner.executeScript.runsWhole) return;
  owner.executeScript = Object.assign(
    async function executeWholeScript(script) {
      try {
        await this.client.query(script);
      } catch (error) {
        this.onError(error);
      }
    },
    { runsWhole: true },
  );
}

async function connectAdapter(url, schema) {
  // adapter-pg qualifies its own queries with `schema`, but the engine's DDL (e.g. creating
  // _prisma_migrations) is unqualified; the native engine sets the search_path the same way.
  const options = `-c search_path=${postgres.quoteIdentifier(schema)}`;
  const factory = new PrismaPg(
    { connectionString: url, connectionTimeoutMillis: postgres.CONNECT_TIMEOUT_MS, options },
    { schema },
  );
  const adapter = await factory.connect();
  reportCharColumnsAsText(adapter);
  executeScriptsWhole(adapter);
  return adapter;
}

/**
 * A throw-away shadow database, as the native engine makes when none is configured. adapter-pg's own
 * connectToShadowDb can't be used: it connects with `{ ...config, database }`, where pg lets the
 * connection string win, so migrations get replayed on the main database; and its clean-up drops the
 * database before closing the pool, which fails and leaves the database behind.
 */
async function connectToTemporaryShadowDb(url, schema) {
  const shadowDatabase = `prisma_migrate_shadow_db_${randomUUID()}`;
  const admin = await postgres.connectClient(url);
  const dropShadowDatabase = async () => {
    try {
      // FORCE: a pooled connection may still be closing when the drop arrives.
      await admin.query(`DROP DATABASE IF EXISTS ${postgres.quoteIdentifier(shadowDatabase)} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
  try {
    await admin.query(`CREATE DATABASE ${postgres.quoteIdentifier(shadowDatabase)}`);
  } catch (error) {
    await admin.end();
    if (error.code !== "42501") throw error;
    throw Object.assign(
      new Error(
        "Prisma Migrate could not create the shadow database. Please make sure the database user has permission to create databases, or configure datasource.shadowDatabaseUrl in prisma.config.ts.",
      ),
      { code: "P3014" },
    );
  }
  let adapter;
  try {
    adapter = await connectAdapter(postgres.withDatabase(url, shadowDatabase), schema);
  } catch (error) {
    await dropShadowDatabase();
    throw error;
  }
  const closePool = adapter.dispose.bind(adapter);
  // The engine disposes the shadow adapter inside the request; the CLI kills us right after, so the drop
  // must happen here and not at exit.
  adapter.dispose = async () => {
    try {
      await closePool();
    } finally {
      await dropShadowDatabase();
    }
  };
  return adapter;
}

/**
 * A configured shadowDatabaseUrl. The wasm engine assumes it is empty (the native one resets it), so its
 * schema is dropped and recreated on every use; that is also why it must never be the main database.
 */
async function connectToConfiguredShadowDb(url, shadowDatabaseUrl) {
  if (postgres.isSameDatabase(url, shadowDatabaseUrl)) {
    throw new Error(
      "The shadow database you configured appears to be the same as the main database. Please specify another shadow database.",
    );
  }
  const schema = postgres.schemaName(shadowDatabaseUrl);
  const client = await postgres.connectClient(shadowDatabaseUrl);
  try {
    const quoted = postgres.quoteIdentifier(schema);
    await client.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE; CREATE SCHEMA ${quoted}`);
  } finally {
    await client.end();
  }
  log(
    "INFO",
    `Reset schema ${schema} of the configured shadow database ${postgres.databaseName(shadowDatabaseUrl)}`,
  );
  return connectAdapter(shadowDatabaseUrl, schema);
}

/**
 * The factory SchemaEngine.new expects, for the datasource the CLI passed with --datasource.
 * @param {{ url: string, shadowDatabaseUrl?: string }} datasource
 */
function createAdapterFactory({ url, shadowDatabaseUrl }) {
  const schema = postgres.schemaName(url);
  return bindMigrationAwareSqlAdapterFactory({
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectAdapter(url, schema),
    connectToShadowDb: () =>
      shadowDatabaseUrl
        ? connectToConfiguredShadowDb(url, shadowDatabaseUrl)
        : connectToTemporaryShadowDb(url, schema),
  });
}

module.exports = { createAdapterFactory };
