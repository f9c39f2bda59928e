"use client";
// The moment inbox of one country: newest first, filtered by sport, status and time, with counts per status,
// the live feed's state and the keyboard triage keys. Selecting a row opens the moment in the panel.
import { memo, useEffect, useRef } from "react";
import { MOMENT_STATUSES, type MomentStatus } from "../server/moments/moment-status";
import type { MomentInbox as Inbox } from "../server/moments/moment-views";
import { ConnectionBadge, type ConnectionState } from "./connection-badge";
import { statusLook } from "./status-colors";

export type InboxTime = "any" | "30m" | "2h" | "day";
const TIME_CHOICES: { choice: InboxTime; label: string; minutes?: number }[] = [
  { choice: "any", label: "Any time" },
  { choice: "30m", label: "Last 30 min", minutes: 30 },
  { choice: "2h", label: "Last 2 h", minutes: 120 },
  { choice: "day", label: "Last day", minutes: 1_440 },
];

export function minutesOf(time: InboxTime): number | undefined {
  return TIME_CHOICES.find((option) => option.choice === time)?.minutes;
}

export interface InboxFilters {
  sport: string;
  status: MomentStatus | "";
  time: InboxTime;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, signDisplay: "always" });

export interface MomentInboxProps {
  countryName: string;
  sportNames: Record<string, string>;
  filters: InboxFilters;
  onFilters: (filters: InboxFilters) => void;
  inbox: Inbox | undefined;
  loading: boolean;
  error: Error | null;
  onRetry: () => void;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  connection: ConnectionState;
  notice: string | undefined;
  onDismissNotice: () => void;
  editor: string;
  onChangeEditor: () => void;
}

