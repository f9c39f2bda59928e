"use client";
// Subscribes to the live moment stream (/api/live/moments, the editors' SSE): every change to a moment — an
// agent stage done, a delivery sent or failed — re-reads that moment's open trace and the failed jobs.
// Reconnects resume after the last event id seen (app/live-source.ts).
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ConnectionState } from "../../components/connection-badge";
import { openLiveSource, resumeAfter } from "../live-source";
import { opsKeys } from "./use-ops";

export function useMomentChanges(): ConnectionState {
  const client = useQueryClient();
  const [connection, setConnection] = useState<ConnectionState>("connecting");

  useEffect(
    () =>
      openLiveSource({
        url: resumeAfter("/api/live/moments"),
        onConnection: setConnection,
        on: {
          moment: (data) => {
            const moment = JSON.parse(data) as { id?: string };
            if (moment.id) void client.invalidateQueries({ queryKey: opsKeys.trace(moment.id), exact: true });
            void client.invalidateQueries({ queryKey: opsKeys.jobs });
          },
        },
      }),
    [client],
  );

  return connection;
}
