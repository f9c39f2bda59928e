// GET /api/traffic/bands?country=FR&from=ISO|ms&to=ISO|ms: the detector's expected value and band of one
// country's judged buckets (at most 3 hours), for the live chart's band.
import { z } from "zod";
import { db } from "../../../../server/db/client";
import { readExpectedBands } from "../../../../server/traffic/queries";
import { countryCode, parseQuery } from "../../query-params";

export const dynamic = "force-dynamic";

const MAX_RANGE_MS = 3 * 3_600_000;

const querySchema = z
  .object({
    country: countryCode,
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(0),
  })
  .refine((query) => query.from < query.to, { message: "from must be before to", path: ["from"] })
  .refine((query) => query.to - query.from <= MAX_RANGE_MS, {
    message: "the range may span at most 3 hours",
    path: ["to"],
  });

export async function GET(request: Request) {
  const query = parseQuery(querySchema, request.url);
  if (!query.ok) return query.response;
  return Response.json({ ...query.value, bands: await readExpectedBands(db(), query.value) });
}
