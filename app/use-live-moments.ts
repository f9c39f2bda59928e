"use client";
// New moments and status changes over server-sent events (/api/live/moments): each `moment` event patches
// the cached inbox pages and refreshes the open moment. The inboxes are read again once the first stream is
// open, so nothing committed between the first read and the stream is missed. EventSource resumes by itself
// with Last-Event-ID; if the browser gives up (CLOSED), a new stream resumes with ?since= the last id seen.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ConnectionState } from "../components/connection-badge";
import type { MomentDetail, MomentSummary } from "../server/moments/moment-views";
import { applyMomentToInboxes, momentKeys } from "./use-moments";

export function useLiveMoments(): ConnectionState {
  const client = useQueryClient();
  const [connection, setConnection] = useState<ConnectionState>("connecting");

  useEffect(() => {
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    let lastEventId: string | undefined;
    let caughtUp = false;
    const open = () => {
      const resume = lastEventId ? `?since=${encodeURIComponent(lastEventId)}` : "";
      source = new EventSource(`/api/live/moments${resume}`);
      source.onopen = () => {
        setConnection("live");
        if (caughtUp) return;
        caughtUp = true;
        void client.invalidateQueries({ queryKey: momentKeys.inboxes });
      };
      source.addEventListener("moment", (event) => {
        const message = event as MessageEvent<string>;
        const moment = JSON.parse(message.data) as MomentSummary;
        if (message.lastEventId) lastEventId = message.lastEventId;
        setConnection("live");
        applyMomentToInboxes(client, moment);
        const detail = client.getQueryData<MomentDetail>(momentKeys.detail(moment.id));
        if (detail && detail.lastEventId !== moment.lastEventId) {
          void client.invalidateQueries({ queryKey: momentKeys.detail(moment.id), exact: true });
        }
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
  }, [client]);

  return connection;
}
