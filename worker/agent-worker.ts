// Process entry: the agent worker. Runs the moment pipeline's jobs (score → describe → decide channels) and
// the deliveries of approved moments from the Postgres queue, woken by LISTEN/NOTIFY, with the configured LLM
// provider (offline by default) and channels (CHANNELS_FILE or built-in). Wiring only.
import { getConfigOrExit } from "../server/config/env";
import { createDb } from "../server/db/client";
import { createProvider } from "../server/agents/providers";
import { channelDirectoryOrExit } from "../server/channels/channel-directory";
import { deliveryHandler } from "../server/channels/delivery-handler";
import { pipelineJobs } from "../server/moments/pipeline-jobs";
import { componentLogger } from "../server/observability/logger";
import { JobRunner, type AnyJobHandler } from "../server/queue/job-runner";
import { installShutdown } from "../server/runtime/shutdown";

async function main(): Promise<void> {
  const config = getConfigOrExit();
  const channels = channelDirectoryOrExit();
  const log = componentLogger("agent-worker");
  if (!config.DATABASE_URL) throw new Error("DATABASE_URL is required by the agent worker");
  const db = createDb(config.DATABASE_URL, 8);
  const handlers: AnyJobHandler[] = [
    ...pipelineJobs({
      db,
      provider: createProvider(config),
      llm: config,
      bucketSeconds: config.BUCKET_SECONDS,
      channels: channels.map((configured) => configured.channel),
      log: componentLogger("moment-pipeline"),
    }),
    deliveryHandler({
      db,
      channels,
      log: componentLogger("delivery"),
      timeoutMs: config.DELIVERY_TIMEOUT_MS,
    }),
  ];
  const leaseMs = config.JOB_LEASE_MS;
  const runner = new JobRunner({
    db,
    log,
    handlers,
    listenUrl: config.DATABASE_URL,
    pollMs: config.JOB_POLL_MS,
    overrides: leaseMs
      ? Object.fromEntries(handlers.map((handler) => [handler.spec.kind, { leaseMs }]))
      : undefined,
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
  for (const { channel, target } of channels) {
    if (target.type === "slack" && !target.url) {
      log.warn(
        { channelId: channel.id, problem: target.missing },
        "channel has no target; its deliveries will fail",
      );
    }
  }
  await runner.start();
  log.info(
    {
      provider: config.LLM_PROVIDER,
      channels: channels.map(({ channel, target }) => `${channel.id} (${target.type})`),
      listening: runner.listening,
      leaseMs: leaseMs ?? "per kind",
    },
    "agent worker running",
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
