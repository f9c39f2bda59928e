// The one Prisma client per process, over node-postgres through @prisma/adapter-pg.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { peaklightDb?: Db };

export function createDb(databaseUrl: string, poolSize = 10): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  return new PrismaClient({ adapter });
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
