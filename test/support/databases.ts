// Throw-away PostgreSQL databases for integration tests, on the server vitest's globalSetup provides.
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface ThrowawayDatabase {
  /** Connection URL for the new database (same user, host and parameters as TEST_PG_ADMIN_URL). */
  url: string;
  name: string;
  /** Drops the database, closing any connections a test left open. */
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url) {
    throw new Error(
      "TEST_PG_ADMIN_URL is not set. Run integration tests through the vitest integration project (its globalSetup starts Postgres), or export a superuser URL ending in /postgres.",
    );
  }
  return url;
}

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database named `<prefix>_<random>`. The prefix must contain "test", so a test can never
 * be pointed at, or drop, a database that holds anything real.
 */
export async function createThrowawayDatabase(prefix: string): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`.toLowerCase();
  if (!name.includes("test")) {
    throw new Error(`Refusing to create database "${name}": throw-away database names must contain "test".`);
  }
  // Plain lower-case identifiers only, so quoting is trivial and Postgres does not truncate the name.
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || name.length > 63) {
    throw new Error(
      `"${prefix}" gives the invalid database name "${name}"; use lower-case letters, digits and _.`,
    );
  }
  await asAdmin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.href,
    name,
    drop: () => asAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
