// Plays the demo traffic into a stream in real time (event time = now), a tick every 250 ms, until stopped.
import type { Logger } from "pino";
import { encodeUserAction, userActionKey } from "../stream/messages";
import type { OutgoingMessage, StreamTransport } from "../stream/transport";
import { DemoTraffic } from "./demo-traffic";

const MAX_PENDING = 200_000;

export interface DemoReplayOptions {
  transport: StreamTransport;
  topic: string;
  seed: number;
  actionsPerSecond: number;
  log: Logger;
  tickMs?: number;
}

export interface RunningReplay {
  stop(): Promise<void>;
  /** Actions sent so far. */
  sent(): number;
}

export function startDemoReplay(options: DemoReplayOptions): RunningReplay {
  const tickMs = options.tickMs ?? 250;
  let cursor = Date.now();
  const traffic = new DemoTraffic({
    seed: options.seed,
    actionsPerSecond: options.actionsPerSecond,
    startTime: cursor,
  });
  let sent = 0;
  let running = true;
  let reported = 0;
  // Actions not yet accepted by the stream; retried on the next tick, bounded so a dead broker cannot
  // exhaust memory.
  let pending: OutgoingMessage[] = [];
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, tickMs));
      const now = Date.now();
      for (const action of traffic.actionsBetween(cursor, now)) {
        pending.push({ key: userActionKey(action), value: encodeUserAction(action) });
      }
      cursor = now;
      if (pending.length === 0) continue;
      try {
        await options.transport.send(options.topic, pending);
        sent += pending.length;
        pending = [];
      } catch (error) {
        if (pending.length > MAX_PENDING) {
          options.log.error({ err: error, dropped: pending.length }, "demo replay dropped unsent actions");
          pending = [];
        } else {
          options.log.warn({ err: error, pending: pending.length }, "demo replay could not send; will retry");
        }
      }
      const reactions = traffic.scheduledReactions.length;
      if (reactions > reported) {
        const latest = traffic.scheduledReactions[reactions - 1]!;
        options.log.info(
          { country: latest.country, sport: latest.sport, strength: Number(latest.strength.toFixed(1)) },
          "demo replay scheduled an audience reaction",
        );
        reported = reactions;
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
    sent: () => sent,
  };
}
