// Where a replay got to, persisted after every batch the stream accepted, so an interrupted replay resumes
// from the next unsent line. Written to a temporary file and renamed, so a crash never leaves half a file.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

export interface ReplayPosition {
  /** Absolute path of the replayed actions file. */
  source: string;
  /** Source lines fully sent. */
  lines: number;
  /** Actions sent so far, over every run. */
  actions: number;
  updatedAt: string;
}

/** Default position file for a source: one per source path under `<dataDir>/replay/`. */
export function defaultPositionFile(dataDir: string, source: string): string {
  const absolute = path.resolve(source);
  const hash = createHash("sha256").update(absolute).digest("hex").slice(0, 12);
  const name = path.basename(path.dirname(absolute)) + "-" + path.basename(absolute).replace(/\W+/g, "-");
  return path.join(dataDir, "replay", `${name}-${hash}.json`);
}

export async function loadPosition(file: string, source: string): Promise<ReplayPosition | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const position = JSON.parse(text) as ReplayPosition;
  if (position.source !== path.resolve(source)) {
    throw new Error(
      `${file} records a replay of ${position.source}, not ${path.resolve(source)}; use --restart`,
    );
  }
  return position;
}

export async function savePosition(file: string, position: Omit<ReplayPosition, "updatedAt">): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify({ ...position, updatedAt: new Date().toISOString() })}\n`);
  await fs.rename(temporary, file);
}
