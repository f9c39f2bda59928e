// The demo `npm start` plays: a generated `demo` games (8 markets × 5 sports, sessions around the clock) run
// at DEMO_SPEED× with event times re-timed to the wall clock, so a new audience reaction appears every
// minute or so. Its schedule, play-by-play, stories and ground truth are loaded into Postgres on the same
// clock, so a peak on the dashboard has its cause in the archive. When the games ends, the next one starts.
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { actionGenerator, planGames, type GamesPlan } from "../simulator/games";
import type { GroundTruthMoment } from "../simulator/types";
import { STEP_MS, type ActionGenerator } from "../simulator/user-actions";
import { encodeActions, type UserAction } from "../stream/messages";
import type { OutgoingMessage, StreamTransport } from "../stream/transport";
import { loadGames } from "./games-store";

const MAX_PENDING = 200_000;
const BACKFILL_SLICE_MS = 5_000;
const WALL_HOUR_MS = 60 * 60_000;
export const DEMO_GAMES_ID = "demo";

export interface DemoReplayOptions {
  transport: StreamTransport;
  topic: string;
  seed: number;
  /** Actions per second on the wall clock (the games is generated at this divided by the speed). */
  actionsPerSecond: number;
  /** Games seconds per wall-clock second. */
  speed?: number;
  actionsPerMessage?: number;
  /** Where the demo games' records are loaded; none: traffic only. */
  db?: Db;
  log: Logger;
  tickMs?: number;
  /**
   * Traffic played at once before going live, so a fresh dashboard has history to chart and the detector
   * has a baseline (and peaks to find) from the first minute.
   */
  backfillMs?: number;
}

export interface RunningReplay {
  stop(): Promise<void>;
  /** Actions sent so far. */
  sent(): number;
}

/** One demo games on the wall clock: games time `start` plays at wall time `wallStart`, `speed`× faster. */
export class DemoGames {
  readonly plan: GamesPlan;
  private readonly generator: ActionGenerator;
  private step = -1;
  private stepActions: UserAction[] = [];
  private nextMoment = 0;

  constructor(
    readonly cycle: number,
    seed: number,
    readonly wallStart: number,
    readonly speed: number,
    actionsPerSecond: number,
  ) {
    this.plan = planGames({
      seed: seed + cycle,
      size: "demo",
      start: Math.floor(wallStart / 1_000) * 1_000,
      actionsPerSecond: actionsPerSecond / speed,
    });
    this.generator = actionGenerator(this.plan);
  }

  /** Wall-clock time of a games time. */
  toWall(ts: number): number {
    return Math.round(this.wallStart + (ts - this.plan.manifest.start) / this.speed);
  }

  get wallEnd(): number {
    return this.toWall(this.plan.manifest.end);
  }

  /** Actions with wall-clock event time in [from, to), re-timed to the wall clock, in time order. */
  actionsBetween(from: number, to: number): UserAction[] {
    const start = this.plan.manifest.start;
    const gamesFrom = start + (from - this.wallStart) * this.speed;
    const gamesTo = Math.min(start + (to - this.wallStart) * this.speed, this.plan.manifest.end);
    const actions: UserAction[] = [];
    for (
      let step = Math.max(0, Math.floor((gamesFrom - start) / STEP_MS));
      step * STEP_MS + start < gamesTo;
      step++
    ) {
      if (step >= this.generator.stepCount) break;
      if (step !== this.step) {
        this.stepActions = this.generator.actions(step);
        this.step = step;
      }
      for (const action of this.stepActions) {
        if (action.ts >= gamesFrom && action.ts < gamesTo)
          actions.push({ ...action, ts: this.toWall(action.ts) });
      }
    }
    return actions;
  }

  /** Ground-truth moments whose start passed (on the wall clock) since the last call. */
  momentsStartedBy(wall: number): GroundTruthMoment[] {
    const started: GroundTruthMoment[] = [];
    const truth = this.plan.groundTruth;
    while (this.nextMoment < truth.length && this.toWall(truth[this.nextMoment]!.start) <= wall) {
      started.push(truth[this.nextMoment++]!);
    }
    return started;
  }
}

/**
 * Games time (ms after its start) at which the `stretchMs`-long stretch holding the most reactions (decoys
 * left out) begins; 0 when the games has none (or is shorter than the stretch).
 */
