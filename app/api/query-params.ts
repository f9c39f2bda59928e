// Validates a route's query string with zod; a bad one becomes a 400 that names the parameter.
import type { z } from "zod";

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
