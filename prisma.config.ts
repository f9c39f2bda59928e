// Prisma CLI configuration. The URL comes from the environment (set by worker/start.ts or the user);
// a placeholder keeps `prisma generate` working where no database exists yet.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/peaklight_unset",
  },
});
