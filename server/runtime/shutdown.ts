// Ordered shutdown, in one place: on SIGINT/SIGTERM (or when the parent launcher goes away) run the
// registered steps in order — stop taking work, finish what is in flight, flush, close clients, then the
// database — and exit. A second signal exits at once.
import type { Logger } from "pino";

export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

export function installShutdown(
  log: Logger,
  steps: ShutdownStep[],
  timeoutMs = 20_000,
): (reason: string, exitCode?: number) => Promise<void> {
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (reason: string, exitCode = 0): Promise<void> => {
    if (shuttingDown) return shuttingDown;
    log.info({ reason }, "shutting down");
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, "shutdown took too long; exiting");
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    shuttingDown = (async () => {
      let failed = false;
      for (const step of steps) {
        try {
          await step.run();
          log.debug({ step: step.name }, "shutdown step done");
        } catch (error) {
          failed = true;
          log.error({ err: error, step: step.name }, "shutdown step failed");
        }
      }
      log.info("stopped");
      log.flush(() => process.exit(failed ? 1 : exitCode));
    })();
    return shuttingDown;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (shuttingDown) process.exit(130);
      void shutdown(signal);
    });
  }
  // Started by worker/start.ts with an IPC channel: if the launcher dies, do not live on as an orphan.
  process.on("disconnect", () => void shutdown("parent process went away"));
  return shutdown;
}
