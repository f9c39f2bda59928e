// The live moments feed for one client: replay every moment changed after its last event id (an audit event
// id), then forward the process's moment feed. Each `moment` event carries a MomentSummary with its
// lastEventId as the SSE id; ids only grow on one stream, so a reconnect resumes exactly.
import type { Db } from "../db/client";
import { readMomentChangesSince } from "../moments/moment-summaries";
import type { MomentSummary } from "../moments/moment-views";
import type { MomentFeed } from "./moment-feed";
import { createSseStream } from "./sse";

const REPLAY_PAGE = 500;

export interface MomentStreamOptions {
  db: Db;
  feed: MomentFeed;
  /** Resume after this audit event id (Last-Event-ID, or the inbox's lastEventId); none: from now. */
  afterEventId?: bigint;
  signal: AbortSignal;
  maxDurationMs?: number;
  keepaliveMs?: number;
}

export function createMomentStream(options: MomentStreamOptions): ReadableStream<Uint8Array> {
  return createSseStream({
    signal: options.signal,
    maxDurationMs: options.maxDurationMs,
    keepaliveMs: options.keepaliveMs,
    start: async (channel) => {
      let cursor: bigint | undefined = options.afterEventId;
      let replaying = true;
      let buffered: MomentSummary[] = [];
      const forward = (moments: readonly MomentSummary[]) => {
        for (const moment of moments) {
          const eventId = BigInt(moment.lastEventId);
          if (cursor !== undefined && eventId <= cursor) continue;
          cursor = eventId;
          channel.send({ event: "moment", id: moment.lastEventId, data: moment });
        }
      };
      // Subscribe first: what the feed hands out while we replay is kept and sent after, less what the
      // replay already covered.
      const { position, unsubscribe } = await options.feed.subscribe((moments) => {
        if (replaying) buffered.push(...moments);
        else forward(moments);
      });
      // "From now" is the feed's position: the stream then always has an id to resume from, even before
      // its first moment (a reconnect without one would start from its own "now" and lose the gap).
      // The feed hands this subscriber every change after its position, so only a resume reads Postgres.
      const resuming = cursor !== undefined;
      cursor ??= position;
      try {
        while (resuming && !channel.closed) {
          const page = await readMomentChangesSince(options.db, cursor, REPLAY_PAGE);
          forward(page);
          if (page.length < REPLAY_PAGE) break;
        }
      } catch (error) {
        unsubscribe();
        throw error;
      }
      replaying = false;
      forward(buffered);
      buffered = [];
      // `ready` carries the resume point as its SSE id, so EventSource sends it back as Last-Event-ID even
      // when no moment changed during this stream.
      channel.send({ event: "ready", id: cursor.toString(), data: { after: cursor.toString() } });
      return unsubscribe;
    },
  });
}
