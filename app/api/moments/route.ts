// GET /api/moments[?country=FR][&sport=football][&status=described][&from=ms][&to=ms][&limit=100]: the
// editors' inbox, newest peak first, with counts per status for the same filters (status excepted) and the
// latest audit event id to open /api/live/moments from.
import { db } from "../../../server/db/client";
import { readInbox } from "../../../server/moments/moment-summaries";
import { inboxQuerySchema } from "../../../server/moments/moment-views";
import { parseQuery } from "../query-params";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const query = parseQuery(inboxQuerySchema, request.url);
  if (!query.ok) return query.response;
  return Response.json(await readInbox(db(), query.value));
}
