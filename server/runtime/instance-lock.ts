// One Peaklight per data directory: a pid file taken atomically, so a second `npm start` says who holds it
// instead of starting a second Postgres on the same files.
import fs from "node:fs";
import path from "node:path";
import { isAlive } from "./processes";

export class AlreadyRunningError extends Error {
  constructor(
    readonly pid: number,
    lockFile: string,
  ) {
    super(
      `Peaklight is already running from this folder (pid ${pid}, lock ${lockFile}). ` +
        `Stop it with Ctrl-C in its terminal or \`kill ${pid}\`, then start again.`,
    );
    this.name = "AlreadyRunningError";
  }
}

/** Takes the lock or throws AlreadyRunningError; a lock left by a dead process is taken over. */
export function acquireInstanceLock(dataDir: string): { release(): void } {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, "peaklight.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: "wx" });
      return {
        release: () => {
          if (fs.readFileSync(lockFile, "utf8").trim() === String(process.pid)) fs.rmSync(lockFile);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lockFile, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new AlreadyRunningError(holder, lockFile);
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not take the instance lock ${lockFile}`);
}
