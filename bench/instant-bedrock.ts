// A Bedrock Runtime Converse endpoint for the pipeline bench whose model answers at once, so the real AWS SDK
// path runs and only the composing counts as model time.
import { createServer as createHttp2Server, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { createBedrockProvider } from "../server/agents/llm/bedrock-provider";
import { createOfflineProvider } from "../server/agents/llm/offline-provider";
import type { ConverseRequest, LlmProvider } from "../server/agents/llm/types";
import { offlineComposers } from "../server/agents/providers";

/**
 * A Bedrock Runtime Converse endpoint (h2c, like the fake in server/agents/llm/fake-servers.ts) whose model
 * answers at once: the offline composer's answer to the same request, which the client side registers under
 * an id carried in the request's metadata. Only the composing is model time; the SDK path is overhead.
 */
export async function startInstantBedrock() {
  const offline = createOfflineProvider(offlineComposers());
  const pending = new Map<string, ConverseRequest>();
  let composeMs = 0;
  let nextId = 0;
  const sessions = new Set<Http2Session>();
  const server = createHttp2Server((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { requestMetadata?: { agent?: string } };
      const original = pending.get(body.requestMetadata?.agent?.split("#")[1] ?? "");
      if (!original) {
        response.writeHead(400, {
          "content-type": "application/json",
          "x-amzn-errortype": "ValidationException",
        });
        response.end(JSON.stringify({ message: "unknown request" }));
        return;
      }
      const started = performance.now();
      void offline.converse(original).then((result) => {
        composeMs += performance.now() - started;
        const content = result.content.map((block) =>
          block.type === "text"
            ? { text: block.text }
            : { toolUse: { toolUseId: block.id, name: block.name, input: block.input } },
        );
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            output: { message: { role: "assistant", content } },
            stopReason: result.stopReason,
            usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
            metrics: { latencyMs: 0 },
          }),
        );
      });
    });
  });
  server.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const bedrock = createBedrockProvider({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" },
    retry: { maxRetries: 0, baseDelayMs: 100, maxDelayMs: 100 },
  });
  const provider: LlmProvider = {
    kind: "bedrock",
    async converse(request) {
      const id = String((nextId += 1));
      pending.set(id, request);
      try {
        return await bedrock.converse({ ...request, agent: `${request.agent}#${id}` });
      } finally {
        pending.delete(id);
      }
    },
  };
  return {
    provider,
    modelMs: () => composeMs,
    resetModelMs: () => {
      composeMs = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}
