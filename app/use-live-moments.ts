"use client";
// New moments and status changes over server-sent events (/api/live/moments): each `moment` event patches
// the cached inbox pages and refreshes the open moment. The inboxes are read again once the first stream is
// open, so nothing committed between the first read and the stream is missed; after that every stream
// resumes after the last event id seen (app/live-source.ts).
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ConnectionState } from "../components/connection-badge";
import type { MomentDetail, MomentSummary } from "../server/moments/moment-views";
import { openLiveSource, resumeAfter } from "./live-source";
import { applyMomentToInboxes, momentKeys } from "./use-moments";

export function useLiveMoments(): ConnectionState {
  const client = useQueryClient();
  const [connection, setConnection] = useState<ConnectionState>("connecting");

  useEffect(() => {
    let caughtUp = false;
    return openLiveSource({
      url: resumeAfter("/api/live/moments"),
      onConnection: setConnection,
      onOpen: () => {
        if (caughtUp) return;
        caughtUp = true;
        void client.invalidateQueries({ queryKey: momentKeys.inboxes });
      },
      on: {
        moment: (data) => {
          const moment = JSON.parse(data) as MomentSummary;
          applyMomentToInboxes(client, moment);
          const detail = client.getQueryData<MomentDetail>(momentKeys.detail(moment.id));
          if (detail && detail.lastEventId !== moment.lastEventId) {
            void client.invalidateQueries({ queryKey: momentKeys.detail(moment.id), exact: true });
          }
        },
      },
    });
  }, [client]);

  return connection;
}
