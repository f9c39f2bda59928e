// Wakes a job runner when work is enqueued: a dedicated Postgres connection LISTENs on the jobs channel that
// enqueueJob NOTIFYs in its transaction. If the connection drops it reconnects with back-off and then asks
// for a full round, because notifications sent while it was away are gone.
import pg from "pg";
import type { Logger } from "pino";
import { JOB_CHANNEL } from "./job-spec";

/** `kind` of the job enqueued, or null: "look at every kind" (after a reconnect). */
export type WakeListener = (kind: string | null) => void;

export const JOB_LISTENER_APPLICATION = "peaklight-jobs";

export class JobWakeups {
  /** Times the connection was re-established after a drop. */
  reconnects = 0;
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs: number;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
    private readonly onWake: WakeListener,
    private readonly options: { firstRetryMs?: number; maxRetryMs?: number } = {},
  ) {
    this.retryMs = options.firstRetryMs ?? 250;
  }

  /** Whether the LISTEN is in place now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Connects and LISTENs; if Postgres is unreachable it keeps retrying in the background. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.log.warn(
        { err: error },
        "could not LISTEN for jobs; retrying (the fallback poll covers meanwhile)",
      );
      this.scheduleReconnect();
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: JOB_LISTENER_APPLICATION,
      keepAlive: true,
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.log.warn({ err: error }, "job LISTEN connection lost; reconnecting");
      this.scheduleReconnect();
    };
    client.on("notification", (message) => {
      if (message.channel === JOB_CHANNEL) this.onWake(message.payload ?? null);
    });
    client.on("error", onLost);
    client.on("end", () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${JOB_CHANNEL}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = this.options.firstRetryMs ?? 250;
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.connect()
        .then(() => {
          if (this.closed) return;
          this.reconnects += 1;
          this.log.info({ reconnects: this.reconnects }, "job LISTEN connection re-established");
          this.onWake(null);
        })
        .catch((error: unknown) => {
          this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 10_000);
          this.log.warn({ err: error, retryMs: this.retryMs }, "job LISTEN reconnect failed");
          this.scheduleReconnect();
        });
    }, this.retryMs);
  }
}
