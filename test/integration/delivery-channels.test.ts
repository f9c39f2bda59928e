// Delivery of approved moments on a real Postgres with real HTTP endpoints: a moment goes through the pipeline
// (offline provider), is approved, and is delivered to a signed webhook (the receiver verifies the signature),
// a Slack incoming webhook and the feed; an endpoint that stalls and then answers 503 is retried with the job's
// back-off and finally fails with its error kept. The operators' and the feed's routes read the result.
import fs from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from "../../server/agents/channels/webhook-signature";
import { loadChannels } from "../../server/channels/channel-directory";
import { DELIVERY_HEADER } from "../../server/channels/channel-sender";
import type { ConfiguredChannel } from "../../server/channels/channel-targets";
import { deliveryHandler } from "../../server/channels/delivery-handler";
import { enqueueDeliveries } from "../../server/channels/deliveries";
import { pipelineJobs } from "../../server/moments/pipeline-jobs";
import { JobRunner } from "../../server/queue/job-runner";
import { createMigratedDatabase, type MigratedDatabase } from "../support/migrated-database";
import {
  loadSmallGames,
  pipelineDeps,
  silentLog,
  storiedReactions,
  waitFor,
  writeCandidate,
} from "../support/pipeline-fixture";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP endpoint that records what it gets and answers per path: a status, or never (stalls). */
async function startReceiver(answer: (path: string, count: number) => number | "stall") {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(entry);
      const status = answer(entry.path, received.filter((other) => other.path === entry.path).length);
      if (status === "stall") return;
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(status < 300 ? "ok" : "upstream down for maintenance");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SECRET = "partner-s3cret";
const TIMEOUT_MS = 300;
let database: MigratedDatabase;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let channels: ConfiguredChannel[];
let configDir: string;

beforeAll(async () => {
  database = await createMigratedDatabase("delivery_channels_test");
  receiver = await startReceiver((route, count) => {
    if (route === "/flaky") return count === 1 ? "stall" : 503;
    return 200;
  });
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), "peaklight-delivery-"));
  const file = path.join(configDir, "channels.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      channels: [
        { id: "editors-feed", name: "Editors' feed", target: { type: "feed" } },
        {
          id: "partner-hook",
          name: "Partner webhook",
          target: { type: "webhook", url: `${receiver.url}/hook`, secretEnv: "PARTNER_HOOK_SECRET" },
        },
        { id: "desk-slack", name: "Desk Slack", target: { type: "slack", url: `${receiver.url}/slack` } },
        {
          id: "flaky-hook",
          name: "Flaky webhook",
          target: { type: "webhook", url: `${receiver.url}/flaky`, secretEnv: "PARTNER_HOOK_SECRET" },
        },
      ],
    }),
  );
  // The routes read the same configuration from the environment, as the web process does.
  process.env.DATABASE_URL = database.url;
  process.env.CHANNELS_FILE = file;
  process.env.PARTNER_HOOK_SECRET = SECRET;
  channels = loadChannels({ file });
});

afterAll(async () => {
  await receiver?.close();
  if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  await database?.dispose();
});

