"use client";
// Live traffic for the dashboard: the initial window from /api/traffic, then every committed change over
// server-sent events. EventSource reconnects by itself (sending Last-Event-ID); if the browser gives up
// (CLOSED), we open a new one resuming after the last change we applied.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { ConnectionState } from "../components/connection-badge";
import { applyChanges, pruneBefore, type TrafficState } from "../components/traffic-rows";
import type { BucketChange } from "../server/traffic/live-channel";
import type { TrafficWindow } from "../server/traffic/queries";

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

    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let frame: number | undefined;
    let disposed = false;
    const render = () => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        pruneBefore(state, Date.now() - minutes * 60_000 - 60_000);
        setVersion((v) => v + 1);
      });
    };
    const open = () => {
      source = new EventSource(`/api/live/traffic?since=${state.lastSeq}`);
      source.addEventListener("ready", () => setConnection("live"));
      source.addEventListener("buckets", (event) => {
        applyChanges(state, JSON.parse((event as MessageEvent<string>).data) as BucketChange[]);
        setConnection("live");
        render();
      });
      source.onerror = () => {
        setConnection("reconnecting");
        if (source?.readyState === EventSource.CLOSED && !disposed) {
          source.close();
          retryTimer = setTimeout(open, 2_000);
        }
      };
    };
    open();
    return () => {
      disposed = true;
      source?.close();
      clearTimeout(retryTimer);
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [snapshot.data, minutes]);

  return { window: snapshot.data, error: snapshot.error, state: stateRef.current, version, connection };
}
