// Runs the real stream worker (worker/stream-worker.ts) as a child process for integration tests.
import { spawn, type ChildProcess } from "node:child_process";

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far (JSON log lines). */
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM and wait: the ordered shutdown. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash at whatever point it is. */
  kill(): Promise<void>;
}

export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "worker/stream-worker.ts"], {
    env: { ...process.env, DEMO_REPLAY: "false", LOG_FORMAT: "json", KAFKA_BROKERS: "", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
