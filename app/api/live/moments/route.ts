// GET /api/live/moments[?since=EVENT_ID]: server-sent events, `event: moment` with a MomentSummary each time
// a moment changes, its `id:` the moment's latest audit event id. Resumes after the Last-Event-ID header (sent
// by EventSource on reconnect) or `since` (the inbox's lastEventId); neither: from now.
import { z } from "zod";
import { getConfig } from "../../../../server/config/env";
import { db } from "../../../../server/db/client";
import { momentFeed } from "../../../../server/live/hub-registry";
import { createMomentStream } from "../../../../server/live/moment-stream";
import { parseQuery } from "../../query-params";

export const dynamic = "force-dynamic";

const eventId = z
  .string()
  .regex(/^\d{1,18}$/, "expected an event id such as 1234")
  .transform((id) => BigInt(id));
const querySchema = z.object({ since: eventId.optional() });

export async function GET(request: Request) {
  const query = parseQuery(querySchema, request.url);
  if (!query.ok) return query.response;
  const header = request.headers.get("last-event-id");
  const resumeFrom = header ? eventId.safeParse(header) : undefined;
  if (resumeFrom && !resumeFrom.success) {
    return Response.json({ error: "Last-Event-ID must be a moment event id" }, { status: 400 });
  }
  const stream = createMomentStream({
    db: db(),
    feed: momentFeed(),
    afterEventId: resumeFrom?.data ?? query.value.since,
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
