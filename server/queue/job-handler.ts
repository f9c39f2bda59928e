// What a job kind's handler is: it runs a claimed job (finishing it in the transaction that writes its
// results), and may record its own side of a failed or lost attempt. The runner (job-runner.ts) calls these.
import type { Db, Tx } from "../db/client";
import type { FailureVerdict } from "./backoff";
import type { ClaimedJob, ReclaimedJob } from "./job-store";
import type { JobSpec } from "./job-spec";

/** `finished`: the handler called finishJob in its own transaction. `skip`: nothing to do, why. */
export type JobResult = "finished" | { skip: string };

export interface JobRun<Payload> {
  job: ClaimedJob;
  payload: Payload;
  /** Aborted when the lease is lost or the worker stops; long stages should give up then. */
  signal: AbortSignal;
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
