// The one place that defines what travels on the stream: the versioned user-action messages (one action, or a
// batch of one series' actions), their key, and how raw bytes become validated actions or a reason to
// dead-letter them.
import { z } from "zod";

export const ACTION_TYPES = ["page_view", "video_start", "live_blog_open", "share"] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

const countryCode = z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 code such as FR");
/**
 * The sport under which the traffic tables keep each country's total over its sports. Reserved: no message
 * may use it as a sport, or its actions would be mixed into the totals.
 */
export const COUNTRY_TOTAL_SPORT = "all";

const sportSlug = z
  .string()
  .regex(/^[a-z0-9-]{2,40}$/, "expected a sport slug such as athletics")
  .refine((slug) => slug !== COUNTRY_TOTAL_SPORT, `"${COUNTRY_TOTAL_SPORT}" is reserved for country totals`);

/**
 * User action, schema version 1 (JSON). `ts` is the event time in epoch milliseconds: when the user acted,
 * not when the message arrived. Example:
 * {"v":1,"type":"video_start","country":"FR","sport":"athletics","ts":1767225600000}
 */
export const userActionSchema = z.object({
  v: z.literal(1),
  type: z.enum(ACTION_TYPES),
  country: countryCode,
  sport: sportSlug,
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

export const MAX_ACTIONS_PER_MESSAGE = 10_000;

/**
 * A batch of one series' actions, schema version 1 (JSON), keyed like a single action. Producers aggregate
 * actions this way (as Kinesis producers aggregate records): about half the bytes per action, and one
 * broker record per hundred actions. Example:
 * {"v":1,"country":"FR","sport":"athletics","actions":[{"type":"page_view","ts":1767225600000}]}
 */
export const actionBatchSchema = z.object({
  v: z.literal(1),
  country: countryCode,
  sport: sportSlug,
  actions: z
    .array(z.object({ type: z.enum(ACTION_TYPES), ts: z.number().int().positive() }))
    .min(1)
    .max(MAX_ACTIONS_PER_MESSAGE),
});
export type ActionBatch = z.infer<typeof actionBatchSchema>;

/**
 * Encodes actions as stream messages: one message per action when `perMessage` is 1, else batches of up to
 * `perMessage` actions of the same series, in the order given.
 */
export function encodeActions(actions: UserAction[], perMessage: number): { key: string; value: string }[] {
  if (perMessage <= 1)
    return actions.map((action) => ({ key: userActionKey(action), value: encodeUserAction(action) }));
  const open = new Map<string, ActionBatch>();
  const messages: { key: string; value: string }[] = [];
  const flush = (key: string, batch: ActionBatch) => {
    messages.push({ key, value: JSON.stringify(batch) });
    open.delete(key);
  };
  for (const action of actions) {
    const key = userActionKey(action);
    let batch = open.get(key);
    if (!batch) {
      batch = { v: 1, country: action.country, sport: action.sport, actions: [] };
      open.set(key, batch);
    }
    batch.actions.push({ type: action.type, ts: action.ts });
    if (batch.actions.length >= perMessage) flush(key, batch);
  }
  for (const [key, batch] of open) flush(key, batch);
  return messages;
}

/** Actions of one series (country × sport), as one message carries them. */
export interface SeriesActions {
  country: string;
  sport: string;
  actions: { type: ActionType; ts: number }[];
}

export type DecodeManyResult = { ok: true; series: SeriesActions } | { ok: false; reason: string };

/**
 * Decodes either message shape (single action or batch) into its series' actions, or a reason to
 * dead-letter it. Actions stay grouped by series so aggregation builds no per-action objects or keys.
 */
export function decodeActions(bytes: Buffer | string | null): DecodeManyResult {
  const json = parseJson(bytes);
  if (!json.ok) return json;
  if (typeof json.value === "object" && json.value !== null && "actions" in json.value) {
    const parsed = actionBatchSchema.safeParse(json.value);
    if (!parsed.success) return { ok: false, reason: `batch schema v1: ${describeIssues(parsed.error)}` };
    return { ok: true, series: parsed.data };
  }
  const parsed = userActionSchema.safeParse(json.value);
  if (!parsed.success) return { ok: false, reason: `schema v1: ${describeIssues(parsed.error)}` };
  const { country, sport, type, ts } = parsed.data;
  return { ok: true, series: { country, sport, actions: [{ type, ts }] } };
}

/** Each action as its own one-action series, in order (for callers holding plain actions). */
export function asSeriesActions(actions: Iterable<UserAction>): SeriesActions[] {
  return Array.from(actions, ({ country, sport, type, ts }) => ({ country, sport, actions: [{ type, ts }] }));
}

function parseJson(
  bytes: Buffer | string | null,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (bytes === null) return { ok: false, reason: "empty message (null value)" };
  try {
    return { ok: true, value: JSON.parse(typeof bytes === "string" ? bytes : bytes.toString("utf8")) };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "message"}: ${issue.message}`).join("; ");
}
