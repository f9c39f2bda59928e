// POST /api/moments/[id]/versions {editor, headline, description, clipIn, clipOut, note?, baseVersion?}: an
// editor's complete edit, kept as a new version beside the agents' text and shown as current. 201 with the
// moment as it is now; 409 once the moment is approved or rejected, or when baseVersion is stale.
import { db } from "../../../../../server/db/client";
import { editMoment } from "../../../../../server/moments/editor-review";
import { versionRequestSchema } from "../../../../../server/moments/moment-views";
import { editorAction, type MomentRouteContext } from "../../moment-requests";

export const dynamic = "force-dynamic";

export function POST(request: Request, context: MomentRouteContext) {
  return editorAction(request, context, versionRequestSchema, (id, body) => editMoment(db(), id, body), 201);
}
