// The moments' live feed of one web process. NOTIFY peaklight_moments is a doorbell: on each ring (and after
// the LISTEN connection comes back) the feed reads every moment changed after its cursor, an audit event id,
// once for all its subscribers, and hands the summaries out in event-id order. Event ids are handed out in
// commit order (server/moments/moment-events.ts), so reading "after the cursor" never skips a change, and a
// NOTIFY lost while disconnected costs nothing: the next read covers it.
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { MOMENT_CHANNEL } from "../moments/moment-channel";
import { readLatestMomentEventId, readMomentChangesSince } from "../moments/moment-summaries";
import type { MomentSummary } from "../moments/moment-views";
import type { LiveHub, LiveTopic } from "./live-hub";

/** The payload is the changed moment's id; the feed only needs to know that something changed. */
export const momentTopic: LiveTopic<string> = { channel: MOMENT_CHANNEL, parse: (payload) => payload };

const PAGE = 500;

export type MomentListener = (moments: MomentSummary[]) => void;

export class MomentFeed {
  private readonly listeners = new Set<MomentListener>();
  private cursor: bigint | undefined;
  private starting: Promise<void> | undefined;
  private listening: Promise<unknown> | undefined;
  private reading = false;
  private rungWhileReading = false;

  constructor(
    private readonly hub: LiveHub,
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /**
   * Subscribes; resolves once the feed listens and knows where it stands. `position` is the last event id
   * the feed handed out before `listener` joined: every change after it reaches `listener`, so a client
   * that resumes after `position` misses nothing.
   */
  async subscribe(listener: MomentListener): Promise<{ position: bigint; unsubscribe: () => void }> {
    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    await this.starting;
    // Joining and reading the cursor happen in one synchronous step, and the feed moves its cursor in the
    // same step as it hands a page out, so nothing falls between `position` and the first page received.
    this.listeners.add(listener);
    return { position: this.cursor!, unsubscribe: () => this.listeners.delete(listener) };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  private async start(): Promise<void> {
    this.listening ??= this.hub.subscribe(momentTopic, () => this.ring());
    await this.listening;
    // Only here does the cursor jump (to the latest event, before anyone listens); afterwards it moves only
    // by reading the changes after it, so no change is ever stepped over.
    this.cursor = await readLatestMomentEventId(this.db);
  }

  private ring(): void {
    if (this.reading) {
      this.rungWhileReading = true;
      return;
    }
    this.reading = true;
    void this.readChanges()
      .catch((error: unknown) => this.log.error({ err: error }, "could not read changed moments"))
      .finally(() => {
        this.reading = false;
        if (this.rungWhileReading) {
          this.rungWhileReading = false;
          this.ring();
        }
      });
  }

  private async readChanges(): Promise<void> {
    await this.starting;
    if (this.cursor === undefined) return; // not started: the next subscriber starts it
    // Read even with no subscriber: a moment changes a few times a minute, and a cursor that only moves by
    // reading is what guarantees a subscriber joining meanwhile misses nothing.
    for (;;) {
      const changed = await readMomentChangesSince(this.db, this.cursor, PAGE);
      if (changed.length === 0) return;
      this.cursor = BigInt(changed.at(-1)!.lastEventId);
      for (const listener of this.listeners) listener(changed);
      if (changed.length < PAGE) return;
    }
  }
}
