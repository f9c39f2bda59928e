// What detection announces after it wrote the expected value and band on judged buckets: the NOTIFY channel
// and its compact payload, so live charts draw the band as soon as a window is judged rather than on their
// next read. Each judged bucket also takes a new `seq`, so a client resuming after its last event id reads
// the band of every bucket judged meanwhile. Later stages (server/live) listen; this one never imports them.
import { z } from "zod";
import { chunkChanges } from "../traffic/live-channel";

export const BAND_CHANNEL = "peaklight_bands";

/** One judged bucket: [country, sport, bucketStart epoch ms, expected, expectedLow, expectedHigh, seq]. */
export type BandChange = [string, string, number, number, number, number, number];

export function chunkBandChanges(changes: readonly BandChange[]): string[] {
  return chunkChanges(changes);
}

const changesSchema = z.array(
  z.tuple([z.string(), z.string(), z.number(), z.number(), z.number(), z.number(), z.number()]),
);

export function parseBandChanges(payload: string): BandChange[] {
  return changesSchema.parse(JSON.parse(payload));
}
