// GET /api/traffic?minutes=30[&country=FR]: the buckets a live chart starts from, and the seq to resume after.
import { z } from "zod";
import { getConfig } from "../../../server/config/env";
import { db } from "../../../server/db/client";
import { readTrafficWindow } from "../../../server/traffic/queries";
import { countryCode, parseQuery } from "../query-params";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  country: countryCode.optional(),
});

export async function GET(request: Request) {
  const query = parseQuery(querySchema, request.url);
  if (!query.ok) return query.response;
  const window = await readTrafficWindow(db(), {
    ...query.value,
    windowSeconds: getConfig().BUCKET_SECONDS,
  });
  return Response.json(window);
}
