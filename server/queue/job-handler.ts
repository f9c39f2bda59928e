// What a job kind's handler is: it runs a claimed job (finishing it in the transaction that writes its
// results), and may record its own side of a failed or lost attempt. The runner (job-runner.ts) calls these.
import type { Db, Tx } from "../db/client";
import type { FailureVerdict } from "./backoff";
import type { ClaimedJob, ReclaimedJob } from "./job-store";
import type { JobSpec } from "./job-spec";

/**
 * `finished`: the handler called finishJob in its own transaction. `chained`: it did, and that transaction also
 * queued the next job claimed for this runner (through `chainSlot`), which the runner now starts. `skip`:
 * nothing to do, why.
 */
export type JobResult = "finished" | { chained: ClaimedJob } | { skip: string };

/** A slot this runner holds for a job its handler's commit queues claimed (see JobRun `chainSlot`). */
export interface ChainSlot {
  /** The lease to queue the job with: its kind's, as this runner renews it. */
  leaseMs: number;
}

export interface JobRun<Payload> {
  job: ClaimedJob;
  payload: Payload;
  /** Aborted when the lease is lost or the worker stops; long stages should give up then. */
  signal: AbortSignal;
  /**
   * Holds a slot of this runner for a job of `kind` that the handler's commit will queue, so the commit can
   * queue it claimed (ChainSlot) and return it as `{ chained }`: the runner starts it at once, without the NOTIFY
   * round trip and a separate claim. The slot is held until the handler returns. Undefined when this runner does
   * not run `kind`, has no free slot for it or is stopping (or the caller is not a runner): queue the job as
   * usual then.
   */
  chainSlot?(kind: string): ChainSlot | undefined;
}

/** A failed attempt as the queue records it: retried after a back-off, or dead. */
export interface JobFailure<Payload> {
  job: ClaimedJob;
  payload: Payload;
  /** What the job's last_error says. */
  error: string;
  /** What the handler threw. */
  cause: unknown;
  verdict: FailureVerdict;
}

export interface JobHandler<Payload> {
  spec: JobSpec<Payload>;
  handle(run: JobRun<Payload>): Promise<JobResult>;
  /** Writes the handler's own record of a failed attempt, in the transaction that records it on the job. */
  recordFailure?(tx: Tx, failure: JobFailure<Payload>): Promise<void>;
  /**
   * Records an attempt whose worker died (lease expired), after the queue took the job back: the dead worker
   * could not say so itself.
   */
  recordLostAttempt?(db: Db, lost: ReclaimedJob & { payload: Payload }): Promise<void>;
}

/** A failure no retry can fix (e.g. a channel that is no longer configured): the job dies at once. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/** A handler list of several payload types (each handler parses its own payload). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers of different payloads in one list; each is only ever given what its own spec parsed
export type AnyJobHandler = JobHandler<any>;
