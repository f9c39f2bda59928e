// The operators' summary: stage figures over a window, queue depths, the failed-jobs mark and deliveries by
// channel, read against the database's clock so the window does not depend on the web server's.
import type { Db } from "../db/client";
import { readDeliveryCounts } from "./ops-deliveries";
import { readFailedMark, readQueueDepths } from "./ops-jobs";
import { readStageFigures } from "./ops-stages";
import { OPS_WINDOWS, type OpsSummary, type OpsWindow } from "./ops-views";

export async function readOpsSummary(db: Db, window: OpsWindow): Promise<OpsSummary> {
  const [clock] = await db.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  const at = clock!.now.getTime();
  const from = at - OPS_WINDOWS[window];
  // One after the other: the pool is small and these are quick.
  const { stages, totals } = await readStageFigures(db, from, at + 1);
  const queue = await readQueueDepths(db);
  const failed = await readFailedMark(db);
  const deliveries = await readDeliveryCounts(db);
  return { window, at, from, stages, totals, queue, ...failed, deliveries };
}
