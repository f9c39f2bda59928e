// HMAC-SHA256 signatures of webhook deliveries: the receiver recomputes the signature over
// "<timestamp>.<body>" with the shared secret and rejects stale timestamps, so a captured delivery cannot be
// replayed later or altered.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-peaklight-signature";
export const TIMESTAMP_HEADER = "x-peaklight-timestamp";

/** `v1=<hex HMAC-SHA256 of "<timestampSeconds>.<body>">`. */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `v1=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyWebhook(options: {
  secret: string;
  body: string;
  signature: string | null | undefined;
  timestamp: string | null | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  const timestamp = Number(options.timestamp);
  if (!options.timestamp || !Number.isInteger(timestamp)) return { ok: false, reason: "no timestamp" };
  if (Math.abs(options.nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) {
    return { ok: false, reason: "timestamp outside tolerance" };
  }
  const expected = Buffer.from(signWebhook(options.secret, timestamp, options.body));
  const given = Buffer.from(options.signature ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "signature mismatch" };
  }
  return { ok: true };
}
