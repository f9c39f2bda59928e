import { describe, expect, it } from "vitest";
import { decodeUserAction, encodeUserAction, userActionKey } from "./messages";

describe("user action messages", () => {
  const valid = {
    v: 1,
    type: "video_start",
    country: "FR",
    sport: "athletics",
    ts: 1_767_225_600_000,
  } as const;

  it("round-trips a valid action", () => {
    expect(decodeUserAction(Buffer.from(encodeUserAction(valid)))).toEqual({ ok: true, action: valid });
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
  ])("rejects %s with a reason", (bytes, reason) => {
    const decoded = decodeUserAction(bytes);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });
});
