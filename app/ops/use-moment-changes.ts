"use client";
// Subscribes to the live moment stream (/api/live/moments, the editors' SSE): every change to a moment — an
// agent stage done, a delivery sent or failed — re-reads that moment's open trace and the failed jobs. The
// stream resumes by itself with Last-Event-ID; if the browser gives up, a new one starts after 2 s.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ConnectionState } from "../../components/connection-badge";
import { opsKeys } from "./use-ops";

export function useMomentChanges(): ConnectionState {
  const client = useQueryClient();
  const [connection, setConnection] = useState<ConnectionState>("connecting");

  useEffect(() => {
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    let lastEventId: string | undefined;
    const open = () => {
      const resume = lastEventId ? `?since=${encodeURIComponent(lastEventId)}` : "";
      source = new EventSource(`/api/live/moments${resume}`);
      source.onopen = () => setConnection("live");
      source.addEventListener("moment", (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) lastEventId = message.lastEventId;
        setConnection("live");
        const moment = JSON.parse(message.data) as { id?: string };
        if (moment.id) void client.invalidateQueries({ queryKey: opsKeys.trace(moment.id), exact: true });
        void client.invalidateQueries({ queryKey: opsKeys.jobs });
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
