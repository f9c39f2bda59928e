// Liveness and readiness: the web process answers and its database is reachable.
import { db } from "../../../server/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const newest = await db().trafficBucket.aggregate({ _max: { updatedAt: true } });
    return Response.json({ ok: true, database: "up", lastTrafficAt: newest._max.updatedAt });
  } catch (error) {
    return Response.json({ ok: false, database: "down", error: (error as Error).message }, { status: 503 });
  }
}
