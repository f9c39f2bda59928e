// Runs jobs from the `job` table: per kind, claims as many due jobs as it has free slots (FOR UPDATE SKIP
// LOCKED, so any number of worker processes share the queue), renews each claim's lease while it runs,
// reclaims jobs whose worker died, retries failures with back-off and marks them failed after the last
// attempt. It wakes when a job is enqueued (LISTEN on the NOTIFY enqueueJob sends), when the next delayed job
// falls due, when a slot frees up with work waiting, and on a slow fallback poll for lost notifications. A
// handler whose commit queues the next job (the pipeline's next stage) may hold a slot for it (`chainSlot`):
// the commit queues it claimed, and the runner starts it at once, with no NOTIFY round trip or claim.
// On stop it takes no new work, lets what runs finish for a grace period, then hands the rest back.
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { afterFailure, type FailureVerdict, type RetryPolicy } from "./backoff";
import { PermanentJobError, type AnyJobHandler, type JobResult } from "./job-handler";
import {
  claimJobs,
  failJob,
  finishJob,
  handBack,
  LeaseLostError,
  msUntilNextDue,
  reclaimExpired,
  renewLease,
  type ClaimedJob,
} from "./job-store";
import type { JobSpec } from "./job-spec";
import { JobWakeups } from "./job-wakeups";

export {
  PermanentJobError,
  type AnyJobHandler,
  type ChainSlot,
  type JobFailure,
  type JobHandler,
  type JobResult,
  type JobRun,
} from "./job-handler";

export interface JobRunnerOptions {
  db: Db;
  handlers: readonly AnyJobHandler[];
  log: Logger;
  /**
   * Set: LISTEN for new jobs on this database (a dedicated connection) and poll only as a fallback. Unset:
   * poll every `pollMs`.
   */
  listenUrl?: string;
  /** How often to look for due jobs when nothing woke the runner: 500 ms, or 5 s when listening. */
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
  /** Of the claimed: queued already claimed by the commit of the stage before, started without a claim round. */
  chained: number;
  done: number;
  skipped: number;
  retried: number;
  dead: number;
  reclaimed: number;
  handedBack: number;
  /** Rounds run because of a notification, a delayed job falling due or a freed slot (not the poll). */
  wakeups: number;
  /** Rounds run by the fallback poll. */
  polls: number;
}

interface KindState {
  handler: AnyJobHandler;
  retry: RetryPolicy;
  concurrency: number;
  leaseMs: number;
  inFlight: Map<bigint, { job: ClaimedJob; abort: AbortController; done: Promise<void> }>;
  /** Slots held for jobs a running handler's commit may queue claimed (JobRun `chainSlot`). */
  reserved: number;
  /** The last round filled every free slot: more may be due, so a finished job wakes the runner. */
  backlog: boolean;
}

