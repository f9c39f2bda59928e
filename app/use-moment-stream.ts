"use client";
// One live moment stream (/api/live/moments) for a page: every `moment` event (a moment's inbox row) goes to
// `onMoment`; `onFirstOpen` runs once the first stream is open, so a page can re-read what it loaded before
// (nothing committed in between is missed). EventSource resumes by itself with Last-Event-ID; if the browser
// gives up (CLOSED), a new stream resumes with ?since= the last id seen, after 2 s.
import { useEffect, useRef, useState } from "react";
import type { ConnectionState } from "../components/connection-badge";
import type { MomentSummary } from "../server/moments/moment-views";

export interface MomentStreamHandlers {
  onMoment(moment: MomentSummary): void;
  onFirstOpen?(): void;
}

export function useMomentStream(handlers: MomentStreamHandlers): ConnectionState {
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  // The latest handlers, without reopening the stream when a render passes new functions.
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });

  useEffect(() => {
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    let lastEventId: string | undefined;
    let opened = false;
    const open = () => {
      const resume = lastEventId ? `?since=${encodeURIComponent(lastEventId)}` : "";
      source = new EventSource(`/api/live/moments${resume}`);
      source.onopen = () => {
        setConnection("live");
        if (opened) return;
        opened = true;
        current.current.onFirstOpen?.();
      };
      source.addEventListener("moment", (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) lastEventId = message.lastEventId;
        setConnection("live");
        current.current.onMoment(JSON.parse(message.data) as MomentSummary);
      });
      source.onerror = () => {
        setConnection("reconnecting");
        if (source?.readyState === EventSource.CLOSED && !disposed) {
          source.close();
          retryTimer = setTimeout(open, 2_000);
        }
      };
    };
    open();
    return () => {
      disposed = true;
      source?.close();
      clearTimeout(retryTimer);
    };
  }, []);

  return connection;
}