/** Memoised: the live view re-renders every second, the inbox only when its moments or filters change. */
export const MomentInbox = memo(function MomentInbox(props: MomentInboxProps) {
  const { filters, onFilters, selectedId, sportNames } = props;
  const inbox = { data: props.inbox, isPending: props.loading, error: props.error, refetch: props.onRetry };
  const listRef = useRef<HTMLUListElement>(null);
  const moments = inbox.data?.moments ?? [];
  const counts = inbox.data?.counts;
  const total = counts ? Object.values(counts).reduce((sum, count) => sum + count, 0) : undefined;

  useEffect(() => {
    if (!selectedId) return;
    listRef.current
      ?.querySelector(`[data-moment-id="${CSS.escape(selectedId)}"]`)
      ?.scrollIntoView({ block: "nearest" });
  }, [selectedId]);

  const select = "rounded border border-slate-700 bg-slate-900 px-2 py-1 text-sm";
  return (
    <section
      aria-label={`Moment inbox for ${props.countryName}`}
      className="flex max-h-[calc(100vh-2rem)] min-h-[320px] flex-col rounded-lg border border-slate-800 bg-slate-900/60 lg:sticky lg:top-4"
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-800 p-3">
        <h2 className="text-lg font-semibold">Moments</h2>
        <span className="text-sm text-slate-400">in {props.countryName}</span>
        <span className="ml-auto">
          <ConnectionBadge state={props.connection} subject="Moments feed" />
        </span>
        <div className="flex w-full flex-wrap items-center gap-2">
          <select
            aria-label="Filter by sport"
            className={select}
            value={filters.sport}
            onChange={(event) => onFilters({ ...filters, sport: event.target.value })}
          >
            <option value="">All sports</option>
            {Object.entries(sportNames).map(([slug, name]) => (
              <option key={slug} value={slug}>
                {name}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter by time"
            className={select}
            value={filters.time}
            onChange={(event) => onFilters({ ...filters, time: event.target.value as InboxTime })}
          >
            {TIME_CHOICES.map((option) => (
              <option key={option.choice} value={option.choice}>
                {option.label}
              </option>
            ))}
          </select>
          <span className="ml-auto text-xs text-slate-400">
            Editor:{" "}
            <button
              type="button"
              aria-label={props.editor ? `Editor: ${props.editor} (change)` : "Say who you are"}
              onClick={props.onChangeEditor}
              className="rounded px-1 text-slate-200 underline decoration-dotted hover:bg-slate-800"
            >
              {props.editor || "not set"}
            </button>
          </span>
        </div>
        <div role="group" aria-label="Filter by status" className="flex w-full flex-wrap gap-1">
          <StatusChip
            label="All"
            count={total}
            pressed={filters.status === ""}
            onClick={() => onFilters({ ...filters, status: "" })}
          />
          {MOMENT_STATUSES.map((status) => (
            <StatusChip
              key={status}
              label={statusLook(status).label}
              color={statusLook(status).color}
              count={counts?.[status]}
              pressed={filters.status === status}
              onClick={() => onFilters({ ...filters, status: filters.status === status ? "" : status })}
            />
          ))}
        </div>
      </div>

      {props.notice && (
        <div
          role="alert"
          className="m-3 mb-0 flex items-start gap-2 rounded border border-rose-700 bg-rose-950 p-2 text-sm text-rose-100"
        >
          <p className="flex-1">{props.notice}</p>
          <button
            type="button"
            aria-label="Dismiss the error"
            onClick={props.onDismissNotice}
            className="rounded px-1 hover:bg-rose-900"
          >
            ✕
          </button>
        </div>
      )}

      {inbox.isPending && (
        <p role="status" className="p-4 text-sm text-slate-400">
          Loading moments for {props.countryName}…
        </p>
      )}
      {inbox.error && (
        <div role="alert" className="m-3 flex flex-col gap-2 text-sm text-rose-200">
          <p>{inbox.error.message}. The inbox could not be read.</p>
          <button
            type="button"
            onClick={inbox.refetch}
            className="self-start rounded border border-rose-700 px-3 py-1 hover:bg-rose-950"
          >
            Try again
          </button>
        </div>
      )}
      {inbox.data && moments.length === 0 && (
        <p className="p-4 text-sm text-slate-400">
          {filters.sport || filters.status || filters.time !== "any"
            ? "No moment matches these filters."
            : `No moments in ${props.countryName} yet. They appear here as soon as the agents score a peak.`}
        </p>
      )}
      {moments.length > 0 && (
        <ul
          ref={listRef}
          role="listbox"
          aria-label="Moments"
          aria-activedescendant={selectedId ? `moment-row-${selectedId}` : undefined}
          tabIndex={0}
          className="min-h-0 flex-1 overflow-y-auto p-1 outline-none focus-visible:ring-1 focus-visible:ring-amber-400"
        >
          {moments.map((moment) => {
            const look = statusLook(moment.status);
            const selected = moment.id === selectedId;
            return (
              <li
                key={moment.id}
                id={`moment-row-${moment.id}`}
                role="option"
                aria-selected={selected}
                data-moment-id={moment.id}
                data-status={moment.status}
                onClick={() => props.onSelect(moment.id)}
                className={`cursor-pointer rounded border-l-4 px-2 py-1.5 text-sm ${
                  selected ? "bg-slate-800" : "hover:bg-slate-800/50"
                }`}
                style={{ borderLeftColor: look.color }}
              >
                <div className="flex items-baseline gap-2 text-xs text-slate-400">
                  <span className="tabular-nums">{clock.format(moment.peakAt)}</span>
                  <span>{sportNames[moment.sport] ?? moment.sport}</span>
                  <span className="tabular-nums">{percent.format(moment.upliftPct)}%</span>
                  <span className="ml-auto" style={{ color: look.color }}>
                    {look.label}
                  </span>
                </div>
                <div className={moment.headline ? "text-slate-100" : "text-slate-500 italic"}>
                  {moment.headline ??
                    (moment.status === "not_interesting"
                      ? "Scored not interesting — no description"
                      : "Not described yet")}
                </div>
                {((moment.generatedBy === "offline" && moment.headline) || moment.version > 0) && (
                  <div className="mt-0.5 flex gap-2 text-[11px]">
                    {moment.generatedBy === "offline" && moment.version === 0 && moment.headline && (
                      <span className="text-amber-300/80">offline text</span>
                    )}
                    {moment.version > 0 && (
                      <span className="text-sky-300/80">edited (v{moment.version})</span>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p className="border-t border-slate-800 px-3 py-1.5 text-xs text-slate-500">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> approve · <kbd>r</kbd> reject · <kbd>e</kbd> edit
      </p>
    </section>
  );
});

function StatusChip(props: {
  label: string;
  color?: string;
  count: number | undefined;
  pressed: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      aria-pressed={props.pressed}
      aria-label={`${props.label}: ${props.count ?? "…"}`}
      onClick={props.onClick}
      className={`flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs ${
        props.pressed
          ? "border-slate-400 bg-slate-700 text-white"
          : "border-slate-700 text-slate-300 hover:bg-slate-800"
      }`}
    >
      {props.color && <span className="h-2 w-2 rounded-full" style={{ background: props.color }} />}
      {props.label}
      <span className="tabular-nums text-slate-400">{props.count ?? "…"}</span>
    </button>
  );
}
