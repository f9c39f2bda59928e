// The `describe-moment` job: an interesting moment waits for the enrichment & summary agent. Enqueued by the
// score stage in the transaction that stores the score; handled by server/moments/describe-stage.ts.
import { z } from "zod";
import type { JobSpec } from "./job-spec";

export const describeMomentPayloadSchema = z.object({ momentId: z.string().regex(/^\d+$/) });
export type DescribeMomentPayload = z.infer<typeof describeMomentPayloadSchema>;

export const describeMomentJob: JobSpec<DescribeMomentPayload> = {
  kind: "describe-moment",
  payload: describeMomentPayloadSchema,
  dedupeKey: (payload) => `describe-moment:moment:${payload.momentId}`,
  retry: { maxAttempts: 4, baseDelayMs: 5_000, maxDelayMs: 120_000 },
  concurrency: 4,
  leaseMs: 120_000,
};
