// What the detection stage announces after each committed write: the NOTIFY channel and its payload (new
// anomaly ids and the candidate moments they created or changed). Later stages listen; this one never
// imports them.
import { z } from "zod";

export const ANOMALY_CHANNEL = "peaklight_anomalies";

const payloadSchema = z.object({
  anomalyIds: z.array(z.string()),
  candidateIds: z.array(z.string()),
});
export type AnomalyNotice = z.infer<typeof payloadSchema>;

/** Ids per payload: far under the 8000-byte NOTIFY limit even with 19-digit ids. */
const IDS_PER_PAYLOAD = 150;

export function chunkNotices(notice: AnomalyNotice): string[] {
  const payloads: string[] = [];
  const total = Math.max(notice.anomalyIds.length, notice.candidateIds.length);
  for (let from = 0; from < total; from += IDS_PER_PAYLOAD) {
    payloads.push(
      JSON.stringify({
        anomalyIds: notice.anomalyIds.slice(from, from + IDS_PER_PAYLOAD),
        candidateIds: notice.candidateIds.slice(from, from + IDS_PER_PAYLOAD),
      }),
    );
  }
  return payloads;
}

export function parseNotice(payload: string): AnomalyNotice {
  return payloadSchema.parse(JSON.parse(payload));
}
