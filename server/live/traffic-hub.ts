// Fan-out of committed traffic changes to live clients: one LISTEN connection per web process, any number
// of subscribers. Reconnects with back-off if Postgres drops the connection, and tells subscribers to catch
// up from their last event id when it does (NOTIFYs sent while disconnected are gone).
import pg from "pg";
import type { Logger } from "pino";
import { parseChanges, TRAFFIC_CHANNEL, type BucketChange } from "../traffic/live-channel";

export type HubEvent = { kind: "changes"; changes: BucketChange[] } | { kind: "resync" };
type Listener = (event: HubEvent) => void;

export class TrafficHub {
  private readonly listeners = new Set<Listener>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private retryMs = 500;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
  ) {}

  /** Subscribes; resolves once the LISTEN is in place, so nothing committed after it is missed. */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    await this.ensureConnected();
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: "peaklight-live" });
    client.on("notification", (message) => {
      if (message.channel !== TRAFFIC_CHANNEL || !message.payload) return;
      let changes: BucketChange[];
      try {
        changes = parseChanges(message.payload);
      } catch (error) {
        this.log.error({ err: error }, "ignored a malformed traffic notification");
        return;
      }
      this.emit({ kind: "changes", changes });
    });
    client.on("error", (error) => {
      this.log.warn({ err: error }, "live connection to Postgres lost; reconnecting");
      this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${TRAFFIC_CHANNEL}`);
    this.client = client;
    this.retryMs = 500;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.listeners.size === 0) return;
    setTimeout(() => {
      this.ensureConnected()
        .then(() => this.emit({ kind: "resync" }))
        .catch((error: unknown) => {
          this.log.warn({ err: error, retryMs: this.retryMs }, "live reconnect failed");
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          this.scheduleReconnect();
        });
    }, this.retryMs);
  }

  private emit(event: HubEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
