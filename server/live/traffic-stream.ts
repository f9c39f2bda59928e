// The live traffic feed for one client: catch up from its last event id (a bucket seq), then forward every
// committed change, optionally for one country: `buckets` (counts) and `bands` (expected value and band of
// judged buckets). Both carry bucket seqs, one id space that only grows, so a reconnect resumes exactly.
import type { Db } from "../db/client";
import type { BucketChange } from "../traffic/live-channel";
import { readChangesSince } from "../traffic/queries";
import type { BandChange } from "../detect/band-channel";
import { bandTopic, readBandChangesSince, type BandEvent } from "./band-topic";
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
      let bufferedBands: BandChange[] = [];
      const forward = (changes: BucketChange[]) => {
        const mine = options.country ? changes.filter((c) => c[0] === options.country) : changes;
        if (mine.length === 0) return;
        lastId = Math.max(lastId, ...mine.map((c) => c[4]));
        channel.send({ event: "buckets", id: lastId, data: mine });
      };
      const forwardBands = (bands: BandChange[]) => {
        const mine = options.country ? bands.filter((b) => b[0] === options.country) : bands;
        if (mine.length === 0) return;
        lastId = Math.max(lastId, ...mine.map((b) => b[6]));
        channel.send({ event: "bands", id: lastId, data: mine });
      };
      const catchUp = async () => {
        catchingUp = true;
        const after = lastId;
        const [fromDb, bandsFromDb] = await Promise.all([
          readChangesSince(options.db, after, options.country),
          readBandChangesSince(options.db, after, options.country),
        ]);
        const covered = fromDb.reduce((max, c) => Math.max(max, c[4]), after);
        const bandsCovered = bandsFromDb.reduce((max, b) => Math.max(max, b[6]), after);
        forward(fromDb);
        forwardBands(bandsFromDb);
        // Changes that arrived by NOTIFY while we read are either in what we read or newer than it.
        const pending = buffered.filter((c) => c[4] > covered);
        const pendingBands = bufferedBands.filter((b) => b[6] > bandsCovered);
        buffered = [];
        bufferedBands = [];
        catchingUp = false;
        forward(pending);
        forwardBands(pendingBands);
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
      const onBands = (event: BandEvent) => {
        // A resync is handled once, by the traffic subscription's catch-up, which reads bands too.
        if (event.kind === "resync") return;
        if (catchingUp) bufferedBands.push(...event.message);
        else forwardBands(event.message);
      };
      const unsubscribeTraffic = await options.hub.subscribe(trafficTopic, onEvent);
      const unsubscribeBands = await options.hub.subscribe(bandTopic, onBands);
      const unsubscribe = () => {
        unsubscribeTraffic();
        unsubscribeBands();
      };
      if (options.afterSeq !== undefined) await catchUp();
      else catchingUp = false;
      channel.send({ event: "ready", data: { country: options.country ?? null, after: lastId } });
      return unsubscribe;
    },
  });
}
