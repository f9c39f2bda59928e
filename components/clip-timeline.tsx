"use client";
// The clip timeline of a moment: the lead market's traffic and its expected level around the peak, the
// play-by-play events above it, and the clip's in/out points as handles that can be dragged (or moved with the
// arrow keys) along the wall clock, which the session's clock turns back into broadcast timecodes.
import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import type { EvidenceEvent } from "../server/moments/moment-views";
import type { ClipClock } from "./clip-clock";
import { formatTimecode } from "./clip-clock";

export interface ClipPoints {
  /** Broadcast seconds; undefined while not set. */
  in: number | undefined;
  out: number | undefined;
}

export interface ClipTimelineProps {
  traffic: { bucketStart: number; actions: number; expected: number | null }[];
  evidence: EvidenceEvent[];
  peakAt: number;
  clock: ClipClock | undefined;
  /** The saved clip, which the default view is framed around (kept still while a handle is dragged). */
  saved: ClipPoints;
  clip: ClipPoints;
  onClip: (clip: ClipPoints) => void;
  height?: number;
}

const clockFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const MARGIN = { left: 44, right: 14, lane: 34, bottom: 22 };

function bucketMsOf(traffic: ClipTimelineProps["traffic"]): number {
  const second = traffic[1];
  const first = traffic[0];
  return first && second ? Math.max(1_000, second.bucketStart - first.bucketStart) : 10_000;
}

