// Validates a route's query string with zod; a bad one becomes a 400 that names the parameter.
import { z } from "zod";

export function parseQuery<T extends z.ZodType>(
  schema: T,
  url: string,
): { ok: true; value: z.infer<T> } | { ok: false; response: Response } {
  const params = Object.fromEntries(new URL(url).searchParams);
  const parsed = schema.safeParse(params);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`);
  return { ok: false, response: Response.json({ error: "invalid query", problems }, { status: 400 }) };
}

/** A market's ISO code in a query string. */
export const countryCode = z.string().regex(/^[A-Z]{2}$/, "expected a country code such as FR");

/** A point in time in a query string: epoch ms or an ISO 8601 date-time. */
export const instant = z.union([
  z.string().regex(/^\d+$/).transform(Number),
  z.iso.datetime({ offset: true }).transform((value) => Date.parse(value)),
]);
