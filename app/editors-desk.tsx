"use client";
// The editors' desk for the focused country: its chart (passed in), the moment inbox beside it and the open
// moment's panel below it; keyboard triage (j/k move, a approve, r reject, e edit); the editor's name asked
// once; reviews and edits sent as optimistic mutations whose refusals are shown, not swallowed.
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { ConnectionState } from "../components/connection-badge";
import type { InboxFilter } from "../components/inbox-cache";
import { minutesOf, MomentInbox, type InboxFilters } from "../components/moment-inbox";
import { MomentPanel, type VersionEdit } from "../components/moment-panel";
import { PromptDialog } from "../components/prompt-dialog";
import { statusLook } from "../components/status-colors";
import { canTransition } from "../server/moments/moment-status";
import type { MomentSummary } from "../server/moments/moment-views";
import { useEditorName } from "./use-editor-name";
import { useMomentDetail, useMomentInbox, useReviewMoment, useSaveVersion } from "./use-moments";

/** Moments of the chart's country, for its peak markers: every status and time, newest first. */
const MARKER_LIMIT = 200;

export interface DeskChartProps {
  momentsByCandidate: Map<string, MomentSummary>;
  openMomentId: string | undefined;
  onOpenMoment: (id: string) => void;
}

type Dialog = { kind: "reject"; id: string } | { kind: "editor"; then?: (editor: string) => void };

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function EditorsDesk(props: {
  country: { code: string; name: string };
  sportNames: Record<string, string>;
  countryNames: Record<string, string>;
  connection: ConnectionState;
  chart: (deskProps: DeskChartProps) => ReactNode;
}) {
  const { country } = props;
  const [filters, setFilters] = useState<InboxFilters>({ sport: "", status: "", time: "any" });
  const [timeFrom, setTimeFrom] = useState<number>();
  const filter = useMemo((): InboxFilter => {
    const value: InboxFilter = { country: country.code, limit: MARKER_LIMIT };
    if (filters.sport) value.sport = filters.sport;
    if (filters.status) value.status = filters.status;
    if (timeFrom !== undefined && filters.time !== "any") value.from = timeFrom;
    return value;
  }, [country.code, filters, timeFrom]);
  const inbox = useMomentInbox(filter);
  const all = useMomentInbox({ country: country.code, limit: MARKER_LIMIT });
  const [selectedId, setSelectedId] = useState<string>();
  const detail = useMomentDetail(selectedId);
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<Dialog>();
  const [notice, setNotice] = useState<string>();
  const [editor, setEditor] = useEditorName();
  const review = useReviewMoment();
  const saveVersion = useSaveVersion();
  const panelRef = useRef<HTMLDivElement>(null);

  const momentsByCandidate = useMemo(
    () => new Map((all.data?.moments ?? []).map((moment) => [moment.candidateId, moment])),
    [all.data],
  );
  const moments = useMemo(() => inbox.data?.moments ?? [], [inbox.data]);
  const statusOf = (id: string) =>
    (detail.data?.id === id ? detail.data.status : undefined) ??
    moments.find((moment) => moment.id === id)?.status ??
    all.data?.moments.find((moment) => moment.id === id)?.status;

  const open = (id: string) => {
    if (id !== selectedId) setEditing(false);
    setSelectedId(id);
  };
  const withEditor = (then: (name: string) => void) => {
    if (editor) then(editor);
    else setDialog({ kind: "editor", then });
  };
  const approve = (id: string) => {
    const status = statusOf(id);
    if (status && !canTransition(status, "approved")) {
      setNotice(`This moment cannot be approved: it is ${statusLook(status).label.toLowerCase()}.`);
      return;
    }
    withEditor((name) => {
      setNotice(undefined);
      review.mutate(
        { id, request: { action: "approve", editor: name } },
        { onError: (error) => setNotice(`${error.message}. The moment is back as it was.`) },
      );
    });
  };
  const askReject = (id: string) => {
    const status = statusOf(id);
    if (status && !canTransition(status, "rejected")) {
      setNotice(`This moment cannot be rejected: it is ${statusLook(status).label.toLowerCase()}.`);
      return;
    }
    withEditor(() => setDialog({ kind: "reject", id }));
  };
  const reject = (id: string, reason: string) => {
    setDialog(undefined);
    withEditor((name) => {
      setNotice(undefined);
      review.mutate(
        { id, request: { action: "reject", editor: name, reason } },
        { onError: (error) => setNotice(`${error.message}. The moment is back as it was.`) },
      );
    });
  };
  const save = (id: string, edit: VersionEdit) =>
    withEditor((name) => {
      setNotice(undefined);
      saveVersion.mutate(
        { id, request: { ...edit, editor: name } },
        {
          onSuccess: () => setEditing(false),
          onError: (error) => setNotice(`${error.message}. Your edit was not kept.`),
        },
      );
    });

  // The latest state and actions, for the document-wide key handler (bound once) and for callbacks that stay
  // the same object across renders, so the memoised inbox and panel skip the live view's ticks.
  const latest = {
    moments,
    selectedId,
    dialog,
    filters,
    open,
    approve,
    askReject,
    save,
    refetch: inbox.refetch,
  };
  const keys = useRef(latest);
  keys.current = latest;
  const stable = useMemo(
    () => ({
      open: (id: string) => keys.current.open(id),
      approve: (id: string) => keys.current.approve(id),
      askReject: (id: string) => keys.current.askReject(id),
      save: (id: string, edit: VersionEdit) => keys.current.save(id, edit),
      close: () => {
        setSelectedId(undefined);
        setEditing(false);
      },
      retry: () => void keys.current.refetch(),
      dismissNotice: () => setNotice(undefined),
      askEditor: () => setDialog({ kind: "editor" }),
      filter: (next: InboxFilters) => {
        if (next.time !== keys.current.filters.time) {
          const minutes = minutesOf(next.time);
          setTimeFrom(minutes === undefined ? undefined : Date.now() - minutes * 60_000);
        }
        setFilters(next);
      },
    }),
    [],
  );
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const state = keys.current;
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (state.dialog || typingIn(event.target)) return;
      const index = state.moments.findIndex((moment) => moment.id === state.selectedId);
      if (event.key === "j" || event.key === "k") {
        const next = state.moments[event.key === "j" ? index + 1 : index < 0 ? 0 : Math.max(0, index - 1)];
        if (next) state.open(next.id);
      } else if (event.key === "a" && state.selectedId) {
        state.approve(state.selectedId);
      } else if (event.key === "r" && state.selectedId) {
        state.askReject(state.selectedId);
      } else if (event.key === "e" && state.selectedId) {
        setEditing(true);
        panelRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
      } else {
        return;
      }
      event.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <div className="mb-6 grid gap-4 lg:grid-cols-[minmax(0,1fr)_340px] xl:grid-cols-[minmax(0,1fr)_380px] min-[1800px]:grid-cols-[minmax(0,1fr)_460px]">
      <div className="flex min-w-0 flex-col gap-4">
        {props.chart({ momentsByCandidate, openMomentId: selectedId, onOpenMoment: stable.open })}
        <div ref={panelRef} className="scroll-mt-4">
          {selectedId && detail.isPending && (
            <p role="status" className="rounded-lg border border-slate-800 p-6 text-sm text-slate-400">
              Loading the moment…
            </p>
          )}
          {selectedId && detail.error && (
            <div
              role="alert"
              className="flex items-center gap-3 rounded-lg border border-rose-800 p-4 text-sm text-rose-200"
            >
              <p className="flex-1">{detail.error.message}.</p>
              <button
                type="button"
                onClick={() => void detail.refetch()}
                className="rounded border border-rose-700 px-3 py-1 hover:bg-rose-950"
              >
                Try again
              </button>
              <button
                type="button"
                onClick={() => setSelectedId(undefined)}
                className="rounded px-2 py-1 hover:bg-rose-950"
              >
                Close
              </button>
            </div>
          )}
          {selectedId && detail.data && (
            <MomentPanel
              // A new current text (an edit saved, the agents' description arriving) starts a fresh draft.
              key={[detail.data.id, detail.data.version, ...Object.values(detail.data.current)].join("|")}
              detail={detail.data}
              sportNames={props.sportNames}
              countryNames={props.countryNames}
              editing={editing}
              onEditing={setEditing}
              onApprove={stable.approve}
              onReject={stable.askReject}
              onSaveVersion={stable.save}
              busy={review.isPending || saveVersion.isPending}
              onClose={stable.close}
            />
          )}
          {!selectedId && (moments.length > 0 || momentsByCandidate.size > 0) && (
            <p className="rounded-lg border border-dashed border-slate-800 p-4 text-sm text-slate-500">
              Pick a moment in the inbox (or press <kbd>j</kbd>), or click a peak marker on the chart, to read
              it, check its clip and approve or reject it.
            </p>
          )}
        </div>
      </div>
      <MomentInbox
        countryName={country.name}
        sportNames={props.sportNames}
        filters={filters}
        onFilters={stable.filter}
        inbox={inbox.data}
        loading={inbox.isPending}
        error={inbox.error}
        onRetry={stable.retry}
        selectedId={selectedId}
        onSelect={stable.open}
        connection={props.connection}
        notice={notice}
        onDismissNotice={stable.dismissNotice}
        editor={editor}
        onChangeEditor={stable.askEditor}
      />
      {dialog?.kind === "reject" && (
        <PromptDialog
          title="Reject this moment"
          label="Reason for rejecting"
          description="Say why, so the agents' owners and other editors can learn from it."
          multiline
          minLength={3}
          tooShort="Give a reason (at least 3 characters) to reject the moment."
          submitLabel="Reject"
          onSubmit={(reason) => reject(dialog.id, reason)}
          onCancel={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === "editor" && (
        <PromptDialog
          title="Who is reviewing?"
          label="Your name"
          description="Your name is recorded with every approval, rejection and edit. It is remembered in this browser."
          initial={editor}
          minLength={1}
          tooShort="Enter your name."
          submitLabel="Continue"
          onSubmit={(name) => {
            setEditor(name);
            setDialog(undefined);
            dialog.then?.(name);
          }}
          onCancel={() => setDialog(undefined)}
        />
      )}
    </div>
  );
}
