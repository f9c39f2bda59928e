// POST /api/moments/[id]/review {action: approve|reject, editor, reason}: an editor's decision (a reason is
// required to reject). Approval queues a delivery per accepting channel. Answers the moment as it is now;
// 409 when another editor decided first or the agents have not described it yet.
import { db } from "../../../../../server/db/client";
import { reviewMoment } from "../../../../../server/moments/editor-review";
import { reviewRequestSchema } from "../../../../../server/moments/moment-views";
import { editorAction, type MomentRouteContext } from "../../moment-requests";

export const dynamic = "force-dynamic";

export function POST(request: Request, context: MomentRouteContext) {
  return editorAction(request, context, reviewRequestSchema, (id, body) => reviewMoment(db(), id, body));
}
