"use client";
// Live traffic for the dashboard: the initial window from /api/traffic, then every committed change over
// server-sent events, resuming after the last change applied when a stream drops (app/live-source.ts).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { ConnectionState } from "../components/connection-badge";
import { applyChanges, pruneBefore, type TrafficState } from "../components/traffic-rows";
import type { BucketChange } from "../server/traffic/live-channel";
import type { TrafficWindow } from "../server/traffic/queries";
import { openLiveSource } from "./live-source";

async function fetchWindow(minutes: number): Promise<TrafficWindow> {
  const response = await fetch(`/api/traffic?minutes=${minutes}`);
  if (!response.ok) throw new Error(`Could not load traffic (HTTP ${response.status})`);
  return (await response.json()) as TrafficWindow;
}

export interface LiveTraffic {
  window: TrafficWindow | undefined;
  error: Error | null;
  state: TrafficState;
  /** Bumps on every applied change, so views re-render. */
  version: number;
  connection: ConnectionState;
}

export function useLiveTraffic(minutes: number): LiveTraffic {
  const snapshot = useQuery({ queryKey: ["traffic-window", minutes], queryFn: () => fetchWindow(minutes) });
  const stateRef = useRef<TrafficState>({ values: new Map(), lastSeq: 0 });
  const [version, setVersion] = useState(0);
  const [connection, setConnection] = useState<ConnectionState>("connecting");

  useEffect(() => {
    const window = snapshot.data;
    if (!window) return;
    const state: TrafficState = { values: new Map(), lastSeq: 0 };
    applyChanges(state, window.changes);
    state.lastSeq = Math.max(state.lastSeq, window.lastSeq);
    stateRef.current = state;
    setVersion((v) => v + 1);

    let frame: number | undefined;
    const render = () => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        pruneBefore(state, Date.now() - minutes * 60_000 - 60_000);
        setVersion((v) => v + 1);
      });
    };
    // Resumes after the last change applied, which the initial window already set.
    const close = openLiveSource({
      url: () => `/api/live/traffic?since=${state.lastSeq}`,
      onConnection: setConnection,
      on: {
        buckets: (data) => {
          applyChanges(state, JSON.parse(data) as BucketChange[]);
          render();
        },
      },
    });
    return () => {
      close();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [snapshot.data, minutes]);

  return { window: snapshot.data, error: snapshot.error, state: stateRef.current, version, connection };
}
