// What the moment routes share: the moment id from the path, the JSON body validated with zod, and the
// editors' typed errors as 404 and 409. A bad id, bad JSON or a bad body is a 400 naming each problem.
import { z } from "zod";
import { db } from "../../../server/db/client";
import { readMomentDetail } from "../../../server/moments/moment-detail";
import { MomentConflictError, MomentNotFoundError } from "../../../server/moments/moment-errors";

export interface MomentRouteContext {
  params: Promise<{ id: string }>;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

function invalid(error: string, issues: z.core.$ZodIssue[]): Response {
  const problems = issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
  return Response.json({ error, problems, issues }, { status: 400 });
}

const momentIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, "expected a moment id such as 42")
  .transform((id) => BigInt(id))
  .refine((id) => id <= 9_223_372_036_854_775_807n, "expected a moment id such as 42");

export async function momentIdOf(context: MomentRouteContext): Promise<Parsed<bigint>> {
  const parsed = momentIdSchema.safeParse((await context.params).id);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    response: invalid(
      "invalid moment id",
      parsed.error.issues.map((issue) => ({ ...issue, path: ["id"] })),
    ),
  };
}

export async function jsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<Parsed<z.infer<T>>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return {
      ok: false,
      response: Response.json(
        { error: "invalid JSON", problems: ["body: expected a JSON object"] },
        { status: 400 },
      ),
    };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: invalid("invalid body", parsed.error.issues) };
}

/** The editors' typed errors as responses; anything else is rethrown (a 500, logged by Next.js). */
export function momentErrorResponse(error: unknown): Response {
  if (error instanceof MomentNotFoundError) {
    return Response.json({ error: error.message }, { status: 404 });
  }
  if (error instanceof MomentConflictError) {
    return Response.json({ error: error.message }, { status: 409 });
  }
  throw error;
}

export function momentNotFound(id: bigint): Response {
  return momentErrorResponse(new MomentNotFoundError(id));
}

/**
 * An editor's write on one moment: the id and the body validated, the action run, then the moment as it is
 * now (`status` on success), or the 400/404/409 that says why not.
 */
export async function editorAction<T extends z.ZodType>(
  request: Request,
  context: MomentRouteContext,
  schema: T,
  action: (id: bigint, body: z.infer<T>) => Promise<unknown>,
  status = 200,
): Promise<Response> {
  const id = await momentIdOf(context);
  if (!id.ok) return id.response;
  const body = await jsonBody(request, schema);
  if (!body.ok) return body.response;
  try {
    await action(id.value, body.value);
  } catch (error) {
    return momentErrorResponse(error);
  }
  const detail = await readMomentDetail(db(), id.value);
  return detail ? Response.json(detail, { status }) : momentNotFound(id.value);
}
