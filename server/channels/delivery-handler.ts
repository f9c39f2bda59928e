// The `deliver-moment` job's handler: sends an approved moment to one channel and records the outcome on its
// channel_delivery row (status, attempts, response status, error, sent time) with a moment_event and a NOTIFY,
// in the transaction that finishes the job. A failed attempt is recorded in the transaction that schedules
// the retry; the last one marks the delivery failed with the error kept.
import type { Logger } from "pino";
import type { Db, Tx } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { notifyMomentChanged } from "../moments/moment-channel";
import { recordMomentEvent } from "../moments/moment-events";
import { deliverMomentJob, type DeliverMomentPayload } from "../queue/deliver-moment-job";
import { finishJob } from "../queue/job-store";
import { PermanentJobError, type JobFailure, type JobHandler } from "../queue/job-handler";
import { DeliveryError, sendToChannel, storedPayloadSchema } from "./channel-sender";
import type { ConfiguredChannel } from "./channel-targets";

export interface DeliveryDeps {
  db: Db;
  channels: readonly ConfiguredChannel[];
  log: Logger;
  /** DELIVERY_TIMEOUT_MS */
  timeoutMs: number;
  now?: () => number;
}

const actorOf = (channelId: string) => `channel:${channelId}`;

export function deliveryHandler(deps: DeliveryDeps): JobHandler<DeliverMomentPayload> {
  const byId = new Map(deps.channels.map((configured) => [configured.channel.id, configured]));
  return {
    spec: deliverMomentJob,

    async handle({ job, payload, signal }) {
      const momentId = BigInt(payload.momentId);
      const delivery = await deps.db.channelDelivery.findUnique({
        where: { momentId_channelId: { momentId, channelId: payload.channelId } },
      });
      if (!delivery) return { skip: `no delivery of moment ${momentId} to ${payload.channelId}` };
      if (delivery.status === "sent")
        return { skip: `moment ${momentId} was already delivered to ${payload.channelId}` };
      const configured = byId.get(payload.channelId);
      if (!configured) {
        throw new PermanentJobError(
          `channel ${payload.channelId} is not configured any more (CHANNELS_FILE)`,
        );
      }
      const stored = storedPayloadSchema.safeParse(delivery.payload);
      if (!stored.success) {
        throw new PermanentJobError(
          `delivery ${delivery.id} has no payload the channel can send: ${stored.error.issues[0]?.message ?? "invalid"}`,
        );
      }
      const fields = {
        momentId: payload.momentId,
        channelId: payload.channelId,
        deliveryId: delivery.id.toString(),
        attempt: job.attempt,
      };
      const started = performance.now();
      const sent = await sendToChannel(configured, stored.data, {
        deliveryId: delivery.id.toString(),
        timeoutMs: deps.timeoutMs,
        signal,
        nowMs: deps.now?.() ?? Date.now(),
      });
      await deps.db.$transaction(async (tx) => {
        await finishJob(tx, job);
        await tx.channelDelivery.update({
          where: { id: delivery.id },
          data: {
            status: "sent",
            attempts: job.attempt,
            responseStatus: sent.responseStatus,
            error: null,
            sentAt: new Date(),
            payload: sent.payload as Prisma.InputJsonValue,
            updatedAt: new Date(),
          },
        });
        // Last in the transaction: it records the audit event and notifies (see moment-events.ts).
        await recordMomentEvent(tx, momentId, {
          actor: actorOf(payload.channelId),
          action: "delivered",
          detail: {
            attempt: job.attempt,
            target: configured.target.type,
            responseStatus: sent.responseStatus,
          },
        });
      });
      deps.log.info(
        { ...fields, responseStatus: sent.responseStatus, ms: Math.round(performance.now() - started) },
        "moment delivered",
      );
      return "finished";
    },

    async recordFailure(tx: Tx, failure: JobFailure<DeliverMomentPayload>) {
      const { job, payload, verdict, cause } = failure;
      const momentId = BigInt(payload.momentId);
      const dead = verdict.kind === "dead";
      const responseStatus = cause instanceof DeliveryError ? cause.responseStatus : null;
      const error = cause instanceof Error ? cause.message : failure.error;
      const updated = await tx.channelDelivery.updateMany({
        where: { momentId, channelId: payload.channelId, status: { not: "sent" } },
        data: {
          status: dead ? "failed" : "queued",
          attempts: job.attempt,
          responseStatus,
          error,
          updatedAt: new Date(),
        },
      });
      if (updated.count === 0) return;
      if (dead) {
        await recordMomentEvent(tx, momentId, {
          actor: actorOf(payload.channelId),
          action: "delivery_failed",
          reason: error,
          detail: { attempts: job.attempt, responseStatus },
        });
      } else {
        // A retry is no audit event, but the delivery's attempts and error changed: the inbox refetches.
        await notifyMomentChanged(tx, momentId);
      }
      // The runner logs the failure once, with the job and the error.
    },
  };
}
