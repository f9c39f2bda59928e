#!/usr/bin/env node
// Runs the real Prisma CLI with our WebAssembly schema engine (scripts/prisma-schema-engine.cjs), since the
// CLI's native engine is a download from a host this project cannot rely on. Usage: node scripts/prisma.mjs <args>
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");

const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(here, "prisma-schema-engine.cjs"),
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
