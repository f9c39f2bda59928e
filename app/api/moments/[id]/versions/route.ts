// POST /api/moments/[id]/versions {editor, headline, description, clipIn, clipOut, note?, baseVersion?}: an
// editor's complete edit, kept as a new version beside the agents' text and shown as current. 201 with the
// moment as it is now; 409 once the moment is approved or rejected, or when baseVersion is stale.
import { db } from "../../../../../server/db/client";
import { editMoment } from "../../../../../server/moments/editor-review";
import { readMomentDetail } from "../../../../../server/moments/moment-detail";
import { versionRequestSchema } from "../../../../../server/moments/moment-views";
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
  const edit = await jsonBody(request, versionRequestSchema);
  if (!edit.ok) return edit.response;
  try {
    await editMoment(db(), id.value, edit.value);
  } catch (error) {
    return momentErrorResponse(error);
  }
  const detail = await readMomentDetail(db(), id.value);
  return detail ? Response.json(detail, { status: 201 }) : momentNotFound(id.value);
}
