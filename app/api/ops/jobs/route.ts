// GET /api/ops/jobs[?status=queued|running|failed|done][&kind=score-moment][&limit=50]: jobs of the agent
// queue, newest change first, each with its last error and the moment it is about.
import { db } from "../../../../server/db/client";
import { listJobs } from "../../../../server/observability/ops-jobs";
import { jobsQuerySchema, type OpsJobList } from "../../../../server/observability/ops-views";
import { parseQuery } from "../../query-params";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const query = parseQuery(jobsQuerySchema, request.url);
  if (!query.ok) return query.response;
  const list: OpsJobList = { jobs: await listJobs(db(), query.value) };
  return Response.json(list);
}
