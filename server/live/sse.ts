// Server-sent events framing and the stream lifecycle every live route shares: keepalive comments, a capped
// duration after which the client reconnects (resuming from Last-Event-ID), and clean-up on disconnect.

export interface SseMessage {
  event?: string;
  id?: string | number;
  data: unknown;
}

export function formatSse(message: SseMessage): string {
  let frame = "";
  if (message.event) frame += `event: ${message.event}\n`;
  if (message.id !== undefined) frame += `id: ${message.id}\n`;
  return `${frame}data: ${JSON.stringify(message.data)}\n\n`;
}

export interface SseChannel {
  send(message: SseMessage): void;
  readonly closed: boolean;
}

export interface SseStreamOptions {
  signal: AbortSignal;
  keepaliveMs?: number;
  maxDurationMs?: number;
  /** Client reconnect delay hint. */
  retryMs?: number;
  /** Starts producing; returns the clean-up to run when the stream ends. */
  start(channel: SseChannel): Promise<() => void>;
}

export function createSseStream(options: SseStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | undefined;
  const timers: ReturnType<typeof setTimeout>[] = [];
  let closed = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        timers.forEach(clearTimeout);
        cleanup?.();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      const channel: SseChannel = {
        send: (message) => write(formatSse(message)),
        get closed() {
          return closed;
        },
      };
      options.signal.addEventListener("abort", close);
      write(`retry: ${options.retryMs ?? 1_000}\n\n`);
      timers.push(setInterval(() => write(": keepalive\n\n"), options.keepaliveMs ?? 15_000));
      timers.push(setTimeout(close, options.maxDurationMs ?? 5 * 60_000));
      try {
        cleanup = await options.start(channel);
        if (closed) cleanup();
      } catch (error) {
        write(formatSse({ event: "error", data: { message: (error as Error).message } }));
        close();
      }
    },
    cancel() {
      closed = true;
      timers.forEach(clearTimeout);
      cleanup?.();
    },
  });
}
