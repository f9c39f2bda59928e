import { describe, expect, it } from "vitest";
import { decodeActions, encodeUserAction, type UserAction } from "../stream/messages";
import type { OutgoingMessage } from "../stream/transport";
import { dueAt, parseSpeed, replayedTs } from "./pacer";
import { replayActions, type ReplayClock } from "./replayer";

const T0 = Date.UTC(2026, 6, 24, 12);
const action = (second: number, country = "FR"): UserAction => ({
  v: 1,
  type: "page_view",
  country,
  sport: "athletics",
  ts: T0 + second * 1_000,
});
const lines = (actions: UserAction[]) =>
  (async function* () {
    for (const a of actions) yield encodeUserAction(a);
  })();

/** A clock that only moves when the replay sleeps. */
function fakeClock(start = 5_000_000): ReplayClock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

function sink() {
  const sent: { at: number; messages: OutgoingMessage[] }[] = [];
  const decoded = () =>
    sent.flatMap(({ messages }) =>
      messages.flatMap((m) => {
        const result = decodeActions(m.value);
        if (!result.ok) throw new Error(result.reason);
        return result.series.actions.map((a) => ({ ...a, country: result.series.country }));
      }),
    );
  return { sent, decoded };
}

describe("pacer", () => {
  it("spaces actions by event time divided by the speed, and re-times to now when asked", () => {
    const pace = { speed: 4, originTs: T0, originWall: 1_000 };
    expect(dueAt(pace, T0 + 40_000)).toBe(11_000);
    expect(replayedTs(pace, T0 + 40_000, "now")).toBe(11_000);
    expect(replayedTs(pace, T0 + 40_000, "original")).toBe(T0 + 40_000);
    expect(dueAt({ ...pace, speed: Infinity }, T0 + 40_000)).toBe(-Infinity);
    expect(parseSpeed("max")).toBe(Infinity);
    expect(() => parseSpeed("0")).toThrow(/positive number/);
  });
});

describe("replayer", () => {
  const actions = [0, 1, 2, 10, 11, 30].map((s) => action(s));

  it("sends every action at N× speed, in order, keyed by series", async () => {
    const clock = fakeClock();
    const out = sink();
    const result = await replayActions({
      lines: lines(actions),
      send: async (messages) => void out.sent.push({ at: clock.now(), messages }),
      speed: 2,
      eventTime: "original",
      actionsPerMessage: 1,
      clock,
    });
    expect(result).toMatchObject({ sent: 6, lines: 6, invalid: 0, interrupted: false });
    expect(out.decoded().map((a) => a.ts)).toEqual(actions.map((a) => a.ts));
    expect(out.sent[0]!.messages[0]!.key).toBe("FR|athletics");
    // 30 s of games at 2× takes 15 s of wall clock.
    expect(out.sent[out.sent.length - 1]!.at - 5_000_000).toBe(15_000);
  });

  it("resumes after the lines an earlier run sent, counts bad lines, and records what it sent", async () => {
    const recorded: string[] = [];
    const out = sink();
    const source = (async function* () {
      for (const a of actions.slice(0, 3)) yield encodeUserAction(a);
      yield "not json";
      for (const a of actions.slice(3)) yield encodeUserAction(a);
    })();
    const progress: number[] = [];
    const result = await replayActions({
      lines: source,
      send: async (messages) => void out.sent.push({ at: 0, messages }),
      speed: Infinity,
      eventTime: "original",
      actionsPerMessage: 100,
      skipLines: 2,
      maxBatch: 2,
      record: async (ndjson) => void recorded.push(ndjson),
      onBatchSent: (p) => void progress.push(p.lines),
    });
    expect(result).toMatchObject({ sent: 4, invalid: 1, lines: 7 });
    expect(out.decoded().map((a) => a.ts)).toEqual(actions.slice(2).map((a) => a.ts));
    expect(recorded.join("").trim().split("\n")).toEqual(actions.slice(2).map(encodeUserAction));
    expect(progress[progress.length - 1]).toBe(7);
  });

  it("re-times actions to the wall clock, compressed by the speed", async () => {
    const clock = fakeClock(9_000_000);
    const out = sink();
    await replayActions({
      lines: lines(actions),
      send: async (messages) => void out.sent.push({ at: clock.now(), messages }),
      speed: 10,
      eventTime: "now",
      actionsPerMessage: 1,
      clock,
    });
    expect(out.decoded().map((a) => a.ts)).toEqual(
      [0, 100, 200, 1_000, 1_100, 3_000].map((ms) => 9_000_000 + ms),
    );
  });

  it("stops promptly when aborted, reporting where it got to", async () => {
    const controller = new AbortController();
    const clock = fakeClock();
    const out = sink();
    const result = await replayActions({
      lines: lines(actions),
      send: async (messages) => {
        out.sent.push({ at: clock.now(), messages });
        controller.abort();
      },
      speed: 1,
      eventTime: "original",
      actionsPerMessage: 1,
      clock,
      signal: controller.signal,
    });
    expect(result.interrupted).toBe(true);
    // The first action was due at once; the stop came before the second was due.
    expect(result.sent).toBe(1);
    expect(result.lines).toBe(1);
  });
});

describe("replayer batches", () => {
  it("never lets one batch span more event time than allowed, so no series arrives late", async () => {
    const spread = Array.from({ length: 60 }, (_, i) => action(i, i % 2 === 0 ? "FR" : "US"));
    const batches: number[][] = [];
    await replayActions({
      lines: lines(spread),
      send: async (messages) => {
        batches.push(
          messages.flatMap((m) => {
            const decoded = decodeActions(m.value);
            return decoded.ok ? decoded.series.actions.map((a) => a.ts) : [];
          }),
        );
      },
      speed: Infinity,
      eventTime: "original",
      actionsPerMessage: 100,
      maxBatchSpanMs: 10_000,
    });
    expect(batches.flat()).toHaveLength(60);
    for (const ts of batches) expect(Math.max(...ts) - Math.min(...ts)).toBeLessThanOrEqual(10_000);
  });
});
