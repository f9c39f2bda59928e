// Process entry: the agent worker. Runs the moment pipeline's jobs (score → describe → decide channels) from
// the Postgres queue with the configured LLM provider (offline by default). Wiring only.
import { getConfigOrExit } from "../server/config/env";
import { createDb } from "../server/db/client";
import { createProvider } from "../server/agents/providers";
import { configuredChannels } from "../server/channels/configured-channels";
import { pipelineJobs } from "../server/moments/pipeline-jobs";
import { componentLogger } from "../server/observability/logger";
import { JobRunner } from "../server/queue/job-runner";
import { installShutdown } from "../server/runtime/shutdown";

async function main(): Promise<void> {
  const config = getConfigOrExit();
  const log = componentLogger("agent-worker");
  if (!config.DATABASE_URL) throw new Error("DATABASE_URL is required by the agent worker");
  const db = createDb(config.DATABASE_URL, 8);
  const runner = new JobRunner({
    db,
    log,
    handlers: pipelineJobs({
      db,
      provider: createProvider(config),
      llm: config,
      bucketSeconds: config.BUCKET_SECONDS,
      channels: configuredChannels(),
      log: componentLogger("moment-pipeline"),
    }),
  });
  const statsTimer = setInterval(() => log.info({ ...runner.stats }, "agent queue stats"), 30_000);
  installShutdown(log, [
    // Stop claiming, give running stages a few seconds, hand the rest back (the next worker resumes them).
    { name: "stop jobs (hands back what is in flight)", run: () => runner.stop(8_000) },
    {
      name: "report",
      run: async () => {
        clearInterval(statsTimer);
        log.info({ ...runner.stats }, "final agent queue stats");
      },
    },
    { name: "close database", run: () => db.$disconnect() },
  ]);
  runner.start();
  log.info(
    { provider: config.LLM_PROVIDER, channels: configuredChannels().map((c) => c.id) },
    "agent worker running",
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
