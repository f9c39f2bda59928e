// `npm run replay -- --from DIR|FILE --speed N|max [--to kafka|inproc] …`: replays a generated games (or a
// recorded NDJSON file) into a stream with a progress bar, resumably; loads the games' stories and
// play-by-play into Postgres first when DATABASE_URL is set. Wiring only: see server/replay/.
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import type { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import cliProgress from "cli-progress";
import { getConfigOrExit } from "../server/config/env";
import { createDb } from "../server/db/client";
import { componentLogger } from "../server/observability/logger";
import { actionsFileOf, readGames, readLines, type GamesOnDisk } from "../server/replay/games-files";
import { loadGames } from "../server/replay/games-store";
import { parseSpeed, replayedTs, type EventTimeMode } from "../server/replay/pacer";
import { openReplayTarget, type ReplayTargetKind } from "../server/replay/replay-target";
import { defaultPositionFile, loadPosition, savePosition } from "../server/replay/replay-position";
import { replayActions } from "../server/replay/replayer";

const USAGE = `usage: npm run replay -- --from DIR|FILE [--speed N|max] [--to kafka|inproc] [--topic NAME]
  [--event-time original|now] [--record FILE.ndjson[.gz]] [--position FILE] [--restart] [--no-load]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const config = getConfigOrExit();
  const log = componentLogger("replay");
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      speed: { type: "string", default: "1" },
      to: { type: "string" },
      topic: { type: "string", default: config.KAFKA_TOPIC_USER_ACTIONS },
      "event-time": { type: "string", default: "original" },
      record: { type: "string" },
      position: { type: "string" },
      restart: { type: "boolean", default: false },
      "no-load": { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (!values.from) fail("--from: expected a games directory or an NDJSON file");
  let speed: number;
  try {
    speed = parseSpeed(values.speed);
  } catch (error) {
    fail(`--speed: ${(error as Error).message}`);
  }
  const to = (values.to ?? (config.KAFKA_BROKERS ? "kafka" : "inproc")) as ReplayTargetKind;
  if (to !== "kafka" && to !== "inproc") fail(`--to: expected kafka or inproc (got "${values.to}")`);
  const eventTime = values["event-time"] as EventTimeMode;
  if (eventTime !== "original" && eventTime !== "now") fail(`--event-time: expected original or now`);

  const source = await actionsFileOf(values.from);
  const isGamesDir = source !== values.from;
  const games: GamesOnDisk | undefined = isGamesDir ? await readGames(values.from) : undefined;
  const positionFile = values.position ?? defaultPositionFile(config.PEAKLIGHT_DATA_DIR, source);
  const earlier = values.restart ? undefined : await loadPosition(positionFile, source);
  const skipLines = earlier?.lines ?? 0;
  const total = games?.manifest.actionCounts.total;
  if (total !== undefined && skipLines >= total) {
    console.log(`${source} was replayed completely (${positionFile}); --restart replays it again`);
    return;
  }
  const originWall = Date.now();
  const originTs = skipLines === 0 ? games?.manifest.start : undefined;

  if (games && config.DATABASE_URL && !values["no-load"] && skipLines === 0) {
    const db = createDb(config.DATABASE_URL, 2);
    const pace = { speed, originTs: games.manifest.start, originWall };
    const counts = await loadGames(db, games, { retime: (ts) => replayedTs(pace, ts, eventTime) });
    await db.$disconnect();
    log.info({ gamesId: games.manifest.id, ...counts }, "loaded the games' records into Postgres");
  }

  const target = await openReplayTarget(config, to, values.topic, log);
  let recording: WriteStream | undefined;
  let recordInput: Writable | undefined;
  if (values.record) {
    recording = createWriteStream(values.record, { flags: skipLines > 0 ? "a" : "w" });
    recordInput = values.record.endsWith(".gz") ? createGzip({ level: 1 }) : recording;
    if (recordInput !== recording) (recordInput as ReturnType<typeof createGzip>).pipe(recording);
  }
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => controller.abort());

  const bar = new cliProgress.SingleBar(
    {
      format: `replay {bar} {percentage}% | {value}/{total} lines | {sent} sent | {eventTime} | eta {eta_formatted}`,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total ?? 0, skipLines, { sent: 0, eventTime: "" });
  let savedAt = 0;
  const sentBefore = earlier?.actions ?? 0;
  const result = await replayActions({
    lines: readLines(source),
    send: (messages) => target.send(messages),
    speed,
    eventTime,
    actionsPerMessage: config.STREAM_ACTIONS_PER_MESSAGE,
    skipLines,
    originTs,
    originWall,
    signal: controller.signal,
    record: recordInput
      ? async (ndjson) => {
          if (!recordInput.write(ndjson)) await once(recordInput, "drain");
        }
      : undefined,
    onBatchSent: async (progress) => {
      if (total === undefined) bar.setTotal(Math.max(progress.lines, 1));
      bar.update(progress.lines, {
        sent: progress.sent,
        eventTime: progress.eventTs ? new Date(progress.eventTs).toISOString() : "",
      });
      if (Date.now() - savedAt >= 1_000) {
        savedAt = Date.now();
        await savePosition(positionFile, {
          source: path.resolve(source),
          lines: progress.lines,
          actions: sentBefore + progress.sent,
        });
      }
    },
    onInvalidLine: (line, reason) => log.warn({ line, reason }, "skipped a line that is not a user action"),
  });
  await savePosition(positionFile, {
    source: path.resolve(source),
    lines: result.lines,
    actions: sentBefore + result.sent,
  });
  bar.stop();
  if (recordInput) {
    recordInput.end();
    await once(recording!, "close");
  }
  await target.close();
  console.log(
    `${result.interrupted ? "stopped" : "replayed"} ${result.sent.toLocaleString("en-US")} actions ` +
      `(${result.lines.toLocaleString("en-US")} lines${result.invalid ? `, ${result.invalid} invalid` : ""}) into ` +
      `${target.kind === "kafka" ? `Kafka topic ${target.topic}` : target.aggregating ? "the in-process stream → Postgres" : "the in-process stream (no DATABASE_URL: counted only)"}` +
      `${result.interrupted ? `; run the same command again to resume (position in ${positionFile})` : ""}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
