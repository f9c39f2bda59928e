// What the moment pipeline announces: NOTIFY peaklight_moments with the moment id, in the transaction that
// changed it (delivered on commit), for the live inbox to fetch the moment again.
import type { Tx } from "../db/client";

export const MOMENT_CHANNEL = "peaklight_moments";

export async function notifyMomentChanged(tx: Tx, momentId: bigint): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${MOMENT_CHANNEL}, ${momentId.toString()})`;
}
