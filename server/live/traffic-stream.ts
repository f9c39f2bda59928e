// The live traffic feed for one client: catch up from its last event id (a bucket seq), then forward every
// committed change, optionally for one country. Event ids only grow, so a reconnect resumes exactly.
import type { Db } from "../db/client";
import type { BucketChange } from "../traffic/live-channel";
import { readChangesSince } from "../traffic/queries";
import { createSseStream } from "./sse";
import type { LiveHub } from "./live-hub";
import { trafficTopic, type TrafficEvent } from "./traffic-hub";

export interface TrafficStreamOptions {
  db: Db;
  hub: LiveHub;
  country?: string;
  afterSeq?: number;
  signal: AbortSignal;
  maxDurationMs?: number;
}

export function createTrafficStream(options: TrafficStreamOptions): ReadableStream<Uint8Array> {
  return createSseStream({
    signal: options.signal,
    maxDurationMs: options.maxDurationMs,
    start: async (channel) => {
      let lastId = options.afterSeq ?? 0;
      let catchingUp = true;
      let buffered: BucketChange[] = [];
      const forward = (changes: BucketChange[]) => {
        const mine = options.country ? changes.filter((c) => c[0] === options.country) : changes;
        if (mine.length === 0) return;
        lastId = Math.max(lastId, ...mine.map((c) => c[4]));
        channel.send({ event: "buckets", id: lastId, data: mine });
      };
      const catchUp = async () => {
        catchingUp = true;
        const fromDb = await readChangesSince(options.db, lastId, options.country);
        const covered = fromDb.reduce((max, c) => Math.max(max, c[4]), lastId);
        forward(fromDb);
        // Changes that arrived by NOTIFY while we read are either in what we read or newer than it.
        const pending = buffered.filter((c) => c[4] > covered);
        buffered = [];
        catchingUp = false;
        forward(pending);
      };
      const onEvent = (event: TrafficEvent) => {
        if (event.kind === "resync") {
          void catchUp().catch(() => undefined);
        } else if (catchingUp) {
          buffered.push(...event.message);
        } else {
          forward(event.message);
        }
      };
      const unsubscribe = await options.hub.subscribe(trafficTopic, onEvent);
      if (options.afterSeq !== undefined) await catchUp();
      else catchingUp = false;
      channel.send({ event: "ready", data: { country: options.country ?? null, after: lastId } });
      return unsubscribe;
    },
  });
}
