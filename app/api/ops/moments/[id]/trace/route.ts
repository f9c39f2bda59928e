// GET /api/ops/moments/[id]/trace: the moment's agent runs for the trace waterfall (turns, tool calls,
// tokens, cost, errors), the jobs about it and its deliveries; 404 when there is no such moment.
import { db } from "../../../../../../server/db/client";
import { readMomentTrace } from "../../../../../../server/observability/ops-trace";
import { pathIdOf, type IdRouteContext } from "../../../ops-requests";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, context: IdRouteContext) {
  const id = await pathIdOf(context, "moment");
  if (!id.ok) return id.response;
  const trace = await readMomentTrace(db(), id.value);
  if (!trace) return Response.json({ error: `moment ${id.value} does not exist` }, { status: 404 });
  return Response.json(trace);
}
