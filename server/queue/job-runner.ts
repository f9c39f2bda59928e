// Runs jobs from the `job` table: per kind, claims as many due jobs as it has free slots (FOR UPDATE SKIP
// LOCKED, so any number of worker processes share the queue), renews each claim's lease while it runs,
// reclaims jobs whose worker died, retries failures with back-off and marks them failed after the last
// attempt. On stop it takes no new work, lets what runs finish for a grace period, then hands the rest back.
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { afterFailure, type RetryPolicy } from "./backoff";
import {
  claimJobs,
  failJob,
  finishJob,
  handBack,
  LeaseLostError,
  reclaimExpired,
  renewLease,
  type ClaimedJob,
} from "./job-store";
import type { JobSpec } from "./job-spec";

/** `finished`: the handler called finishJob in its own transaction. `skip`: nothing to do, why. */
export type JobResult = "finished" | { skip: string };

export interface JobRun<Payload> {
  job: ClaimedJob;
  payload: Payload;
  /** Aborted when the lease is lost or the worker stops; long stages should give up then. */
  signal: AbortSignal;
}

export interface JobHandler<Payload> {
  spec: JobSpec<Payload>;
  handle(run: JobRun<Payload>): Promise<JobResult>;
}

/** A handler list of several payload types (each handler parses its own payload). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers of different payloads in one list; each is only ever given what its own spec parsed
export type AnyJobHandler = JobHandler<any>;

export interface JobRunnerOptions {
  db: Db;
  handlers: readonly AnyJobHandler[];
  log: Logger;
  /** How often to look for due jobs. */
  pollMs?: number;
  /** How often to look for expired leases. */
  reclaimEveryMs?: number;
  /** Per kind: overrides of its spec (tests use short leases and back-offs). */
  overrides?: Record<
    string,
    Partial<Pick<JobSpec<unknown>, "concurrency" | "leaseMs">> & Partial<RetryPolicy>
  >;
}

export interface JobRunnerStats {
  claimed: number;
  done: number;
  skipped: number;
  retried: number;
  dead: number;
  reclaimed: number;
  handedBack: number;
}

interface KindState {
  handler: AnyJobHandler;
  retry: RetryPolicy;
  concurrency: number;
  leaseMs: number;
  inFlight: Map<bigint, { job: ClaimedJob; abort: AbortController; done: Promise<void> }>;
}

export class JobRunner {
  readonly stats: JobRunnerStats = {
    claimed: 0,
    done: 0,
    skipped: 0,
    retried: 0,
    dead: 0,
    reclaimed: 0,
    handedBack: 0,
  };
  private readonly kinds: KindState[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopping = false;
  private lastReclaim = 0;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly options: JobRunnerOptions) {
    this.kinds = options.handlers.map((handler) => {
      const override = options.overrides?.[handler.spec.kind] ?? {};
      return {
        handler,
        retry: {
          maxAttempts: override.maxAttempts ?? handler.spec.retry.maxAttempts,
          baseDelayMs: override.baseDelayMs ?? handler.spec.retry.baseDelayMs,
          maxDelayMs: override.maxDelayMs ?? handler.spec.retry.maxDelayMs,
        },
        concurrency: override.concurrency ?? handler.spec.concurrency,
        leaseMs: override.leaseMs ?? handler.spec.leaseMs,
        inFlight: new Map(),
      };
    });
  }

  start(): void {
    const loop = () => {
      if (this.stopping) return;
      this.ticking = this.tick()
        .catch((error: unknown) => this.options.log.error({ err: error }, "job poll failed; will retry"))
        .finally(() => {
          if (!this.stopping) this.timer = setTimeout(loop, this.options.pollMs ?? 500);
        });
    };
    loop();
  }

