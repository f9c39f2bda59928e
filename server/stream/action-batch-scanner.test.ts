import { describe, expect, it } from "vitest";
import { decodeActionsInto, scanActionBatch, type ActionSink } from "./action-batch-scanner";
import { ACTION_TYPES, decodeActions, encodeActions, type ActionType, type UserAction } from "./messages";

/** Collects what a decoder hands its sink, as the series decodeActions would return. */
function collect(bytes: Buffer | string | null) {
  const seen: { country: string; sport: string; actions: { type: ActionType; ts: number }[] }[] = [];
  const sink: ActionSink = {
    series: (country, sport) => void seen.push({ country, sport, actions: [] }),
    action: (type, ts) => void seen.at(-1)!.actions.push({ type, ts }),
  };
  const result = decodeActionsInto(bytes, sink);
  return result.ok
    ? { ok: true as const, series: seen }
    : { ok: false as const, reason: result.reason, seen };
}

/** The general path's verdict: the reference the scanner must agree with. */
function reference(bytes: Buffer) {
  const decoded = decodeActions(bytes);
  if (!decoded.ok) return { ok: false as const };
  const { country, sport, actions } = decoded.series;
  return {
    ok: true as const,
    series: [{ country, sport, actions: actions.map(({ type, ts }) => ({ type, ts })) }],
  };
}

function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const canonical = (actions: UserAction[]) => Buffer.from(encodeActions(actions, 100)[0]!.value);
const action = (type: ActionType, ts: number): UserAction => ({
  v: 1,
  type,
  country: "FR",
  sport: "athletics",
  ts,
});

describe("scanActionBatch", () => {
  it("reads the bytes encodeActions writes, as the schema would", () => {
    const actions = ACTION_TYPES.map((type, i) => action(type, 1_767_225_600_000 + i));
    const bytes = canonical(actions);
    expect(scanActionBatch(bytes)).toEqual({ country: "FR", sport: "athletics", count: 4 });
    expect(collect(bytes)).toEqual(reference(bytes));
  });

  it.each([
    ["whitespace", '{"v":1, "country":"FR","sport":"athletics","actions":[{"type":"share","ts":5}]}'],
    ["other key order", '{"country":"FR","v":1,"sport":"athletics","actions":[{"type":"share","ts":5}]}'],
    [
      "an extra key in an action",
      '{"v":1,"country":"FR","sport":"judo","actions":[{"type":"share","ts":5,"x":1}]}',
    ],
    ["a trailing newline", '{"v":1,"country":"FR","sport":"judo","actions":[{"type":"share","ts":5}]}\n'],
    ["a fraction", '{"v":1,"country":"FR","sport":"judo","actions":[{"type":"share","ts":5.0}]}'],
  ])("leaves %s to the general path, which still accepts it", (_what, text) => {
    const bytes = Buffer.from(text);
    expect(scanActionBatch(bytes)).toBeUndefined();
    expect(reference(bytes).ok).toBe(true);
    expect(collect(bytes)).toEqual(reference(bytes));
  });

  it.each([
    ["the reserved total sport", '{"v":1,"country":"FR","sport":"all","actions":[{"type":"share","ts":5}]}'],
    ["no actions", '{"v":1,"country":"FR","sport":"judo","actions":[]}'],
    ["ts 0", '{"v":1,"country":"FR","sport":"judo","actions":[{"type":"share","ts":0}]}'],
    [
      "an unsafe ts",
      '{"v":1,"country":"FR","sport":"judo","actions":[{"type":"share","ts":9007199254740993}]}',
    ],
    ["an unknown type", '{"v":1,"country":"FR","sport":"judo","actions":[{"type":"shares","ts":5}]}'],
    ["a lower-case country", '{"v":1,"country":"fr","sport":"judo","actions":[{"type":"share","ts":5}]}'],
    ["a one-letter sport", '{"v":1,"country":"FR","sport":"j","actions":[{"type":"share","ts":5}]}'],
  ])("rejects %s with the schema's reason and hands nothing on", (_what, text) => {
    const bytes = Buffer.from(text);
    expect(scanActionBatch(bytes)).toBeUndefined();
    const decoded = collect(bytes);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.reason).toMatch(/batch schema v1/);
      expect(decoded.seen).toEqual([]);
    }
  });

  it("never accepts what the schema rejects, nor reads it differently (10,000 mutated messages)", () => {
    const random = seededRandom(7);
    const alphabet = '{}[]",:0123456789-.eE \\aslv_ptyFRjud';
    let scanned = 0;
    for (let run = 0; run < 10_000; run++) {
      const actions = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) =>
        action(ACTION_TYPES[Math.floor(random() * 4)]!, 1 + Math.floor(random() * 2e12) + i),
      );
      const bytes = [...canonical(actions)];
      for (let edits = Math.floor(random() * 4); edits > 0; edits--) {
        const at = Math.floor(random() * bytes.length);
        const byte = alphabet.charCodeAt(Math.floor(random() * alphabet.length));
        const kind = random();
        if (kind < 0.33) bytes.splice(at, 1);
        else if (kind < 0.66) bytes.splice(at, 0, byte);
        else bytes[at] = byte;
      }
      const buffer = Buffer.from(bytes);
      const fast = scanActionBatch(buffer);
      if (fast) scanned += 1;
      const general = reference(buffer);
      if (fast) expect(general.ok, buffer.toString()).toBe(true);
      const viaSink = collect(buffer);
      expect(viaSink.ok, buffer.toString()).toBe(general.ok);
      if (general.ok) expect(viaSink, buffer.toString()).toEqual(general);
    }
    expect(scanned).toBeGreaterThan(2_000); // unedited and harmless edits are still scanned
  });
});
