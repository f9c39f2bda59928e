// Local HTTP servers for provider tests: one speaks the Bedrock Runtime Converse wire protocol (restJson1,
// POST /model/{modelId}/converse, errors named by x-amzn-ErrorType), one the OpenAI chat completions API.
// Each answers from a queue of scripted replies and records the requests it got. The AWS SDK talks HTTP/2 to
// Bedrock Runtime (cleartext with prior knowledge to an http:// endpoint), fetch talks HTTP/1.1.
import { createServer, type IncomingHttpHeaders } from "node:http";
import { createServer as createHttp2Server, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as-is (to send malformed JSON); anything else as JSON. */
  body: unknown;
  delayMs?: number;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  reply(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

interface MinimalRequest {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "end", listener: () => void): unknown;
}
interface MinimalResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

export async function startFakeServer(options: { http2?: boolean } = {}): Promise<FakeServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const handle = (request: MinimalRequest, response: MinimalResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Recorded as text.
      }
      requests.push({
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body,
      });
      const reply = queue.shift() ?? { status: 500, body: { message: "no scripted reply left" } };
      const send = () => {
        const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
        response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        response.end(text);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  };
  const sessions = new Set<Http2Session>();
  const server = options.http2 ? createHttp2Server(handle) : createServer(handle);
  if (options.http2) {
    server.on("session", (session: Http2Session) => {
      sessions.add(session);
      session.on("close", () => sessions.delete(session));
    });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Bedrock Converse success body. */
export function converseReply(
  content: Record<string, unknown>[],
  stopReason: "end_turn" | "tool_use" | "max_tokens",
  usage = { inputTokens: 120, outputTokens: 30 },
): ScriptedReply {
  return {
    status: 200,
    body: {
      output: { message: { role: "assistant", content } },
      stopReason,
      usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
      metrics: { latencyMs: 42 },
    },
  };
}

/** A Bedrock error the way the service sends it: status, x-amzn-ErrorType, JSON message. */
export function bedrockError(status: number, type: string, message: string): ScriptedReply {
  return {
    status,
    headers: { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    body: { message },
  };
}
