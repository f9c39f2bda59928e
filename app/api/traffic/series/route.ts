// GET /api/traffic/series?country=FR&from=ISO|ms&to=ISO|ms: one country's traffic per sport over any range
// (up to 14 days), in ~300 chart steps from raw buckets or the minute/hour rollups, with the expected band
// when the range is read at the raw window size.
import { z } from "zod";
import { getConfig } from "../../../../server/config/env";
import { db } from "../../../../server/db/client";
import { readCountrySeries, readExpectedBands } from "../../../../server/traffic/queries";
import { countryCode, instant, parseQuery } from "../../query-params";

export const dynamic = "force-dynamic";

const MAX_RANGE_MS = 14 * 86_400_000;

const querySchema = z
  .object({
    country: countryCode,
    from: instant,
    to: instant,
  })
  .refine((query) => query.from < query.to, { message: "from must be before to", path: ["from"] })
  .refine((query) => query.to - query.from <= MAX_RANGE_MS, {
    message: "the range may span at most 14 days",
    path: ["to"],
  });

export async function GET(request: Request) {
  const query = parseQuery(querySchema, request.url);
  if (!query.ok) return query.response;
  const series = await readCountrySeries(db(), query.value);
  // A band summed over coarser steps would not be the detector's band: only draw it at the window size.
  const bands =
    series.stepSeconds === getConfig().BUCKET_SECONDS ? await readExpectedBands(db(), query.value) : [];
  return Response.json({ ...query.value, ...series, bands });
}
