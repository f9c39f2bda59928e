"use client";
// One moment, for an editor to judge: headline and description (editable as a new version), the human story
// with the stories it cites, why the scorer found it interesting, its markets, the play-by-play evidence, the
// clip timeline, and its history. Text the offline provider wrote is marked as not written by a model.
import { memo, useState } from "react";
import { canTransition } from "../server/moments/moment-status";
import { versionRequestSchema, type MomentDetail, type VersionRequest } from "../server/moments/moment-views";
import { ClipEditor, type ClipText } from "./clip-editor";
import { MomentEvidence, MomentStory, SectionHeading } from "./moment-facts";
import { MomentHistory } from "./moment-history";
import { statusLook } from "./status-colors";

export type VersionEdit = Omit<VersionRequest, "editor">;

export interface MomentPanelProps {
  detail: MomentDetail;
  sportNames: Record<string, string>;
  countryNames: Record<string, string>;
  editing: boolean;
  onEditing: (editing: boolean) => void;
  onApprove: (id: string) => void;
  onReject: (id: string) => void;
  onSaveVersion: (id: string, edit: VersionEdit) => void;
  busy: boolean;
  onClose: () => void;
}

const when = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, signDisplay: "always" });

const Heading = SectionHeading;

/** Memoised: the live view re-renders every second, the panel only when its moment or the desk changes. */
export const MomentPanel = memo(function MomentPanel(props: MomentPanelProps) {
  const { detail, sportNames, countryNames, editing } = props;
  const look = statusLook(detail.status);
  const [text, setText] = useState({
    headline: detail.current.headline ?? "",
    description: detail.current.description ?? "",
    note: "",
  });
  const [clip, setClip] = useState<ClipText>({
    clipIn: detail.current.clipIn ?? "",
    clipOut: detail.current.clipOut ?? "",
  });
  const [problems, setProblems] = useState<string[]>([]);
  const clipChanged =
    clip.clipIn !== (detail.current.clipIn ?? "") || clip.clipOut !== (detail.current.clipOut ?? "");
  const textChanged =
    text.headline !== (detail.current.headline ?? "") ||
    text.description !== (detail.current.description ?? "");
  const offline = detail.generatedBy === "offline" && detail.version === 0;
  const sport = sportNames[detail.sport] ?? detail.sport;

  const save = () => {
    const edit: VersionEdit = {
      headline: text.headline,
      description: text.description,
      clipIn: clip.clipIn.trim() || null,
      clipOut: clip.clipOut.trim() || null,
      ...(text.note.trim() ? { note: text.note.trim() } : {}),
    };
    const checked = versionRequestSchema.safeParse({ ...edit, editor: "editor" });
    if (!checked.success) {
      setProblems(checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
      return;
    }
    setProblems([]);
    props.onSaveVersion(detail.id, edit);
  };
  const cancel = () => {
    setText({
      headline: detail.current.headline ?? "",
      description: detail.current.description ?? "",
      note: "",
    });
    setClip({ clipIn: detail.current.clipIn ?? "", clipOut: detail.current.clipOut ?? "" });
    setProblems([]);
    props.onEditing(false);
  };

  const button = "rounded px-3 py-1 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-40";
  const field = "w-full rounded border border-slate-600 bg-slate-950 px-2 py-1.5 text-sm text-slate-100";
  return (
    <section
      aria-label="Moment details"
      data-moment-id={detail.id}
      data-status={detail.status}
      data-version={detail.version}
      className="flex flex-col gap-4 rounded-lg border border-slate-700 bg-slate-950/80 p-4"
    >
      <header className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-x-2 text-xs text-slate-400">
            <span className="flex items-center gap-1.5 font-medium" style={{ color: look.color }}>
              <span className="h-2.5 w-2.5 rounded-full" style={{ background: look.color }} />
              {look.label}
            </span>
            <span>
              {sport} · {countryNames[detail.country] ?? detail.country} · peak {when.format(detail.peakAt)} ·{" "}
              {percent.format(detail.upliftPct)}%
            </span>
            {detail.version > 0 && <span className="text-sky-300">edited · v{detail.version}</span>}
          </p>
          <h3 className="mt-1 text-lg leading-snug font-semibold">
            {detail.current.headline ?? "Not described yet"}
          </h3>
          {offline && (
            <p className="mt-1 inline-block rounded border border-amber-500/50 bg-amber-500/10 px-2 py-0.5 text-xs text-amber-200">
              Offline text — not written by a model
            </p>
          )}
          {detail.review && (
            <p className="mt-1 text-xs text-slate-300">
              {detail.status === "rejected" ? "Rejected" : "Approved"} by {detail.review.by} at{" "}
              {clock.format(detail.review.at)}
              {detail.review.reason && ` — “${detail.review.reason}”`}
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            onClick={() => props.onApprove(detail.id)}
            disabled={props.busy || !canTransition(detail.status, "approved")}
            title="Approve (a)"
            className={`${button} bg-emerald-600 text-white hover:bg-emerald-500`}
          >
            Approve
          </button>
          <button
            type="button"
            onClick={() => props.onReject(detail.id)}
            disabled={props.busy || !canTransition(detail.status, "rejected")}
            title="Reject (r)"
            className={`${button} bg-rose-700 text-white hover:bg-rose-600`}
          >
            Reject
          </button>
          <button
            type="button"
            aria-pressed={editing}
            onClick={() => (editing ? cancel() : props.onEditing(true))}
            title="Edit (e)"
            className={`${button} border border-slate-600 text-slate-200 hover:bg-slate-800`}
          >
            Edit
          </button>
          <button
            type="button"
            aria-label="Close moment details"
            onClick={props.onClose}
            className="rounded px-2 py-1 text-slate-400 hover:bg-slate-800 hover:text-white"
          >
            ✕
          </button>
        </div>
      </header>

      <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="flex flex-col gap-3">
          {editing ? (
            <div className="flex flex-col gap-2">
              <label className="flex flex-col gap-1 text-sm text-slate-300">
                Headline
                <input
                  autoFocus
                  className={field}
                  value={text.headline}
                  onChange={(event) => setText({ ...text, headline: event.target.value })}
                />
              </label>
              <label className="flex flex-col gap-1 text-sm text-slate-300">
                Description
                <textarea
                  rows={4}
                  className={field}
                  value={text.description}
                  onChange={(event) => setText({ ...text, description: event.target.value })}
                />
              </label>
              <label className="flex flex-col gap-1 text-sm text-slate-300">
                Note for this version (optional)
                <input
                  className={field}
                  value={text.note}
                  onChange={(event) => setText({ ...text, note: event.target.value })}
                />
              </label>
            </div>
          ) : (
            <div>
              <Heading>Description</Heading>
              <p className="text-sm leading-relaxed">
                {detail.current.description ?? (
                  <span className="text-slate-500">The agents have not described this moment yet.</span>
                )}
              </p>
            </div>
          )}
          <MomentStory detail={detail} />
        </div>
        <div className="flex flex-col gap-3">
          <MomentEvidence detail={detail} countryNames={countryNames} />
        </div>
      </div>

      <div>
        <Heading>Clip</Heading>
        <ClipEditor detail={detail} clip={clip} onClip={setClip} />
      </div>

      {(editing || clipChanged || textChanged) && (
        <div className="flex flex-wrap items-center gap-2 rounded border border-sky-800 bg-sky-950/40 p-2">
          <span className="text-sm text-sky-100">
            Unsaved changes are kept as version {detail.version + 1}, beside the agents’ text.
          </span>
          <button
            type="button"
            onClick={save}
            disabled={props.busy}
            className={`${button} ml-auto bg-sky-600 text-white hover:bg-sky-500`}
          >
            Save as new version
          </button>
          <button
            type="button"
            onClick={cancel}
            className={`${button} border border-slate-600 text-slate-200 hover:bg-slate-800`}
          >
            Discard changes
          </button>
          {problems.length > 0 && (
            <ul role="alert" className="w-full text-sm text-rose-300">
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <MomentHistory detail={detail} />
    </section>
  );
});
