// What the operators' routes share: an id from the path validated with zod (a 400 naming the problem), and
// the typed errors of server/observability as 404 and 409.
import type { z } from "zod";
import { OpsJobNotFailedError, OpsJobNotFoundError } from "../../../server/observability/ops-jobs";
import { pathIdSchema } from "../../../server/observability/ops-views";

export interface IdRouteContext {
  params: Promise<{ id: string }>;
}

export async function pathIdOf(
  context: IdRouteContext,
  what: "job" | "moment",
): Promise<{ ok: true; value: bigint } | { ok: false; response: Response }> {
  const parsed = pathIdSchema.safeParse((await context.params).id);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.map((issue: z.core.$ZodIssue) => `id: ${issue.message}`);
  return { ok: false, response: Response.json({ error: `invalid ${what} id`, problems }, { status: 400 }) };
}

/** The observability typed errors as responses; anything else is rethrown (a 500, logged by Next.js). */
export function opsErrorResponse(error: unknown): Response {
  if (error instanceof OpsJobNotFoundError) return Response.json({ error: error.message }, { status: 404 });
  if (error instanceof OpsJobNotFailedError) {
    return Response.json({ error: error.message, status: error.status }, { status: 409 });
  }
  throw error;
}
