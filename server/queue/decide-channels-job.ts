// The `decide-channels` job: a described moment waits for each configured channel's decision. Enqueued by the
// describe stage in the transaction that stores the summary; handled by server/moments/decide-stage.ts.
import { z } from "zod";
import type { JobSpec } from "./job-spec";

export const decideChannelsPayloadSchema = z.object({ momentId: z.string().regex(/^\d+$/) });
export type DecideChannelsPayload = z.infer<typeof decideChannelsPayloadSchema>;

export const decideChannelsJob: JobSpec<DecideChannelsPayload> = {
  kind: "decide-channels",
  payload: decideChannelsPayloadSchema,
  dedupeKey: (payload) => `decide-channels:moment:${payload.momentId}`,
  retry: { maxAttempts: 4, baseDelayMs: 5_000, maxDelayMs: 120_000 },
  concurrency: 4,
  leaseMs: 60_000,
};
