// POST /api/ops/jobs/[id]/retry: "retry now" for a failed job (queued again, due at once, runners woken).
// 404 when the job does not exist, 409 when it is not failed (queued, running or done: nothing to retry).
import { db } from "../../../../../../server/db/client";
import { retryFailedJob } from "../../../../../../server/observability/ops-jobs";
import { opsErrorResponse, pathIdOf, type IdRouteContext } from "../../../ops-requests";

export const dynamic = "force-dynamic";

export async function POST(_request: Request, context: IdRouteContext) {
  const id = await pathIdOf(context, "job");
  if (!id.ok) return id.response;
  try {
    return Response.json(await retryFailedJob(db(), id.value));
  } catch (error) {
    return opsErrorResponse(error);
  }
}
