// GET /api/moments/[id]: one moment with its evidence, traffic, versions, audit trail, channel decisions,
// deliveries and review.
import { db } from "../../../../server/db/client";
import { readMomentDetail } from "../../../../server/moments/moment-detail";
import { momentIdOf, momentNotFound, type MomentRouteContext } from "../moment-requests";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, context: MomentRouteContext) {
  const id = await momentIdOf(context);
  if (!id.ok) return id.response;
  const detail = await readMomentDetail(db(), id.value);
  return detail ? Response.json(detail) : momentNotFound(id.value);
}
