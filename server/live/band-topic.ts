// The band channel of the live hub: expected values and bands detection wrote on judged buckets (NOTIFY
// peaklight_bands), and the catch-up read of the bands judged after a client's last event id.
import type { Db } from "../db/client";
import { BAND_CHANNEL, parseBandChanges, type BandChange } from "../detect/band-channel";
import type { LiveEvent, LiveTopic } from "./live-hub";

export const bandTopic: LiveTopic<BandChange[]> = { channel: BAND_CHANNEL, parse: parseBandChanges };

export type BandEvent = LiveEvent<BandChange[]>;

const MAX_CATCH_UP_ROWS = 20_000;

/** Judged buckets whose seq is after `afterSeq` (judging takes a new seq), oldest first. */
export async function readBandChangesSince(
  db: Db,
  afterSeq: number,
  country?: string,
): Promise<BandChange[]> {
  const rows = await db.trafficBucket.findMany({
    where: { seq: { gt: BigInt(afterSeq) }, expected: { not: null }, ...(country ? { country } : {}) },
    select: {
      country: true,
      sport: true,
      bucketStart: true,
      expected: true,
      expectedLow: true,
      expectedHigh: true,
      seq: true,
    },
    orderBy: { seq: "asc" },
    take: MAX_CATCH_UP_ROWS,
  });
  return rows.map((row) => [
    row.country,
    row.sport,
    row.bucketStart.getTime(),
    row.expected ?? 0,
    row.expectedLow ?? row.expected ?? 0,
    row.expectedHigh ?? row.expected ?? 0,
    Number(row.seq),
  ]);
}
