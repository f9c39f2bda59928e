"use client";
// Moments for the editors' desk over react-query: the filtered inbox of a country, one moment's detail, and
// the editor's review and edits as mutations that update the screen at once and roll back if the server
// refuses. Every cached inbox page is patched in place (components/inbox-cache.ts), never re-read on a timer.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { patchInbox, type InboxFilter } from "../components/inbox-cache";
import type {
  MomentDetail,
  MomentInbox,
  MomentSummary,
  ReviewRequest,
  VersionRequest,
} from "../server/moments/moment-views";
import { getJson, postJson } from "./fetch-json";

export const momentKeys = {
  inboxes: ["moments", "inbox"] as const,
  inbox: (filter: InboxFilter) => ["moments", "inbox", filter] as const,
  detail: (id: string) => ["moments", "detail", id] as const,
};

export function inboxUrl(filter: InboxFilter): string {
  const params = new URLSearchParams({ country: filter.country, limit: String(filter.limit) });
  if (filter.sport) params.set("sport", filter.sport);
  if (filter.status) params.set("status", filter.status);
  if (filter.from !== undefined) params.set("from", String(filter.from));
  if (filter.to !== undefined) params.set("to", String(filter.to));
  return `/api/moments?${params}`;
}

export function useMomentInbox(filter: InboxFilter | undefined) {
  return useQuery({
    queryKey: filter ? momentKeys.inbox(filter) : ["moments", "inbox", "none"],
    enabled: filter !== undefined,
    queryFn: () => getJson<MomentInbox>(inboxUrl(filter!), "the moments"),
  });
}

export function useMomentDetail(id: string | undefined) {
  return useQuery({
    queryKey: momentKeys.detail(id ?? "none"),
    enabled: id !== undefined,
    queryFn: () => getJson<MomentDetail>(`/api/moments/${id}`, "the moment"),
  });
}

/** Applies a changed moment to every cached inbox page; pages whose counts it makes uncertain are re-read. */
export function applyMomentToInboxes(client: QueryClient, moment: MomentSummary): void {
  for (const [key, inbox] of client.getQueriesData<MomentInbox>({ queryKey: momentKeys.inboxes })) {
    const filter = key[2] as InboxFilter | "none" | undefined;
    if (!inbox || !filter || filter === "none") continue;
    const patched = patchInbox(inbox, moment, filter);
    if (patched.inbox !== inbox) client.setQueryData(key, patched.inbox);
    if (!patched.countsExact) void client.invalidateQueries({ queryKey: key, exact: true });
  }
}

function findSummary(client: QueryClient, id: string): MomentSummary | undefined {
  const detail = client.getQueryData<MomentDetail>(momentKeys.detail(id));
  if (detail) return detail;
  for (const [, inbox] of client.getQueriesData<MomentInbox>({ queryKey: momentKeys.inboxes })) {
    const found = inbox?.moments.find((moment) => moment.id === id);
    if (found) return found;
  }
  return undefined;
}

interface Snapshot {
  inboxes: [readonly unknown[], MomentInbox | undefined][];
  detail: MomentDetail | undefined;
}

async function snapshot(client: QueryClient, id: string): Promise<Snapshot> {
  await client.cancelQueries({ queryKey: ["moments"] });
  return {
    inboxes: client.getQueriesData<MomentInbox>({ queryKey: momentKeys.inboxes }),
    detail: client.getQueryData<MomentDetail>(momentKeys.detail(id)),
  };
}

function restore(client: QueryClient, id: string, saved: Snapshot | undefined): void {
  if (!saved) return;
  for (const [key, inbox] of saved.inboxes) client.setQueryData(key, inbox);
  client.setQueryData(momentKeys.detail(id), saved.detail);
}

function settle(client: QueryClient, id: string, detail: MomentDetail): void {
  client.setQueryData(momentKeys.detail(id), detail);
  applyMomentToInboxes(client, detail);
}

export interface ReviewVariables {
  id: string;
  request: ReviewRequest;
}

export function useReviewMoment() {
  const client = useQueryClient();
  return useMutation<MomentDetail, Error, ReviewVariables, Snapshot>({
    mutationFn: ({ id, request }) =>
      postJson<MomentDetail>(
        `/api/moments/${id}/review`,
        request,
        request.action === "approve" ? "The moment was not approved" : "The moment was not rejected",
      ),
    onMutate: async ({ id, request }) => {
      const saved = await snapshot(client, id);
      const status = request.action === "approve" ? "approved" : "rejected";
      const summary = findSummary(client, id);
      if (summary) applyMomentToInboxes(client, { ...summary, status });
      if (saved.detail) {
        client.setQueryData<MomentDetail>(momentKeys.detail(id), {
          ...saved.detail,
          status,
          review: { by: request.editor, at: Date.now(), reason: request.reason ?? null },
        });
      }
      return saved;
    },
    onError: (_error, { id }, saved) => restore(client, id, saved),
    onSuccess: (detail, { id }) => settle(client, id, detail),
  });
}

export interface VersionVariables {
  id: string;
  request: VersionRequest;
}

export function useSaveVersion() {
  const client = useQueryClient();
  return useMutation<MomentDetail, Error, VersionVariables, Snapshot>({
    mutationFn: ({ id, request }) =>
      postJson<MomentDetail>(`/api/moments/${id}/versions`, request, "The new version was not saved"),
    onMutate: async ({ id, request }) => {
      const saved = await snapshot(client, id);
      const text = {
        headline: request.headline,
        description: request.description,
        clipIn: request.clipIn,
        clipOut: request.clipOut,
      };
      const summary = findSummary(client, id);
      if (summary) applyMomentToInboxes(client, { ...summary, headline: request.headline });
      if (saved.detail) {
        const version = saved.detail.version + 1;
        client.setQueryData<MomentDetail>(momentKeys.detail(id), {
          ...saved.detail,
          headline: request.headline,
          current: text,
          version,
          versions: [
            ...saved.detail.versions,
            { ...text, version, editor: request.editor, note: request.note ?? null, createdAt: Date.now() },
          ],
        });
      }
      return saved;
    },
    onError: (_error, { id }, saved) => restore(client, id, saved),
    onSuccess: (detail, { id }) => settle(client, id, detail),
  });
}
