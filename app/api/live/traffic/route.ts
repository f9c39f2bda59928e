// GET /api/live/traffic[?country=FR][&since=SEQ]: server-sent events of committed bucket changes. Resumes
// after the Last-Event-ID header (sent by EventSource on reconnect) or `since`.
import { z } from "zod";
import { getConfig } from "../../../../server/config/env";
import { db } from "../../../../server/db/client";
import { liveHub } from "../../../../server/live/hub-registry";
import { createTrafficStream } from "../../../../server/live/traffic-stream";
import { countryCode, parseQuery } from "../../query-params";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  country: countryCode.optional(),
  since: z.coerce.number().int().min(0).optional(),
});
const lastEventIdSchema = z.coerce.number().int().min(0);

export async function GET(request: Request) {
  const query = parseQuery(querySchema, request.url);
  if (!query.ok) return query.response;
  const header = request.headers.get("last-event-id");
  const resumeFrom = header ? lastEventIdSchema.safeParse(header) : undefined;
  if (resumeFrom && !resumeFrom.success) {
    return Response.json({ error: "Last-Event-ID must be a bucket sequence number" }, { status: 400 });
  }
  const stream = createTrafficStream({
    db: db(),
    hub: liveHub(),
    country: query.value.country,
    afterSeq: resumeFrom?.data ?? query.value.since,
    signal: request.signal,
    maxDurationMs: getConfig().SSE_MAX_STREAM_SECONDS * 1_000,
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
