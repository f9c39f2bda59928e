// A games on disk: a directory with the manifest (games.json), one NDJSON file per kind of record, and the
// user actions as gzipped NDJSON in time order (the stream's own message format, one action per line).
// Writing streams the actions step by step, so even a `full` games never sits in memory.
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { createGunzip, createGzip, constants as zlib } from "node:zlib";
import type { Writable } from "node:stream";
import { actionGenerator, type GamesPlan } from "../simulator/games";
import type {
  Athlete,
  GamesManifest,
  GamesSession,
  GroundTruthMoment,
  PlayByPlayEvent,
  Story,
} from "../simulator/types";

export const GAMES_FILES = {
  manifest: "games.json",
  athletes: "athletes.ndjson",
  sessions: "sessions.ndjson",
  playByPlay: "play-by-play.ndjson",
  stories: "stories.ndjson",
  groundTruth: "ground-truth.ndjson",
  userActions: "user-actions.ndjson.gz",
} as const;

export interface ActionCounts {
  total: number;
  byCountry: Record<string, number>;
  bySport: Record<string, number>;
}

/** The manifest as written: the plan's manifest plus what the actions file holds. */
export interface GamesManifestFile extends GamesManifest {
  actionCounts: ActionCounts;
  files: typeof GAMES_FILES;
}

export interface GamesOnDisk {
  manifest: GamesManifestFile;
  athletes: Athlete[];
  sessions: GamesSession[];
  playByPlay: PlayByPlayEvent[];
  stories: Story[];
  groundTruth: GroundTruthMoment[];
}

const ndjson = (records: readonly unknown[]) => records.map((r) => `${JSON.stringify(r)}\n`).join("");

async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, "drain");
}

export interface WriteProgress {
  step: number;
  steps: number;
  actions: number;
}

/** Writes a planned games to `dir` (created if needed); returns the manifest written. */
export async function writeGames(
  plan: GamesPlan,
  dir: string,
  onProgress?: (progress: WriteProgress) => void,
): Promise<GamesManifestFile> {
  await fs.mkdir(dir, { recursive: true });
  await Promise.all([
    fs.writeFile(path.join(dir, GAMES_FILES.athletes), ndjson(plan.athletes)),
    fs.writeFile(path.join(dir, GAMES_FILES.sessions), ndjson(plan.sessions)),
    fs.writeFile(path.join(dir, GAMES_FILES.playByPlay), ndjson(plan.playByPlay)),
    fs.writeFile(path.join(dir, GAMES_FILES.stories), ndjson(plan.stories)),
    fs.writeFile(path.join(dir, GAMES_FILES.groundTruth), ndjson(plan.groundTruth)),
  ]);
  const generator = actionGenerator(plan);
  const series = plan.audience.series;
  const perSeries = new Float64Array(series.length);
  // Level 1: the actions file is large and repetitive; speed matters more than the last few percent.
  const gzip = createGzip({ level: 1, chunkSize: 1 << 16, strategy: zlib.Z_DEFAULT_STRATEGY });
  const file = createWriteStream(path.join(dir, GAMES_FILES.userActions));
  gzip.pipe(file);
  const closed = once(file, "close");
  let total = 0;
  let pending = "";
  for (let step = 0; step < generator.stepCount; step++) {
    const actions = generator.step(step);
    for (let i = 0; i < actions.length; i++) perSeries[(actions[i]! & 8191) >> 2]! += 1;
    total += actions.length;
    pending += generator.encode(actions, generator.stepStart(step));
    if (pending.length > 1 << 20) {
      await write(gzip, pending);
      pending = "";
      onProgress?.({ step: step + 1, steps: generator.stepCount, actions: total });
    }
  }
  gzip.end(pending);
  await closed;
  onProgress?.({ step: generator.stepCount, steps: generator.stepCount, actions: total });
  const byCountry: Record<string, number> = {};
  const bySport: Record<string, number> = {};
  series.forEach((s, i) => {
    byCountry[s.country] = (byCountry[s.country] ?? 0) + perSeries[i]!;
    bySport[s.sport] = (bySport[s.sport] ?? 0) + perSeries[i]!;
  });
  const manifest: GamesManifestFile = {
    ...plan.manifest,
    actionCounts: { total, byCountry, bySport },
    files: GAMES_FILES,
  };
  await fs.writeFile(path.join(dir, GAMES_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function readNdjson<T>(file: string): Promise<T[]> {
  const text = await fs.readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

/** A games' manifest and records (not its actions: stream those with readActionLines). */
export async function readGames(dir: string): Promise<GamesOnDisk> {
  const manifestPath = path.join(dir, GAMES_FILES.manifest);
  let manifest: GamesManifestFile;
  try {
    manifest = JSON.parse(await fs.readFile(manifestPath, "utf8")) as GamesManifestFile;
  } catch (error) {
    throw new Error(
      `${dir} is not a games directory (cannot read ${manifestPath}: ${(error as Error).message})`,
    );
  }
  if (manifest.format !== "peaklight-games/1") {
    throw new Error(
      `${manifestPath}: unknown format "${String(manifest.format)}", expected peaklight-games/1`,
    );
  }
  const [athletes, sessions, playByPlay, stories, groundTruth] = await Promise.all([
    readNdjson<Athlete>(path.join(dir, GAMES_FILES.athletes)),
    readNdjson<GamesSession>(path.join(dir, GAMES_FILES.sessions)),
    readNdjson<PlayByPlayEvent>(path.join(dir, GAMES_FILES.playByPlay)),
    readNdjson<Story>(path.join(dir, GAMES_FILES.stories)),
    readNdjson<GroundTruthMoment>(path.join(dir, GAMES_FILES.groundTruth)),
  ]);
  return { manifest, athletes, sessions, playByPlay, stories, groundTruth };
}

/** The actions file of a games directory, or the file itself (NDJSON, gzipped if it ends in .gz). */
export async function actionsFileOf(from: string): Promise<string> {
  const stat = await fs.stat(from).catch(() => {
    throw new Error(`${from} does not exist: give a games directory or an NDJSON file`);
  });
  return stat.isDirectory() ? path.join(from, GAMES_FILES.userActions) : from;
}

/** Lines of an NDJSON file (gunzipped when it ends in .gz), empty lines skipped. */
export async function* readLines(file: string): AsyncGenerator<string> {
  const raw = createReadStream(file);
  const input = file.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (error) => input.destroy(error));
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) yield line;
}
