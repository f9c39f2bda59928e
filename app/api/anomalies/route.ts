// GET /api/anomalies?from=ISO|ms&to=ISO|ms[&country=FR][&sport=football]: peaks and drops of a time range
// (default: the last 30 minutes), each with its candidate moment.
import { z } from "zod";
import { db } from "../../../server/db/client";
import { readAnomalies } from "../../../server/detect/anomaly-queries";
import { countryCode, instant, parseQuery } from "../query-params";

export const dynamic = "force-dynamic";

const MAX_RANGE_MS = 14 * 86_400_000;

const querySchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    country: countryCode.optional(),
    sport: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, "expected a sport slug such as football")
      .optional(),
  })
  .transform((query) => {
    const to = query.to ?? Date.now();
    return { ...query, to, from: query.from ?? to - 30 * 60_000 };
  })
  .refine((query) => query.from < query.to, { message: "from must be before to", path: ["from"] })
  .refine((query) => query.to - query.from <= MAX_RANGE_MS, {
    message: "the range may span at most 14 days",
    path: ["to"],
  });

export async function GET(request: Request) {
  const query = parseQuery(querySchema, request.url);
  if (!query.ok) return query.response;
  const anomalies = await readAnomalies(db(), query.value);
  return Response.json({ from: query.value.from, to: query.value.to, anomalies });
}
