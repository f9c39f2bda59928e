// Runs the JDK and Maven tools the local Kafka broker needs, with errors a developer can act on.
import { spawn } from "node:child_process";
import readline from "node:readline";
import { stripVTControlCharacters } from "node:util";

export class KafkaBrokerError extends Error {
  override name = "KafkaBrokerError";
}

export { isAlive } from "../../server/runtime/processes";

const javaMissingMessage =
  "Java is not on PATH; the local Kafka broker needs Java 17 (e.g. apt-get install openjdk-17-jre-headless).";

export function javaMissing(error: Error): Error {
  return (error as NodeJS.ErrnoException).code === "ENOENT"
    ? new KafkaBrokerError(javaMissingMessage)
    : error;
}

export async function runJava(args: string[]): Promise<string> {
  return run("java", args, { missing: javaMissingMessage });
}

/** Runs a command and returns its stdout; with `prefix`, also streams each output line, prefixed, to stderr. */
export async function run(
  command: string,
  args: string[],
  opts: { prefix?: string; missing: string },
): Promise<string> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const stdout: string[] = [];
  const all: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on("line", (raw) => {
      const line = stripVTControlCharacters(raw); // Debian's mvn colours even with -B.
      if (!line.trim()) return;
      if (stream === child.stdout) stdout.push(line);
      all.push(line);
      if (opts.prefix) process.stderr.write(`${opts.prefix}${line}\n`);
    });
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new KafkaBrokerError(opts.missing) : error),
    );
    child.once("close", resolve);
  });
  if (code !== 0) {
    throw new KafkaBrokerError(
      `${command} ${args.slice(-3).join(" ")} failed (exit ${code}):\n${all.slice(-30).join("\n")}`,
    );
  }
  return stdout.join("\n");
}
