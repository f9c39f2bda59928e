// POST /api/moments/[id]/review {action: approve|reject, editor, reason}: an editor's decision (a reason is
// required to reject). Approval queues a delivery per accepting channel. Answers the moment as it is now;
// 409 when another editor decided first or the agents have not described it yet.
import { db } from "../../../../../server/db/client";
import { reviewMoment } from "../../../../../server/moments/editor-review";
import { readMomentDetail } from "../../../../../server/moments/moment-detail";
import { reviewRequestSchema } from "../../../../../server/moments/moment-views";
import {
  jsonBody,
  momentErrorResponse,
  momentIdOf,
  momentNotFound,
  type MomentRouteContext,
} from "../../moment-requests";

export const dynamic = "force-dynamic";

export async function POST(request: Request, context: MomentRouteContext) {
  const id = await momentIdOf(context);
  if (!id.ok) return id.response;
  const review = await jsonBody(request, reviewRequestSchema);
  if (!review.ok) return review.response;
  try {
    await reviewMoment(db(), id.value, review.value);
  } catch (error) {
    return momentErrorResponse(error);
  }
  const detail = await readMomentDetail(db(), id.value);
  return detail ? Response.json(detail) : momentNotFound(id.value);
}