export function busiestStretch(
  plan: {
    manifest: { start: number; end: number };
    groundTruth: readonly { start: number; decoy: boolean }[];
  },
  stretchMs: number,
): number {
  const { start, end } = plan.manifest;
  const times = plan.groundTruth
    .filter((moment) => !moment.decoy)
    .map((moment) => moment.start)
    .sort((a, b) => a - b);
  let best: number | undefined;
  let bestCount = 0;
  let upTo = 0;
  for (let index = 0; index < times.length; index += 1) {
    const from = times[index]!;
    if (from + stretchMs > end) break;
    while (upTo < times.length && times[upTo]! < from + stretchMs) upTo += 1;
    if (upTo - index > bestCount) {
      bestCount = upTo - index;
      best = from;
    }
  }
  return best === undefined ? 0 : best - start;
}

export function startDemoReplay(options: DemoReplayOptions): RunningReplay {
  const tickMs = options.tickMs ?? 250;
  const speed = options.speed ?? 4;
  const log = options.log;
  let cursor = Date.now() - (options.backfillMs ?? 0);
  // The load in flight, awaited on stop so the database is not closed under it.
  let loading: Promise<unknown> = Promise.resolve();
  const open = (cycle: number, wallStart: number) => {
    const games = new DemoGames(cycle, options.seed, wallStart, speed, options.actionsPerSecond);
    const { manifest } = games.plan;
    log.info(
      {
        gamesId: manifest.id,
        cycle,
        speed,
        until: new Date(games.wallEnd).toISOString(),
        moments: games.plan.groundTruth.length,
      },
      "demo replay started a games",
    );
    if (options.db) {
      loading = loadGames(options.db, games.plan, {
        gamesId: DEMO_GAMES_ID,
        retime: (ts) => games.toWall(ts),
      })
        .then((counts) => log.info({ gamesId: DEMO_GAMES_ID, ...counts }, "demo games loaded into Postgres"))
        .catch((error: unknown) => log.error({ err: error }, "could not load the demo games into Postgres"));
    }
    return games;
  };
  // The games' first hours are the audience arriving, with few reactions: the first hour on the wall clock
  // after start plays the games' busiest stretch instead (an hour at 1×), the backfill what came before it.
  const first = new DemoGames(0, options.seed, cursor, speed, options.actionsPerSecond);
  const busiest = busiestStretch(first.plan, WALL_HOUR_MS * speed);
  const startsAt = Math.max(0, busiest - (options.backfillMs ?? 0) * speed);
  let games = open(0, cursor - Math.round(startsAt / speed));
  let sent = 0;
  let running = true;
  // Actions not yet accepted by the stream; retried on the next tick, bounded so a dead broker cannot
  // exhaust memory.
  let pending: OutgoingMessage[] = [];
  let pendingActions = 0;
  const queue = (actions: UserAction[]) => {
    pending.push(...encodeActions(actions, options.actionsPerMessage ?? 1));
    pendingActions += actions.length;
  };
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, tickMs));
      const now = Date.now();
      if (now >= games.wallEnd) {
        pending.push(
          ...encodeActions(games.actionsBetween(cursor, games.wallEnd), options.actionsPerMessage ?? 1),
        );
        cursor = games.wallEnd;
        games = open(games.cycle + 1, cursor);
      }
      // In slices of at most 5 s of event time: a batched message never spans more, so the backfill's
      // quieter series are not sent minutes behind the busy ones (and counted as late).
      for (let from = cursor; from < now; from += BACKFILL_SLICE_MS) {
        queue(games.actionsBetween(from, Math.min(from + BACKFILL_SLICE_MS, now)));
      }
      cursor = now;
      for (const moment of games.momentsStartedBy(now)) {
        log.info(
          {
            moment: moment.id,
            kind: moment.kind,
            markets: moment.markets.slice(0, 3).map((m) => `${m.country}|${m.sport} +${m.peakUpliftPct}%`),
            significance: moment.significance,
          },
          moment.decoy ? "demo replay injected a decoy" : "demo replay: an audience reaction starts",
        );
      }
      if (pending.length === 0) continue;
      try {
        await options.transport.send(options.topic, pending);
        sent += pendingActions;
        pending = [];
        pendingActions = 0;
      } catch (error) {
        if (pending.length > MAX_PENDING) {
          log.error({ err: error, dropped: pending.length }, "demo replay dropped unsent actions");
          pending = [];
          pendingActions = 0;
        } else {
          log.warn({ err: error, pending: pending.length }, "demo replay could not send; will retry");
        }
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await loading;
    },
    sent: () => sent,
  };
}
