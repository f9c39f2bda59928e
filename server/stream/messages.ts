// The one place that defines what travels on the stream: the versioned user-action message, its key, and
// how raw bytes become a validated action or a reason to dead-letter them.
import { z } from "zod";

export const ACTION_TYPES = ["page_view", "video_start", "live_blog_open", "share"] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/**
 * User action, schema version 1 (JSON). `ts` is the event time in epoch milliseconds: when the user acted,
 * not when the message arrived. Example:
 * {"v":1,"type":"video_start","country":"FR","sport":"athletics","ts":1767225600000}
 */
export const userActionSchema = z.object({
  v: z.literal(1),
  type: z.enum(ACTION_TYPES),
  country: z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 code such as FR"),
  sport: z.string().regex(/^[a-z0-9-]{2,40}$/, "expected a sport slug such as athletics"),
  ts: z.number().int().positive(),
});
export type UserAction = z.infer<typeof userActionSchema>;

/** Partition key: all actions of one country × sport go to one partition, so one worker owns the series. */
export function userActionKey(action: Pick<UserAction, "country" | "sport">): string {
  return `${action.country}|${action.sport}`;
}

export function encodeUserAction(action: UserAction): string {
  return JSON.stringify(action);
}

export type DecodeResult = { ok: true; action: UserAction } | { ok: false; reason: string };

/** Parses and validates one message; a failure carries a reason fit for the dead-letter record. */
export function decodeUserAction(bytes: Buffer | string | null): DecodeResult {
  if (bytes === null) return { ok: false, reason: "empty message (null value)" };
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === "string" ? bytes : bytes.toString("utf8"));
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  const parsed = userActionSchema.safeParse(json);
  if (parsed.success) return { ok: true, action: parsed.data };
  const reason = parsed.error.issues
    .map((issue) => `${issue.path.join(".") || "message"}: ${issue.message}`)
    .join("; ");
  return { ok: false, reason: `schema v1: ${reason}` };
}