describe("delivery of approved moments", () => {
  it("delivers to a signed webhook, Slack and the feed; retries a failing endpoint, then fails it visibly", async () => {
    const { db } = database;
    const games = await loadSmallGames(db);
    const candidateId = await writeCandidate(db, storiedReactions(games)[0]!);
    const runner = new JobRunner({
      db,
      log: silentLog,
      listenUrl: database.url,
      pollMs: 60_000,
      reclaimEveryMs: 200,
      handlers: [
        ...pipelineJobs({ ...pipelineDeps(db), channels: channels.map((entry) => entry.channel) }),
        deliveryHandler({ db, channels, log: silentLog, timeoutMs: TIMEOUT_MS }),
      ],
      overrides: { "deliver-moment": { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 100 } },
    });
    await runner.start();
    try {
      const moment = await waitFor(
        () => db.moment.findFirst({ where: { candidateId, routedAt: { not: null } } }),
        "the moment to be routed",
      );
      const decided = await db.channelDecision.findMany({ where: { momentId: moment.id, decision: "send" } });
      expect(decided.map((decision) => decision.channelId).sort()).toEqual([
        "desk-slack",
        "editors-feed",
        "flaky-hook",
        "partner-hook",
      ]);

      // An editor's edit, then what the approval does (server/moments): approve and queue the deliveries in
      // one transaction. The channels get the editor's version.
      const headline = `${moment.headline} (edited)`;
      await db.momentVersion.create({
        data: {
          momentId: moment.id,
          version: 1,
          editor: "Maija",
          headline,
          description: moment.description!,
          clipIn: moment.clipIn,
          clipOut: moment.clipOut,
        },
      });
      const approvedAt = Date.now();
      await db.$transaction(async (tx) => {
        await tx.moment.update({
          where: { id: moment.id },
          data: { status: "approved", reviewedBy: "Maija", version: 1 },
        });
        await enqueueDeliveries(tx, moment.id);
      });

      const settled = await waitFor(async () => {
        const rows = await db.channelDelivery.findMany({ where: { momentId: moment.id } });
        return rows.length === 4 && rows.every((row) => row.status !== "queued") ? rows : null;
      }, "every delivery to be sent or failed");
      const byChannel = Object.fromEntries(settled.map((row) => [row.channelId, row]));

      // The webhook: signed now (not when the decider formatted it), verifiable with the shared secret.
      const hook = receiver.received.find((entry) => entry.path === "/hook")!;
      expect(hook.headers["content-type"]).toBe("application/json");
      expect(
        verifyWebhook({
          secret: SECRET,
          body: hook.body,
          signature: hook.headers[SIGNATURE_HEADER] as string,
          timestamp: hook.headers[TIMESTAMP_HEADER] as string,
          nowSeconds: Date.now() / 1_000,
        }),
      ).toEqual({ ok: true });
      expect(
        verifyWebhook({
          secret: "wrong",
          body: hook.body,
          signature: hook.headers[SIGNATURE_HEADER] as string,
          timestamp: hook.headers[TIMESTAMP_HEADER] as string,
          nowSeconds: Date.now() / 1_000,
        }).ok,
      ).toBe(false);
      const sentBody = JSON.parse(hook.body) as {
        type: string;
        sentAt: string;
        moment: { id: string; title: string; editedBy: string };
      };
      expect(sentBody).toMatchObject({
        type: "peaklight.moment",
        moment: { id: moment.key, title: headline, editedBy: "Maija" },
      });
      expect(Date.parse(sentBody.sentAt)).toBeGreaterThanOrEqual(approvedAt - 1_000);
      expect(hook.headers[DELIVERY_HEADER]).toBe(byChannel["partner-hook"]!.id.toString());
      expect(byChannel["partner-hook"]).toMatchObject({
        status: "sent",
        attempts: 1,
        responseStatus: 200,
        error: null,
      });
      expect(byChannel["partner-hook"]!.sentAt).not.toBeNull();

      const slack = receiver.received.find((entry) => entry.path === "/slack")!;
      expect(JSON.parse(slack.body)).toMatchObject({
        text: expect.stringContaining("(edited)"),
        blocks: expect.arrayContaining([{ type: "header", text: { type: "plain_text", text: headline } }]),
      });
      expect(byChannel["desk-slack"]).toMatchObject({ status: "sent", responseStatus: 200 });
      expect(byChannel["editors-feed"]).toMatchObject({ status: "sent", attempts: 1, responseStatus: null });

      // The failing endpoint: a timeout, then 503s, three attempts in all, the last error kept.
      expect(receiver.received.filter((entry) => entry.path === "/flaky")).toHaveLength(3);
      expect(byChannel["flaky-hook"]).toMatchObject({
        status: "failed",
        attempts: 3,
        responseStatus: 503,
        sentAt: null,
      });
      expect(byChannel["flaky-hook"]!.error).toMatch(/answered HTTP 503: upstream down for maintenance/);
      expect(byChannel["flaky-hook"]!.error).not.toContain(receiver.url);
      const flakyJob = await db.job.findFirstOrThrow({
        where: { kind: "deliver-moment", payload: { path: ["channelId"], equals: "flaky-hook" } },
      });
      expect(flakyJob).toMatchObject({ status: "failed", attempts: 3 });
      expect(flakyJob.lastError).toMatch(/DeliveryError: .*HTTP 503/);

      const events = await db.momentEvent.findMany({
        where: { momentId: moment.id },
        orderBy: { id: "asc" },
      });
      const deliveryEvents = events.filter((event) => event.actor.startsWith("channel:"));
      expect(deliveryEvents.map((event) => `${event.actor} ${event.action}`).sort()).toEqual([
        "channel:desk-slack delivered",
        "channel:editors-feed delivered",
        "channel:flaky-hook delivery_failed",
        "channel:partner-hook delivered",
      ]);
      expect(deliveryEvents.find((event) => event.action === "delivery_failed")!.reason).toMatch(/HTTP 503/);

      // The feed route serves what was delivered, newest first; the operators' route counts by status.
      const feedRoute = await import("../../app/api/channels/[id]/feed/route");
      const feed = await feedRoute.GET(new Request("http://localhost/api/channels/editors-feed/feed"), {
        params: Promise.resolve({ id: "editors-feed" }),
      });
      expect(feed.status).toBe(200);
      const feedJson = (await feed.json()) as {
        items: { momentId: string; item: { id: string; title: string } }[];
      };
      expect(feedJson.items).toEqual([
        expect.objectContaining({
          momentId: moment.id.toString(),
          item: expect.objectContaining({ id: moment.key, title: headline, version: 1 }),
        }),
      ]);
      const notFeed = await feedRoute.GET(new Request("http://localhost/api/channels/partner-hook/feed"), {
        params: Promise.resolve({ id: "partner-hook" }),
      });
      expect(notFeed.status).toBe(404);

      const channelsRoute = await import("../../app/api/channels/route");
      const overview = (await (await channelsRoute.GET()).json()) as {
        channels: {
          id: string;
          target: { type: string; host: string | null };
          deliveries: Record<string, number>;
        }[];
      };
      expect(
        Object.fromEntries(overview.channels.map((channel) => [channel.id, channel.deliveries])),
      ).toEqual({
        "editors-feed": { queued: 0, sent: 1, failed: 0 },
        "partner-hook": { queued: 0, sent: 1, failed: 0 },
        "desk-slack": { queued: 0, sent: 1, failed: 0 },
        "flaky-hook": { queued: 0, sent: 0, failed: 1 },
      });
      expect(JSON.stringify(overview)).not.toContain(SECRET);
      expect(JSON.stringify(overview)).not.toContain("/hook");
    } finally {
      await runner.stop();
    }
  });
});
