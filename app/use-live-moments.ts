"use client";
// New moments and status changes, live: each `moment` event patches the cached inbox pages and refreshes the
// open moment; the inboxes are read again once the first stream is open, so nothing committed between the
// first read and the stream is missed.
import { useQueryClient } from "@tanstack/react-query";
import type { ConnectionState } from "../components/connection-badge";
import type { MomentDetail } from "../server/moments/moment-views";
import { useMomentStream } from "./use-moment-stream";
import { applyMomentToInboxes, momentKeys } from "./use-moments";

export function useLiveMoments(): ConnectionState {
  const client = useQueryClient();
  return useMomentStream({
    onFirstOpen: () => void client.invalidateQueries({ queryKey: momentKeys.inboxes }),
    onMoment: (moment) => {
      applyMomentToInboxes(client, moment);
      const detail = client.getQueryData<MomentDetail>(momentKeys.detail(moment.id));
      if (detail && detail.lastEventId !== moment.lastEventId) {
        void client.invalidateQueries({ queryKey: momentKeys.detail(moment.id), exact: true });
      }
    },
  });
}
