// The one Prisma client per process, over node-postgres through @prisma/adapter-pg.
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { peaklightDb?: Db };

/**
 * At most this many distinct statements are prepared per process (so per connection): node-postgres keeps a
 * connection's prepared statements until it closes, and never deallocates them. Beyond it, statements run
 * unprepared as before. The app and worker send a few dozen shapes; this leaves room for the rest.
 */
const MAX_PREPARED_STATEMENTS = 500;

/**
 * Names each statement after its SQL text, so node-postgres prepares it once per connection and then only
 * binds and executes it: Postgres skips parsing and (once a generic plan pays) planning the pipeline's large
 * CTE statements on every stage. The same text always gets the same name (node-postgres refuses one name for
 * two texts).
 */
function preparedStatementNames(): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known !== undefined) return known;
    if (names.size >= MAX_PREPARED_STATEMENTS) return "";
    const name = `pl_${createHash("sha1").update(sql).digest("base64url")}`;
    names.set(sql, name);
    return name;
  };
}

export function createDb(databaseUrl: string, poolSize = 10): Db {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: poolSize },
    { statementNameGenerator: preparedStatementNames() },
  );
  // Prisma's defaults (2 s to get a connection, 5 s per interactive transaction) fail a busy worker's batch
  // transactions when the machine is loaded: waiting is right there, the work is still needed.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 30_000, timeout: 120_000 } });
}

/**
 * The shared client for DATABASE_URL. Kept on globalThis so Next.js's dev reloads do not open a new pool per
 * edit.
 */
export function db(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Peaklight with `npm start`, which provides it");
  globalForDb.peaklightDb ??= createDb(url);
  return globalForDb.peaklightDb;
}
