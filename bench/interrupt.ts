// Ctrl-C, SIGTERM or a stray async error while the bench runs: turned into one rejected promise that the
// run races its steps against, so every exit goes through the same finally that stops Postgres and Kafka
// (both run detached and would otherwise outlive us).

export class BenchInterruptedError extends Error {
  override name = "BenchInterruptedError";
  constructor(
    readonly reason: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(`bench interrupted (${reason}); services stopped`, options);
  }
}

export interface InterruptWatch {
  /** Rejects with BenchInterruptedError on the first interruption; never resolves. */
  interrupted: Promise<never>;
  /** `work`, unless an interruption comes first. */
  race<T>(work: Promise<T>): Promise<T>;
  dispose(): void;
}

export function watchInterrupts(onFirst: (reason: string) => void): InterruptWatch {
  let reject: (error: BenchInterruptedError) => void = () => undefined;
  const interrupted = new Promise<never>((_, rejectWith) => {
    reject = rejectWith;
  });
  interrupted.catch(() => undefined); // handled where raced; must not count as unhandled when nobody waits
  let first = true;
  const interrupt = (error: BenchInterruptedError) => {
    if (!first) {
      console.error(`[bench] ${error.reason} again: still stopping services…`);
      return;
    }
    first = false;
    onFirst(error.reason);
    reject(error);
  };
  const onSigint = () => interrupt(new BenchInterruptedError("SIGINT", 130));
  const onSigterm = () => interrupt(new BenchInterruptedError("SIGTERM", 143));
  const onRejection = (cause: unknown) => {
    console.error("[bench] unhandled rejection:", cause);
    interrupt(new BenchInterruptedError("unhandled rejection", 1, { cause }));
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  process.on("unhandledRejection", onRejection);
  return {
    interrupted,
    race: (work) => Promise.race([work, interrupted]),
    dispose() {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
      process.off("unhandledRejection", onRejection);
    },
  };
}
