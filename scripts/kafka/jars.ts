// Fetches the local Kafka broker's jars (scripts/kafka/pom.xml) from Maven Central into a cache directory, once.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isAlive, run } from "./run";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const pomPath = path.join(here, "pom.xml");

/** Downloads the broker's jars into `<cacheDir>/libs` (relative to the repo root) unless a previous run completed; returns that directory. */
export async function ensureKafkaJars(cacheDir = ".cache/kafka"): Promise<string> {
  const libs = path.resolve(repoRoot, cacheDir, "libs");
  const marker = path.join(libs, ".complete");
  // The marker holds the pom's hash, so a version bump in pom.xml refetches.
  const pomHash = createHash("sha256")
    .update(await fs.readFile(pomPath))
    .digest("hex");
  if ((await fs.readFile(marker, "utf8").catch(() => "")) === pomHash) return libs;

  // Download beside the target and rename it into place, so a half-done or concurrent fetch never shows up as libs.
  const staging = `${libs}.tmp-${process.pid}`;
  await removeAbandonedStaging(path.dirname(libs));
  await run(
    "mvn",
    [
      "-q",
      "-B",
      "-Dstyle.color=never",
      "-f",
      pomPath,
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${staging}`,
    ],
    {
      prefix: "[mvn] ",
      missing:
        "Maven (mvn) is not on PATH; install Maven 3 and Java 17 (e.g. apt-get install maven openjdk-17-jre-headless).",
    },
  );
  await fs.writeFile(path.join(staging, ".complete"), pomHash);
  await fs.rm(libs, { recursive: true, force: true });
  await fs.rename(staging, libs).catch(async (error: unknown) => {
    await fs.rm(staging, { recursive: true, force: true });
    if ((await fs.readFile(marker, "utf8").catch(() => "")) !== pomHash) throw error;
  });
  return libs;
}

async function removeAbandonedStaging(cacheDir: string): Promise<void> {
  for (const name of await fs.readdir(cacheDir).catch(() => [])) {
    const pid = Number(/^libs\.tmp-(\d+)$/.exec(name)?.[1]);
    if (pid && (pid === process.pid || !isAlive(pid)))
      await fs.rm(path.join(cacheDir, name), { recursive: true, force: true });
  }
}