export function ClipTimeline(props: ClipTimelineProps) {
  const { traffic, evidence, peakAt, clock, saved, clip, onClip } = props;
  const [width, setWidth] = useState(640);
  // Taller on wide screens, so the traffic's shape stays readable.
  const height = props.height ?? Math.round(Math.min(320, Math.max(200, width * 0.16)));
  const boxRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [whole20, setWhole20] = useState(false);
  const [dragging, setDragging] = useState<"in" | "out">();

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.floor(entry.contentRect.width)));
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  const bucketMs = bucketMsOf(traffic);
  const savedIn = saved.in !== undefined && clock ? clock.toWall(saved.in) : undefined;
  const savedOut = saved.out !== undefined && clock ? clock.toWall(saved.out) : undefined;
  const domain = useMemo((): [number, number] => {
    const first = traffic[0]?.bucketStart ?? peakAt - 600_000;
    const last = (traffic[traffic.length - 1]?.bucketStart ?? peakAt + 600_000) + bucketMs;
    if (whole20) return [Math.min(first, savedIn ?? first), Math.max(last, savedOut ?? last)];
    // Around the clip and the peak, with room either side to move the points.
    const from = Math.min(savedIn ?? peakAt, peakAt);
    const to = Math.max(savedOut ?? peakAt + bucketMs, peakAt + bucketMs);
    const pad = Math.max(to - from, 6 * bucketMs);
    return [from - pad, to + pad];
  }, [traffic, peakAt, bucketMs, savedIn, savedOut, whole20]);

  const plotTop = MARGIN.lane;
  const plotBottom = height - MARGIN.bottom;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const x = (ms: number) => MARGIN.left + ((ms - domain[0]) / (domain[1] - domain[0])) * plotWidth;
  const msAt = (px: number) => domain[0] + ((px - MARGIN.left) / plotWidth) * (domain[1] - domain[0]);

  const visible = traffic.filter(
    (bucket) => bucket.bucketStart + bucketMs >= domain[0] && bucket.bucketStart <= domain[1],
  );
  const maxY = Math.max(1, ...visible.map((bucket) => Math.max(bucket.actions, bucket.expected ?? 0))) * 1.1;
  const y = (value: number) => plotBottom - (value / maxY) * (plotBottom - plotTop);
  const mid = (bucket: { bucketStart: number }) => x(bucket.bucketStart + bucketMs / 2);
  const actionsPath = visible.map(
    (b, i) => `${i ? "L" : "M"}${mid(b).toFixed(1)},${y(b.actions).toFixed(1)}`,
  );
  const expectedPoints = visible.filter((b) => b.expected !== null);
  const expectedPath = expectedPoints.map(
    (b, i) => `${i ? "L" : "M"}${mid(b).toFixed(1)},${y(b.expected!).toFixed(1)}`,
  );
  const shownEvents = evidence.filter(
    (event) => event.occurredAt >= domain[0] && event.occurredAt <= domain[1],
  );
  const ticks = useMemo(() => {
    const count = Math.max(2, Math.floor(plotWidth / 110));
    return Array.from({ length: count + 1 }, (_, i) => domain[0] + ((domain[1] - domain[0]) * i) / count);
  }, [domain, plotWidth]);

  const inWall = clip.in !== undefined && clock ? clock.toWall(clip.in) : undefined;
  const outWall = clip.out !== undefined && clock ? clock.toWall(clip.out) : undefined;

  const move = (which: "in" | "out", seconds: number) => {
    const rounded = Math.max(0, Math.round(seconds));
    if (which === "in")
      onClip({ ...clip, in: clip.out !== undefined ? Math.min(rounded, clip.out - 1) : rounded });
    else onClip({ ...clip, out: clip.in !== undefined ? Math.max(rounded, clip.in + 1) : rounded });
  };
  const onPointerMove = (event: ReactPointerEvent<SVGSVGElement>) => {
    if (!dragging || !clock || !svgRef.current) return;
    const box = svgRef.current.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * width;
    const wall = Math.min(domain[1], Math.max(domain[0], msAt(px)));
    move(dragging, clock.toSeconds(wall));
  };

  const handle = (which: "in" | "out", wall: number | undefined, seconds: number | undefined) => {
    if (wall === undefined || seconds === undefined || !clock) return null;
    const px = Math.min(width - MARGIN.right, Math.max(MARGIN.left, x(wall)));
    const label = which === "in" ? "Clip in handle" : "Clip out handle";
    const knobX = which === "in" ? px - 30 : px;
    return (
      <g
        role="slider"
        tabIndex={0}
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={99 * 3_600}
        aria-valuenow={seconds}
        aria-valuetext={formatTimecode(seconds)}
        aria-orientation="horizontal"
        className="cursor-ew-resize outline-none [&:focus-visible_rect]:stroke-white"
        onPointerDown={(event) => {
          event.preventDefault();
          svgRef.current?.setPointerCapture(event.pointerId);
          setDragging(which);
        }}
        onKeyDown={(event) => {
          const step = event.shiftKey ? 10 : 1;
          if (event.key === "ArrowLeft" || event.key === "ArrowDown") move(which, seconds - step);
          else if (event.key === "ArrowRight" || event.key === "ArrowUp") move(which, seconds + step);
          else return;
          event.preventDefault();
        }}
      >
        <line x1={px} x2={px} y1={plotTop - 14} y2={plotBottom} stroke="#fbbf24" strokeWidth={2} />
        <rect x={knobX} y={plotTop - 30} width={30} height={16} rx={3} fill="#fbbf24" stroke="#0f172a" />
        <text
          x={knobX + 15}
          y={plotTop - 18.5}
          textAnchor="middle"
          fontSize={10}
          fontWeight={600}
          fill="#0f172a"
        >
          {which === "in" ? "IN" : "OUT"}
        </text>
        {/* A wide invisible grip makes the handle easy to catch. */}
        <rect x={px - 8} y={plotTop - 30} width={16} height={plotBottom - plotTop + 30} fill="transparent" />
      </g>
    );
  };

  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-3 text-xs text-slate-400">
        <span className="flex items-center gap-1">
          <span className="inline-block h-0.5 w-4 bg-sky-400" /> Actions per {bucketMs / 1_000} s
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block w-4 border-t border-dashed border-slate-300" /> Expected
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block h-2 w-2 rotate-45 bg-fuchsia-400" /> Play-by-play
        </span>
        <button
          type="button"
          aria-pressed={whole20}
          onClick={() => setWhole20((value) => !value)}
          className="ml-auto rounded border border-slate-700 px-2 py-0.5 text-slate-300 hover:bg-slate-800"
        >
          {whole20 ? "Zoom to the clip" : "Show all traffic around the peak"}
        </button>
      </div>
      <div ref={boxRef} className="w-full">
        <svg
          ref={svgRef}
          role="img"
          aria-label="Clip timeline: traffic around the peak, play-by-play events and the clip's in and out points"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          className="touch-none select-none"
          onPointerMove={onPointerMove}
          onPointerUp={() => setDragging(undefined)}
          onPointerCancel={() => setDragging(undefined)}
        >
          <rect x={MARGIN.left} y={plotTop} width={plotWidth} height={plotBottom - plotTop} fill="#0b1220" />
          {[0.5, 1].map((share) => (
            <g key={share}>
              <line
                x1={MARGIN.left}
                x2={width - MARGIN.right}
                y1={y((maxY / 1.1) * share)}
                y2={y((maxY / 1.1) * share)}
                stroke="#1e293b"
              />
              <text
                x={MARGIN.left - 4}
                y={y((maxY / 1.1) * share) + 3}
                textAnchor="end"
                fontSize={10}
                fill="#64748b"
              >
                {whole.format((maxY / 1.1) * share)}
              </text>
            </g>
          ))}
          {inWall !== undefined && outWall !== undefined && (
            <rect
              x={Math.max(MARGIN.left, x(inWall))}
              width={Math.max(
                1,
                Math.min(width - MARGIN.right, x(outWall)) - Math.max(MARGIN.left, x(inWall)),
              )}
              y={plotTop}
              height={plotBottom - plotTop}
              fill="#fbbf24"
              fillOpacity={0.15}
            />
          )}
          <line
            x1={x(peakAt)}
            x2={x(peakAt)}
            y1={plotTop}
            y2={plotBottom}
            stroke="#f43f5e"
            strokeDasharray="2 3"
          />
          <text x={x(peakAt) + 3} y={plotBottom - 4} fontSize={10} fill="#fb7185">
            peak
          </text>
          <path
            d={expectedPath.join("")}
            fill="none"
            stroke="#cbd5e1"
            strokeDasharray="4 3"
            strokeWidth={1.2}
          />
          <path d={actionsPath.join("")} fill="none" stroke="#38bdf8" strokeWidth={2} />
          {shownEvents.map((event) => {
            const px = x(event.occurredAt);
            const size = 3 + event.significance * 3;
            return (
              <g key={event.id}>
                <title>{`${event.timecode} ${event.description}`}</title>
                <line x1={px} x2={px} y1={plotTop} y2={plotBottom} stroke="#e879f9" strokeOpacity={0.25} />
                <rect
                  x={px - size}
                  y={plotTop - 8 - size}
                  width={size * 2}
                  height={size * 2}
                  transform={`rotate(45 ${px} ${plotTop - 8})`}
                  fill="#e879f9"
                  fillOpacity={0.4 + event.significance * 0.6}
                />
              </g>
            );
          })}
          {ticks.map((tick, index) => (
            <text
              key={tick}
              x={x(tick)}
              y={height - 6}
              // The end labels stay inside the chart.
              textAnchor={index === 0 ? "start" : index === ticks.length - 1 ? "end" : "middle"}
              fontSize={10}
              fill="#64748b"
            >
              {clockFormat.format(tick)}
            </text>
          ))}
          {handle("in", inWall, clip.in)}
          {handle("out", outWall, clip.out)}
        </svg>
      </div>
    </div>
  );
}
