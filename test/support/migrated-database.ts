// A fresh database with every migration applied, copied from the template the global setup migrated.
import pg from "pg";
import { createDb, type Db } from "../../server/db/client";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./databases";

export interface MigratedDatabase extends ThrowawayDatabase {
  db: Db;
  /** Drops the database after closing the Prisma client. */
  dispose(): Promise<void>;
}

export async function createMigratedDatabase(prefix: string): Promise<MigratedDatabase> {
  const template = process.env.TEST_PG_TEMPLATE;
  if (!template) throw new Error("TEST_PG_TEMPLATE is not set: run through the vitest integration project");
  const database = await createThrowawayDatabase(prefix);
  // Re-create the empty database as a copy of the migrated template.
  const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE "${database.name}"`);
    await admin.query(`CREATE DATABASE "${database.name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const db = createDb(database.url, 4);
  return {
    ...database,
    db,
    dispose: async () => {
      await db.$disconnect();
      await database.drop();
    },
  };
}
