// GET /api/ops/summary?window=15m|1h|24h: per agent stage figures over the window, queue depths, the failed
// jobs mark and deliveries by channel (server/observability/ops-summary.ts).
import { db } from "../../../../server/db/client";
import { readOpsSummary } from "../../../../server/observability/ops-summary";
import { summaryQuerySchema } from "../../../../server/observability/ops-views";
import { parseQuery } from "../../query-params";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const query = parseQuery(summaryQuerySchema, request.url);
  if (!query.ok) return query.response;
  return Response.json(await readOpsSummary(db(), query.value.window));
}
