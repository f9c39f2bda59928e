import { describe, expect, it } from "vitest";
import { decodeActions, encodeActions, encodeUserAction, userActionKey, type UserAction } from "./messages";

const valid = {
  v: 1,
  type: "video_start",
  country: "FR",
  sport: "athletics",
  ts: 1_767_225_600_000,
} as const;

describe("user action messages", () => {
  it("round-trips a single action", () => {
    expect(decodeActions(Buffer.from(encodeUserAction(valid)))).toEqual({
      ok: true,
      series: { country: "FR", sport: "athletics", actions: [{ type: "video_start", ts: valid.ts }] },
    });
  });

  it("keys by country and sport so a series stays on one partition", () => {
    expect(userActionKey(valid)).toBe("FR|athletics");
  });

  it.each([
    [null, /empty message/],
    ["{not json", /not JSON/],
    [JSON.stringify({ ...valid, v: 2 }), /v: /],
    [JSON.stringify({ ...valid, country: "France" }), /country: expected an ISO 3166-1 alpha-2 code/],
    [JSON.stringify({ ...valid, type: "click" }), /type: /],
    [JSON.stringify({ ...valid, ts: "yesterday" }), /ts: /],
    [JSON.stringify({ v: 1, country: "FR", sport: "athletics", actions: [] }), /batch schema v1: actions/],
    [
      JSON.stringify({ v: 1, country: "FR", sport: "athletics", actions: [{ type: "page_view", ts: -1 }] }),
      /batch schema v1: actions\.0\.ts/,
    ],
  ])("rejects %s with a reason", (bytes, reason) => {
    const decoded = decodeActions(bytes);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });
});

describe("batched messages", () => {
  const actions: UserAction[] = Array.from({ length: 250 }, (_, i) => ({
    v: 1,
    type: i % 3 === 0 ? "share" : "page_view",
    country: i % 2 === 0 ? "FR" : "KE",
    sport: "athletics",
    ts: 1_767_225_600_000 + i,
  }));

  it("packs each series' actions, in order, into messages of at most the batch size", () => {
    const messages = encodeActions(actions, 100);
    expect(messages.map((m) => m.key).sort()).toEqual([
      "FR|athletics",
      "FR|athletics",
      "KE|athletics",
      "KE|athletics",
    ]);
    const decoded = messages.flatMap((m) => {
      const result = decodeActions(m.value);
      if (!result.ok) throw new Error(result.reason);
      const { country, sport, actions: decoded } = result.series;
      expect(decoded.length).toBeLessThanOrEqual(100);
      expect(userActionKey({ country, sport })).toBe(m.key);
      return decoded.map(({ type, ts }) => ({ v: 1 as const, type, country, sport, ts }));
    });
    expect(decoded.sort((a, b) => a.ts - b.ts)).toEqual(actions);
  });

  it("takes about half the bytes of single-action messages", () => {
    const batched = encodeActions(actions, 100).reduce((n, m) => n + m.value.length, 0);
    const single = encodeActions(actions, 1).reduce((n, m) => n + m.value.length, 0);
    expect(batched / single).toBeLessThan(0.55);
  });
});
