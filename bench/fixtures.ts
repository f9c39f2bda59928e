// The bench's input: the demo simulator's actions with a fixed seed, generated once and shared by every phase.
import { DEMO_COUNTRIES, DEMO_SPORTS, DemoTraffic } from "../server/replay/demo-traffic";
import { encodeActions, type UserAction } from "../server/stream/messages";
import type { OutgoingMessage } from "../server/stream/transport";

export const SEED = 42;
/** A busy live event across all demo series: about 50 actions per second per country × sport. */
export const ACTIONS_PER_SECOND = 2_000;
export const START_TIME = Date.UTC(2026, 6, 3, 19);
export const WINDOW_SECONDS = 10;
export const ALLOWED_LATENESS_SECONDS = 30;
export const BATCH_SIZE = 5_000;
export const PARTITIONS = 3;
/** Actions per producer send: about 2,000, whatever the actions per message (a send is one request). */
const ACTIONS_PER_SEND = 2_000;

export interface BenchInput {
  /** How many actions; stays when `actions` is released. */
  actionCount: number;
  /** The actions as objects, for the pure windowing phase; emptied after it (see releaseActions). */
  actions: UserAction[];
  actionsPerMessage: number;
  /** The same actions as stream messages (key and JSON value), `actionsPerMessage` per message at most. */
  messages: OutgoingMessage[];
  /** The same JSON values as the bytes a consumer receives. */
  encoded: Buffer[];
  seriesCount: number;
  eventTimeSeconds: number;
}

/** Exactly `count` actions in event-time order, one simulated second at a time as the live replay makes them. */
export function generateInput(count: number, actionsPerMessage: number): BenchInput {
  const traffic = new DemoTraffic({
    seed: SEED,
    actionsPerSecond: ACTIONS_PER_SECOND,
    startTime: START_TIME,
  });
  const actions: UserAction[] = [];
  let cursor = START_TIME;
  while (actions.length < count) {
    for (const action of traffic.actionsBetween(cursor, cursor + 1_000)) actions.push(action);
    cursor += 1_000;
  }
  actions.length = count;
  const messages = encodeActions(actions, actionsPerMessage);
  return {
    actionCount: count,
    actions,
    actionsPerMessage,
    messages,
    encoded: messages.map((message) => Buffer.from(message.value)),
    seriesCount: DEMO_COUNTRIES.length * DEMO_SPORTS.length,
    eventTimeSeconds: (cursor - START_TIME) / 1_000,
  };
}

/** The messages of one producer send for this input. */
export function messagesPerSend(input: BenchInput): number {
  return Math.max(1, Math.floor(ACTIONS_PER_SEND / input.actionsPerMessage));
}

/** Splits a list into consecutive chunks of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * Drops the action objects and decoded-bytes copy once the pure phases are done: 10 million objects are the
 * bench's own input, not the worker's state, and every major GC would mark them during the stream phases.
 */
export function releaseActions(input: BenchInput): void {
  input.actions = [];
  input.encoded = [];
}
