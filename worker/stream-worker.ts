// Process entry: the stream worker. Consumes user actions (Kafka or in-process), aggregates them into
// event-time buckets in Postgres, and in the embedded default also plays the demo replay. Wiring only.
import { getConfigOrExit, streamTransportKind } from "../server/config/env";
import { detectionConfig } from "../server/detect/config";
import { LiveDetection } from "../server/detect/live-detection";
import { createDb } from "../server/db/client";
import { componentLogger } from "../server/observability/logger";
import { startDemoReplay, type RunningReplay } from "../server/replay/demo-replay";
import { installShutdown } from "../server/runtime/shutdown";
import { createTransport } from "../server/stream/create-transport";
import type { StreamSubscription } from "../server/stream/transport";
import { rewindOffsetsKeepingEventTime } from "../server/traffic/bucket-store";
import { TrafficAggregator } from "../server/traffic/aggregator";
import { BucketPartitions } from "../server/traffic/partitions";

async function main(): Promise<void> {
  const config = getConfigOrExit();
  const log = componentLogger("stream-worker");
  if (!config.DATABASE_URL) throw new Error("DATABASE_URL is required by the stream worker");
  const db = createDb(config.DATABASE_URL, 4);
  const transport = createTransport(config, log);
  const topic = config.KAFKA_TOPIC_USER_ACTIONS;
  const groupId = config.KAFKA_GROUP_ID;
  await transport.ensureTopic(topic, config.KAFKA_TOPIC_PARTITIONS);
  await transport.ensureTopic(config.KAFKA_TOPIC_DEAD_LETTER, 1);
  if (transport.kind === "inproc") {
    // The in-process stream starts empty on every run, so offsets stored by a previous run mean nothing; the
    // event time each partition reached still does (detection judged those windows), so it is kept.
    await rewindOffsetsKeepingEventTime(db, groupId, topic);
  }

  const partitions = new BucketPartitions(db, log);
  const groupingMs = config.PEAK_GROUPING_SECONDS * 1000;
  const detection = new LiveDetection({
    db,
    config: detectionConfig({
      detector: config.PEAK_DETECTOR,
      baseline: { windowSeconds: config.BUCKET_SECONDS },
    }),
    grouping: {
      toleranceMs: groupingMs,
      broadMinSports: 2,
      reactionMs: 180_000,
      settleMs: groupingMs,
      minEventSignificance: 0.7,
      explainMs: config.PEAK_EXPLAIN_SECONDS * 1000,
      overlapMs: 60_000,
    },
    log: componentLogger("peak-detection"),
  });
  const aggregator = new TrafficAggregator({
    afterCommit: (committed) => detection.afterBatch(committed),
    partitions,
    db,
    consumerGroup: groupId,
    topic,
    windowSeconds: config.BUCKET_SECONDS,
    allowedLatenessSeconds: config.ALLOWED_LATENESS_SECONDS,
    deadLetters: { transport, topic: config.KAFKA_TOPIC_DEAD_LETTER },
    log,
  });

  let subscription: StreamSubscription | undefined;
  let replay: RunningReplay | undefined;
  let statsTimer: ReturnType<typeof setInterval> | undefined;
  let retentionTimer: ReturnType<typeof setInterval> | undefined;
  const shutdown = installShutdown(log, [
    { name: "stop demo replay", run: async () => replay?.stop() },
    { name: "stop consuming (finishes the batch in flight)", run: async () => subscription?.stop() },
    { name: "close stream", run: () => transport.close() },
    {
      name: "report",
      run: async () => {
        clearInterval(statsTimer);
        clearInterval(retentionTimer);
        log.info({ ...aggregator.stats, detection: detection.stats }, "final stream stats");
      },
    },
    { name: "close database", run: () => db.$disconnect() },
  ]);

  subscription = await transport.consume({
    groupId,
    topic,
    onBatch: (batch) => aggregator.handleBatch(batch),
    onAssigned: (partitions) => {
      log.info({ partitions }, "partitions assigned");
      aggregator.onAssigned(partitions);
      detection.onAssigned();
    },
    onRetry: (error, partition, attempt, delayMs) => {
      log.error({ err: error, partition, attempt, delayMs }, "a batch failed to store; delivering it again");
    },
    onFatal: (error) => {
      log.fatal({ err: error }, "the stream consumer stopped for good; exiting so the worker is restarted");
      void shutdown("consumer crashed", 1);
    },
  });

  if (config.DEMO_REPLAY) {
    replay = startDemoReplay({
      transport,
      topic,
      seed: config.DEMO_SEED,
      actionsPerSecond: config.DEMO_ACTIONS_PER_SECOND,
      speed: config.DEMO_SPEED,
      actionsPerMessage: config.STREAM_ACTIONS_PER_MESSAGE,
      backfillMs: config.DEMO_BACKFILL_MINUTES * 60_000,
      db,
      log: componentLogger("demo-replay"),
    });
  }
  statsTimer = setInterval(
    () => log.info({ ...aggregator.stats, detection: detection.stats, sent: replay?.sent() }, "stream stats"),
    30_000,
  );

  const applyRetention = () =>
    partitions
      .dropExpired(config.RAW_BUCKET_RETENTION_DAYS)
      .catch((error: unknown) => log.error({ err: error }, "raw bucket retention failed; will retry"));
  void applyRetention();
  retentionTimer = setInterval(applyRetention, 3_600_000);

  log.info(
    {
      transport: streamTransportKind(config),
      topic,
      groupId,
      windowSeconds: config.BUCKET_SECONDS,
      demo: config.DEMO_REPLAY,
    },
    "stream worker running",
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
