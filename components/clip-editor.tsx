"use client";
// The clip's in/out points as broadcast timecodes: typed, or dragged on the timeline, and copied to the
// clipboard for the video editor.
import { useMemo, useState } from "react";
import type { MomentDetail } from "../server/moments/moment-views";
import { clipClock, formatTimecode, parseTimecode } from "./clip-clock";
import { ClipTimeline } from "./clip-timeline";

export interface ClipText {
  clipIn: string;
  clipOut: string;
}

export function ClipEditor(props: {
  detail: MomentDetail;
  clip: ClipText;
  onClip: (clip: ClipText) => void;
  timelineHeight?: number;
}) {
  const { detail, clip, onClip } = props;
  const [copied, setCopied] = useState<string>();
  const clock = useMemo(
    () => clipClock(detail.evidence, detail.clip.broadcastStart, detail.clip.sessionId),
    [detail.evidence, detail.clip.broadcastStart, detail.clip.sessionId],
  );
  const inSeconds = parseTimecode(clip.clipIn);
  const outSeconds = parseTimecode(clip.clipOut);
  const problem =
    (clip.clipIn && inSeconds === undefined) || (clip.clipOut && outSeconds === undefined)
      ? "Timecodes are HH:MM:SS, such as 00:41:55."
      : inSeconds !== undefined && outSeconds !== undefined && inSeconds >= outSeconds
        ? "The in point must come before the out point."
        : undefined;
  const savedIn = parseTimecode(detail.current.clipIn ?? "");
  const savedOut = parseTimecode(detail.current.clipOut ?? "");

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(`${clip.clipIn}\t${clip.clipOut}`);
      setCopied(`Copied ${clip.clipIn} – ${clip.clipOut}`);
    } catch (error) {
      setCopied(`Could not copy: ${(error as Error).message}`);
    }
  };
  const input =
    "w-[6.5rem] rounded border border-slate-700 bg-slate-950 px-2 py-1 font-mono text-sm tabular-nums aria-[invalid=true]:border-rose-500";
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-2 text-slate-300">
          In
          <input
            aria-label="Clip in"
            className={input}
            placeholder="HH:MM:SS"
            value={clip.clipIn}
            aria-invalid={clip.clipIn !== "" && inSeconds === undefined}
            onChange={(event) => onClip({ ...clip, clipIn: event.target.value })}
          />
        </label>
        <label className="flex items-center gap-2 text-slate-300">
          Out
          <input
            aria-label="Clip out"
            className={input}
            placeholder="HH:MM:SS"
            value={clip.clipOut}
            aria-invalid={clip.clipOut !== "" && outSeconds === undefined}
            onChange={(event) => onClip({ ...clip, clipOut: event.target.value })}
          />
        </label>
        {inSeconds !== undefined && outSeconds !== undefined && outSeconds > inSeconds && (
          <span className="text-xs text-slate-400">{outSeconds - inSeconds} s of broadcast</span>
        )}
        <button
          type="button"
          onClick={() => void copy()}
          disabled={inSeconds === undefined || outSeconds === undefined}
          className="rounded border border-slate-600 px-2 py-1 text-sm hover:bg-slate-800 disabled:opacity-40"
        >
          Copy in/out
        </button>
        {copied && (
          <span role="status" className="text-xs text-slate-400">
            {copied}
          </span>
        )}
      </div>
      {problem && (
        <p role="alert" className="text-sm text-rose-300">
          {problem}
        </p>
      )}
      {detail.clip.reason && <p className="text-xs text-slate-400">Why these points: {detail.clip.reason}</p>}
      {detail.traffic.length === 0 ? (
        <p className="text-sm text-slate-500">No traffic stored around this peak.</p>
      ) : (
        <ClipTimeline
          traffic={detail.traffic}
          evidence={detail.evidence}
          peakAt={detail.peakAt}
          clock={clock}
          saved={{ in: savedIn, out: savedOut }}
          clip={{ in: inSeconds, out: outSeconds }}
          onClip={(next) =>
            onClip({
              clipIn: next.in !== undefined ? formatTimecode(next.in) : clip.clipIn,
              clipOut: next.out !== undefined ? formatTimecode(next.out) : clip.clipOut,
            })
          }
          height={props.timelineHeight}
        />
      )}
      {!clock && (
        <p className="text-xs text-slate-500">
          The in/out points cannot be drawn: no play-by-play or broadcast start places this session on the
          clock.
        </p>
      )}
    </div>
  );
}
