// What the traffic stage announces after each committed write: the Postgres NOTIFY channel and the compact
// payload of changed buckets. Later stages (server/live) listen; this stage never imports them.

import { z } from "zod";

export const TRAFFIC_CHANNEL = "peaklight_traffic";

/** One changed bucket: [country, sport, bucketStart epoch ms, actions, seq]. */
export type BucketChange = [string, string, number, number, number];

/** NOTIFY payloads must stay under 8000 bytes; keep margin for multi-byte text. */
const MAX_PAYLOAD_BYTES = 7_000;

/** JSON arrays of the changes, each under NOTIFY's payload limit (also used for detection's bands). */
export function chunkChanges(changes: readonly unknown[]): string[] {
  const payloads: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const change of changes) {
    const encoded = JSON.stringify(change);
    if (size + encoded.length + 1 > MAX_PAYLOAD_BYTES && current.length > 0) {
      payloads.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(encoded);
    size += encoded.length + 1;
  }
  if (current.length > 0) payloads.push(`[${current.join(",")}]`);
  return payloads;
}

const changesSchema = z.array(z.tuple([z.string(), z.string(), z.number(), z.number(), z.number()]));

export function parseChanges(payload: string): BucketChange[] {
  return changesSchema.parse(JSON.parse(payload));
}
