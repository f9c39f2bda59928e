// Fan-out of Postgres notifications to live clients: one LISTEN connection per web process for every live
// channel (traffic buckets, moments), any number of subscribers per channel. Each channel's payload is parsed
// once per notification. Reconnects with back-off if Postgres drops the connection, and tells subscribers to
// resync from their last event id when it does (NOTIFYs sent while disconnected are gone).
import pg from "pg";
import type { Logger } from "pino";

/** A NOTIFY channel and how to read its payload. */
export interface LiveTopic<Message> {
  channel: string;
  parse(payload: string): Message;
}

export type LiveEvent<Message> = { kind: "message"; message: Message } | { kind: "resync" };
type Listener = (event: LiveEvent<unknown>) => void;

interface ChannelState {
  topic: LiveTopic<unknown>;
  listeners: Set<Listener>;
}

export class LiveHub {
  private readonly channels = new Map<string, ChannelState>();
  private client: pg.Client | undefined;
  /** LISTENs issued on the current connection. */
  private listening = new Map<string, Promise<unknown>>();
  private connecting: Promise<void> | undefined;
  private closed = false;
  private retryMs = 500;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
  ) {}

  /** Subscribes; resolves once the channel's LISTEN is in place, so nothing committed after it is missed. */
  async subscribe<Message>(
    topic: LiveTopic<Message>,
    listener: (event: LiveEvent<Message>) => void,
  ): Promise<() => void> {
    if (!/^[a-z_][a-z0-9_]*$/.test(topic.channel)) throw new Error(`bad channel name ${topic.channel}`);
    let state = this.channels.get(topic.channel);
    if (!state) {
      state = { topic, listeners: new Set() };
      this.channels.set(topic.channel, state);
    } else if (state.topic !== topic) {
      throw new Error(`channel ${topic.channel} is already read by another topic`);
    }
    const registered = listener as Listener;
    state.listeners.add(registered);
    await this.ensureListening(topic.channel);
    return () => state.listeners.delete(registered);
  }

  subscriberCount(channel?: string): number {
    let count = 0;
    for (const [name, state] of this.channels)
      if (!channel || name === channel) count += state.listeners.size;
    return count;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
    await this.client?.end().catch(() => undefined);
  }

  private async ensureListening(channel: string): Promise<void> {
    for (;;) {
      await this.ensureConnected();
      const client = this.client;
      if (!client) continue;
      let listened = this.listening.get(channel);
      if (!listened) {
        listened = client.query(`LISTEN ${channel}`);
        this.listening.set(channel, listened);
      }
      try {
        await listened;
      } catch (error) {
        if (this.client === client) throw error;
      }
      if (this.client === client) return;
      // The connection was replaced while we listened: listen on the new one.
    }
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error("the live hub is closed"));
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: "peaklight-live" });
    client.on("notification", (notification) => {
      const state = this.channels.get(notification.channel);
      if (!state || notification.payload === undefined) return;
      let message: unknown;
      try {
        message = state.topic.parse(notification.payload);
      } catch (error) {
        this.log.error({ err: error, channel: notification.channel }, "ignored a malformed notification");
        return;
      }
      for (const listener of state.listeners) listener({ kind: "message", message });
    });
    client.on("error", (error) => {
      this.log.warn({ err: error }, "live connection to Postgres lost; reconnecting");
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    await client.connect();
    const listening = new Map<string, Promise<unknown>>();
    for (const channel of this.channels.keys()) {
      listening.set(channel, client.query(`LISTEN ${channel}`));
    }
    await Promise.all(listening.values());
    this.listening = listening;
    this.client = client;
    this.retryMs = 500;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.subscriberCount() === 0) return;
    setTimeout(() => {
      this.ensureConnected()
        .then(() => this.emitResync())
        .catch((error: unknown) => {
          this.log.warn({ err: error, retryMs: this.retryMs }, "live reconnect failed");
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          this.scheduleReconnect();
        });
    }, this.retryMs);
  }

  private emitResync(): void {
    for (const state of this.channels.values()) {
      for (const listener of state.listeners) listener({ kind: "resync" });
    }
  }
}