  /** One round: reclaim expired leases (at most every reclaimEveryMs), then fill free slots per kind. */
  async tick(): Promise<void> {
    const now = Date.now();
    if (now - this.lastReclaim >= (this.options.reclaimEveryMs ?? 2_000)) {
      this.lastReclaim = now;
      for (const state of this.kinds) {
        const { requeued, dead } = await reclaimExpired(
          this.options.db,
          state.handler.spec.kind,
          state.retry.maxAttempts,
        );
        if (requeued + dead > 0) {
          this.stats.reclaimed += requeued + dead;
          this.stats.dead += dead;
          this.options.log.warn(
            { kind: state.handler.spec.kind, requeued, dead },
            "reclaimed jobs whose lease expired",
          );
        }
      }
    }
    for (const state of this.kinds) {
      if (this.stopping) return;
      const jobs = await claimJobs(
        this.options.db,
        state.handler.spec.kind,
        state.concurrency - state.inFlight.size,
        state.leaseMs,
      );
      for (const job of jobs) this.launch(state, job);
    }
  }

  /** Jobs running now, all kinds. */
  inFlight(): number {
    return this.kinds.reduce((sum, state) => sum + state.inFlight.size, 0);
  }

  /** Stops claiming, waits up to `graceMs` for running jobs, then hands the rest back to the queue. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.ticking;
    const running = this.kinds.flatMap((state) => [...state.inFlight.values()]);
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(running.map((entry) => entry.done)),
      new Promise((resolve) => (graceTimer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(graceTimer);
    const left = this.kinds.flatMap((state) => [...state.inFlight.values()]);
    for (const entry of left) entry.abort.abort(new Error("worker shutting down"));
    if (left.length > 0) {
      const count = await handBack(
        this.options.db,
        left.map((entry) => entry.job),
      );
      this.stats.handedBack += count;
      this.options.log.info({ handedBack: count }, "handed unfinished jobs back to the queue");
    }
  }

  private launch(state: KindState, job: ClaimedJob): void {
    this.stats.claimed += 1;
    const abort = new AbortController();
    const renew = setInterval(
      () => {
        renewLease(this.options.db, job, state.leaseMs)
          .then((held) => {
            if (!held) abort.abort(new LeaseLostError(job));
          })
          .catch((error: unknown) =>
            this.options.log.warn({ err: error, jobId: job.id.toString() }, "lease renewal failed"),
          );
      },
      Math.max(250, Math.floor(state.leaseMs / 3)),
    );
    const done = this.run(state, job, abort.signal).finally(() => {
      clearInterval(renew);
      state.inFlight.delete(job.id);
    });
    state.inFlight.set(job.id, { job, abort, done });
  }

  private async run(state: KindState, job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const { spec } = state.handler;
    const fields = { jobId: job.id.toString(), kind: job.kind, attempt: job.attempt };
    const started = performance.now();
    const parsed = spec.payload.safeParse(job.payload);
    if (!parsed.success) {
      // A payload its own schema rejects will not get better on retry.
      await failJob(
        this.options.db,
        job,
        `invalid payload: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
        { kind: "dead" },
      );
      this.stats.dead += 1;
      this.options.log.error(fields, "job has an invalid payload; marked failed");
      return;
    }
    try {
      const result = await state.handler.handle({ job, payload: parsed.data, signal });
      if (result === "finished") {
        this.stats.done += 1;
      } else {
        await this.options.db.$transaction((tx) => finishJob(tx, job));
        this.stats.skipped += 1;
        this.options.log.info({ ...fields, reason: result.skip }, "job skipped");
      }
      this.options.log.debug({ ...fields, ms: Math.round(performance.now() - started) }, "job done");
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.options.log.warn({ ...fields, err: error }, "job attempt discarded: lease lost");
        return;
      }
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const verdict = afterFailure(state.retry, job.attempt);
      const recorded = await failJob(this.options.db, job, message, verdict).catch((failError: unknown) => {
        this.options.log.error({ ...fields, err: failError }, "could not record the job's failure");
        return false;
      });
      if (!recorded) return;
      if (verdict.kind === "dead") {
        this.stats.dead += 1;
        this.options.log.error({ ...fields, error: message }, "job failed for good after its last attempt");
      } else {
        this.stats.retried += 1;
        this.options.log.warn(
          { ...fields, error: message, retryInMs: verdict.delayMs },
          "job failed; will retry",
        );
      }
    }
  }
}
