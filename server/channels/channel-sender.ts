// Sends one delivery to its channel's target: a webhook gets the moment's JSON re-stamped and signed now with
// the channel's secret, Slack its message payload, the feed nothing (the feed route serves what was marked
// delivered). Anything but a 2xx answer in time is a DeliveryError with the status and what the endpoint said;
// errors name the host only, never the URL (a Slack webhook URL is a credential).
import { z } from "zod";
import { signedHeaders } from "../agents/channels/channel-format";
import { PermanentJobError } from "../queue/job-handler";
import type { ConfiguredChannel } from "./channel-targets";

export class DeliveryError extends Error {
  override name = "DeliveryError";
  constructor(
    message: string,
    readonly responseStatus: number | null,
  ) {
    super(message);
  }
}

/** What the channel decider stored as the payload (channel_decision.payload, copied to channel_delivery). */
export const storedPayloadSchema = z.discriminatedUnion("format", [
  z.object({
    format: z.literal("slack"),
    message: z.object({ text: z.string(), blocks: z.array(z.record(z.string(), z.unknown())) }),
  }),
  z.object({
    format: z.literal("webhook"),
    delivery: z.object({ body: z.string(), headers: z.record(z.string(), z.string()) }),
  }),
  z.object({ format: z.literal("feed"), item: z.record(z.string(), z.unknown()) }),
]);
export type StoredPayload = z.infer<typeof storedPayloadSchema>;

export const DELIVERY_HEADER = "x-peaklight-delivery";

export interface SendOptions {
  /** channel_delivery.id: sent along so a receiver can drop a repeat (delivery is at least once). */
  deliveryId: string;
  timeoutMs: number;
  /** The job's signal: aborted when its lease is lost or the worker stops. */
  signal: AbortSignal;
  nowMs: number;
}

export interface SentDelivery {
  /** The endpoint's HTTP status; null for the feed. */
  responseStatus: number | null;
  /** The payload as sent (a webhook's body carries the sending time and is signed for it). */
  payload: StoredPayload;
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: SendOptions,
): Promise<number> {
  const host = new URL(url).host;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, {
      method: "POST",
      body,
      headers: { "user-agent": "peaklight-delivery/1", ...headers },
      signal: AbortSignal.any([options.signal, timeout]),
      redirect: "manual",
    });
    const text = await response.text();
    if (response.status < 200 || response.status > 299) {
      const said = text.trim().slice(0, 300);
      throw new DeliveryError(
        `${host} answered HTTP ${response.status}${said ? `: ${said}` : ""}`,
        response.status,
      );
    }
    return response.status;
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    // The job's own abort (lease lost, shutting down) goes to the runner as it is.
    if (options.signal.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new DeliveryError(
        `${host} did not answer within ${options.timeoutMs} ms (DELIVERY_TIMEOUT_MS)`,
        null,
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryError(
      `could not reach ${host}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      null,
    );
  }
}

/**
 * A delivery no retry can make: the channel's target changed kind since the decision, or it has no URL.
 * The job dies at once.
 */
export class DeliveryMismatchError extends PermanentJobError {
  override name = "DeliveryMismatchError";
}

export async function sendToChannel(
  configured: ConfiguredChannel,
  payload: StoredPayload,
  options: SendOptions,
): Promise<SentDelivery> {
  const { channel, target } = configured;
  if (target.type !== payload.format) {
    throw new DeliveryMismatchError(
      `channel ${channel.id} now delivers to a ${target.type} target, but the moment was formatted for ${payload.format}`,
    );
  }
  if (target.type === "feed") return { responseStatus: null, payload };
  if (target.type === "slack" && payload.format === "slack") {
    if (!target.url)
      throw new DeliveryMismatchError(`channel ${channel.id} has no Slack webhook: ${target.missing}`);
    const status = await post(
      target.url,
      JSON.stringify(payload.message),
      { "content-type": "application/json" },
      options,
    );
    return { responseStatus: status, payload };
  }
  if (target.type === "webhook" && payload.format === "webhook") {
    const message = JSON.parse(payload.delivery.body) as Record<string, unknown>;
    message.sentAt = new Date(options.nowMs).toISOString();
    const body = JSON.stringify(message);
    const headers = {
      ...signedHeaders(body, target.secret, options.nowMs),
      [DELIVERY_HEADER]: options.deliveryId,
    };
    const status = await post(target.url, body, headers, options);
    return { responseStatus: status, payload: { format: "webhook", delivery: { body, headers } } };
  }
  throw new DeliveryMismatchError(`channel ${channel.id}: unknown target`);
}
