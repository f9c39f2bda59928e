// One server-sent events connection that stays up: EventSource reconnects by itself (sending Last-Event-ID);
// if the browser gives up (CLOSED, e.g. the server answered an error), a new one opens after `retryMs` at
// the URL built from the last event id seen, so a stream resumes where it stood. The `ready` event every
// live route sends first carries that id too: a stream on which nothing happened still resumes exactly.
import type { ConnectionState } from "../components/connection-badge";

export interface LiveSourceSpec {
  /** The stream's URL, given the last event id seen on any connection (none before the first). */
  url(lastEventId: string | undefined): string;
  /** Handlers by SSE event name, given the event's data. */
  on: Record<string, (data: string) => void>;
  onConnection(state: ConnectionState): void;
  /** Runs on every (re)connection. */
  onOpen?(): void;
  retryMs?: number;
}

/** Opens the stream; returns the function that closes it for good. */
export function openLiveSource(spec: LiveSourceSpec): () => void {
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  let lastEventId: string | undefined;
  const handlers: LiveSourceSpec["on"] = { ready: () => undefined, ...spec.on };
  const open = () => {
    source = new EventSource(spec.url(lastEventId));
    source.onopen = () => {
      spec.onConnection("live");
      spec.onOpen?.();
    };
    for (const [name, handle] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) lastEventId = message.lastEventId;
        spec.onConnection("live");
        handle(message.data);
      });
    }
    source.onerror = () => {
      spec.onConnection("reconnecting");
      if (source?.readyState === EventSource.CLOSED && !disposed) {
        source.close();
        retryTimer = setTimeout(open, spec.retryMs ?? 2_000);
      }
    };
  };
  open();
  return () => {
    disposed = true;
    source?.close();
    clearTimeout(retryTimer);
  };
}

/** `?since=` the last event id seen, for streams that resume after an id. */
export const resumeAfter = (path: string) => (lastEventId: string | undefined) =>
  lastEventId ? `${path}?since=${encodeURIComponent(lastEventId)}` : path;
