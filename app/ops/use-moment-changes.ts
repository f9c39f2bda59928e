"use client";
// Every change to a moment on the live moment stream (an agent stage done, a delivery sent or failed)
// re-reads that moment's open trace and the job lists.
import { useQueryClient } from "@tanstack/react-query";
import type { ConnectionState } from "../../components/connection-badge";
import { useMomentStream } from "../use-moment-stream";
import { opsKeys } from "./use-ops";

export function useMomentChanges(): ConnectionState {
  const client = useQueryClient();
  return useMomentStream({
    onMoment: (moment) => {
      void client.invalidateQueries({ queryKey: opsKeys.trace(moment.id), exact: true });
      void client.invalidateQueries({ queryKey: opsKeys.jobs });
    },
  });
}