export class JobRunner {
  readonly stats: JobRunnerStats = {
    claimed: 0,
    chained: 0,
    done: 0,
    skipped: 0,
    retried: 0,
    dead: 0,
    reclaimed: 0,
    handedBack: 0,
    wakeups: 0,
    polls: 0,
  };
  private readonly kinds: KindState[];
  private readonly kindNames: string[];
  private wakeups: JobWakeups | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reclaimTimer: ReturnType<typeof setTimeout> | undefined;
  private stopping = false;
  private roundRunning = false;
  /** Kinds to claim in the next round: woken by name, or "all". */
  private pendingKinds: Set<string> | "all" = new Set();
  /** When the earliest delayed job known to the runner falls due (epoch ms), or null. */
  private dueAt: number | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private reclaiming: Promise<void> = Promise.resolve();

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
        reserved: 0,
        backlog: false,
      };
    });
    this.kindNames = this.kinds.map((state) => state.handler.spec.kind);
  }

  /** Whether the runner's LISTEN connection is in place (always false when it only polls). */
  get listening(): boolean {
    return this.wakeups?.listening ?? false;
  }

  /** Times the LISTEN connection was re-established after it dropped. */
  get listenReconnects(): number {
    return this.wakeups?.reconnects ?? 0;
  }

  /** Starts claiming; with `listenUrl`, resolves once the LISTEN is in place (or retrying in the background). */
  async start(): Promise<void> {
    if (this.options.listenUrl) {
      this.wakeups = new JobWakeups(this.options.listenUrl, this.options.log, (kind) => {
        if (kind === null) this.wake("wakeup");
        else if (this.kindNames.includes(kind)) this.wake("wakeup", kind);
      });
      await this.wakeups.start();
    }
    this.scheduleReclaim();
    this.wake("poll");
  }

  /**
   * Runs a round now, or right after the one running (rounds never overlap): for `kind` only when given (a
   * notification, a freed slot), else for every kind. Then sleeps until the next delayed job falls due or the
   * fallback poll, whichever is sooner.
   */
  wake(reason: "wakeup" | "poll" = "wakeup", kind?: string): void {
    if (this.stopping) return;
    if (kind === undefined) this.pendingKinds = "all";
    else if (this.pendingKinds !== "all") this.pendingKinds.add(kind);
    if (this.roundRunning) return;
    clearTimeout(this.timer);
    this.roundRunning = true;
    if (reason === "poll") this.stats.polls += 1;
    else this.stats.wakeups += 1;
    const kinds = this.pendingKinds;
    this.pendingKinds = new Set();
    this.ticking = this.tick(kinds === "all" ? undefined : kinds)
      .catch((error: unknown) => this.options.log.error({ err: error }, "job round failed; will retry"))
      .finally(() => {
        this.roundRunning = false;
        if (this.stopping) return;
        if (this.pendingKinds === "all" || this.pendingKinds.size > 0) {
          this.wake("wakeup", this.pendingKinds === "all" ? undefined : [...this.pendingKinds][0]);
          return;
        }
        const pollMs = this.options.pollMs ?? (this.options.listenUrl ? 5_000 : 500);
        const dueInMs = this.dueAt === null ? Infinity : Math.max(0, this.dueAt - Date.now());
        this.timer = setTimeout(
          () => this.wake(dueInMs < pollMs ? "wakeup" : "poll"),
          Math.min(pollMs, dueInMs),
        );
      });
  }

  /**
   * One round: fills free slots of the given kinds (every kind by default), and learns when the next delayed
   * job is due (after a full round, or when a woken kind had nothing due: its job is delayed or backing off).
   */
  async tick(only?: ReadonlySet<string>): Promise<void> {
    let claimedNothing = false;
    for (const state of this.kinds) {
      if (this.stopping) return;
      if (only && !only.has(state.handler.spec.kind)) continue;
      const free = this.freeSlots(state);
      const jobs = await claimJobs(this.options.db, state.handler.spec.kind, free, state.leaseMs);
      state.backlog = free <= 0 || jobs.length === free;
      if (free > 0 && jobs.length === 0) claimedNothing = true;
      for (const job of jobs) this.launch(state, job);
    }
    if (!only || claimedNothing) {
      const nextDueMs = await msUntilNextDue(this.options.db, this.kindNames);
      this.dueAt = nextDueMs === null ? null : Date.now() + nextDueMs;
    }
  }

  /** Requeues (or kills, after the last attempt) jobs whose worker lost its lease; wakes if any came back. */
  async reclaim(): Promise<void> {
    const reclaimed = await reclaimExpired(
      this.options.db,
      this.kinds.map((state) => ({ kind: state.handler.spec.kind, maxAttempts: state.retry.maxAttempts })),
    );
    let requeuedAny = false;
    for (const state of this.kinds) {
      const kind = state.handler.spec.kind;
      const ofKind = reclaimed.filter((job) => job.kind === kind);
      if (ofKind.length === 0) continue;
      const dead = ofKind.filter((job) => job.status === "failed").length;
      requeuedAny ||= dead < ofKind.length;
      this.stats.reclaimed += ofKind.length;
      this.stats.dead += dead;
      this.options.log.warn(
        {
          kind,
          requeued: ofKind.length - dead,
          dead,
          jobIds: ofKind.map((job) => job.id.toString()),
        },
        "reclaimed jobs whose lease expired",
      );
      const { recordLostAttempt } = state.handler;
      if (!recordLostAttempt) continue;
      for (const job of ofKind) {
        const payload = state.handler.spec.payload.safeParse(job.payload);
        if (!payload.success) continue;
        await recordLostAttempt
          .call(state.handler, this.options.db, { ...job, payload: payload.data })
          .catch((error: unknown) =>
            this.options.log.error(
              { err: error, jobId: job.id.toString(), attempt: job.attempt },
              "could not record a lost attempt",
            ),
          );
      }
    }
    if (requeuedAny) this.wake("wakeup");
  }

  private scheduleReclaim(): void {
    if (this.stopping) return;
    this.reclaimTimer = setTimeout(() => {
      this.reclaiming = this.reclaim()
        .catch((error: unknown) => this.options.log.error({ err: error }, "lease reclaim failed; will retry"))
        .finally(() => this.scheduleReclaim());
    }, this.options.reclaimEveryMs ?? 2_000);
  }

  private freeSlots(state: KindState): number {
    return state.concurrency - state.inFlight.size - state.reserved;
  }

  /** Jobs running now, all kinds. */
  inFlight(): number {
    return this.kinds.reduce((sum, state) => sum + state.inFlight.size, 0);
  }

  /** Stops claiming, waits up to `graceMs` for running jobs, then hands the rest back to the queue. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    clearTimeout(this.reclaimTimer);
    await this.wakeups?.stop();
    await Promise.all([this.ticking, this.reclaiming]);
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
      if (state.backlog) this.wake("wakeup", state.handler.spec.kind);
    });
    state.inFlight.set(job.id, { job, abort, done });
  }

  /**
   * Starts a job the finished one's commit queued claimed for this runner; hands it back instead when the runner
   * began stopping meanwhile (stop() no longer waits for new runs).
   */
  private async startChained(job: ClaimedJob): Promise<void> {
    const target = this.kinds.find((candidate) => candidate.handler.spec.kind === job.kind);
    if (this.stopping || !target) {
      this.stats.handedBack += await handBack(this.options.db, [job]);
      return;
    }
    this.stats.chained += 1;
    this.launch(target, job);
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
    const held: KindState[] = [];
    const chainSlot = (kind: string) => {
      const target = this.kinds.find((candidate) => candidate.handler.spec.kind === kind);
      if (this.stopping || !target || this.freeSlots(target) <= 0) return undefined;
      target.reserved += 1;
      held.push(target);
      return { leaseMs: target.leaseMs };
    };
    try {
      let result: JobResult;
      try {
        result = await state.handler.handle({ job, payload: parsed.data, signal, chainSlot });
      } finally {
        // Released right before the chained job takes its slot (no await in between), so no round fills it.
        for (const target of held) target.reserved -= 1;
      }
      if (result === "finished") {
        this.stats.done += 1;
      } else if ("chained" in result) {
        this.stats.done += 1;
        await this.startChained(result.chained);
      } else {
        // Nothing else to write: one statement, no transaction.
        await finishJob(this.options.db, job);
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
      const verdict: FailureVerdict =
        error instanceof PermanentJobError ? { kind: "dead" } : afterFailure(state.retry, job.attempt);
      const { recordFailure } = state.handler;
      const recorded = await this.options.db
        .$transaction(async (tx) => {
          const updated = await failJob(tx, job, message, verdict);
          if (updated && recordFailure) {
            await recordFailure.call(state.handler, tx, {
              job,
              payload: parsed.data,
              error: message,
              cause: error,
              verdict,
            });
          }
          return updated;
        })
        .catch((failError: unknown) => {
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
