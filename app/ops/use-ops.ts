"use client";
// The operators' data over react-query. The summary (stage figures, queue depths, deliveries: aggregates no
// single event announces) is re-read every 10 s — the one timer on the page. Failed jobs are re-read only
// when the summary's failed-jobs mark moves or after a retry; a moment's trace when the live moment stream
// says that moment changed (use-moment-changes.ts). Nothing else polls.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  MomentTrace,
  OpsJob,
  OpsJobList,
  OpsSummary,
  OpsWindow,
} from "../../server/observability/ops-views";
import { getJson, refusal } from "../fetch-json";

export const opsKeys = {
  summaries: ["ops", "summary"] as const,
  summary: (window: OpsWindow) => ["ops", "summary", window] as const,
  failedJobs: (mark: string) => ["ops", "jobs", "failed", mark] as const,
  jobs: ["ops", "jobs"] as const,
  trace: (momentId: string) => ["ops", "trace", momentId] as const,
};

/** Aggregates only: re-read on this period rather than subscribed (see above). */
export const SUMMARY_REFRESH_MS = 10_000;

export function useOpsSummary(window: OpsWindow) {
  return useQuery({
    queryKey: opsKeys.summary(window),
    queryFn: () => getJson<OpsSummary>(`/api/ops/summary?window=${window}`, "the operations summary"),
    refetchInterval: SUMMARY_REFRESH_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
    placeholderData: (previous) => previous,
  });
}

/** The failed jobs; `mark` (count and latest change of failed jobs, from the summary) keys the read. */
export function useFailedJobs(mark: string | undefined) {
  return useQuery({
    queryKey: opsKeys.failedJobs(mark ?? "none"),
    enabled: mark !== undefined,
    queryFn: () => getJson<OpsJobList>("/api/ops/jobs?status=failed&limit=50", "the failed jobs"),
    placeholderData: (previous) => previous,
  });
}

export function useMomentTrace(momentId: string | undefined) {
  return useQuery({
    queryKey: opsKeys.trace(momentId ?? "none"),
    enabled: momentId !== undefined,
    queryFn: () =>
      getJson<MomentTrace>(`/api/ops/moments/${momentId}/trace`, `the trace of moment ${momentId}`),
    retry: false,
  });
}

export function useRetryJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (jobId: string): Promise<OpsJob> => {
      const response = await fetch(`/api/ops/jobs/${jobId}/retry`, { method: "POST" });
      if (!response.ok) throw await refusal(response, `Could not retry job ${jobId}`);
      return (await response.json()) as OpsJob;
    },
    onSettled: async (job) => {
      await client.invalidateQueries({ queryKey: opsKeys.summaries });
      await client.invalidateQueries({ queryKey: opsKeys.jobs });
      if (job?.momentId) await client.invalidateQueries({ queryKey: opsKeys.trace(job.momentId) });
    },
  });
}

export interface JobsFilter {
  status: "" | "queued" | "running" | "failed" | "done";
  kind: string;
}

/** The jobs browser: re-read when a moment changes (the live stream), after a retry, or on demand. */
export function useJobs(filter: JobsFilter) {
  const params = new URLSearchParams({ limit: "50" });
  if (filter.status) params.set("status", filter.status);
  if (filter.kind) params.set("kind", filter.kind);
  return useQuery({
    queryKey: [...opsKeys.jobs, "list", filter.status, filter.kind] as const,
    queryFn: () => getJson<OpsJobList>(`/api/ops/jobs?${params}`, "the jobs"),
    placeholderData: (previous) => previous,
  });
}
