import { describe, expect, it } from "vitest";
import type { MomentInbox, MomentSummary } from "../server/moments/moment-views";
import { patchInbox, type InboxFilter } from "./inbox-cache";

const moment = (overrides: Partial<MomentSummary>): MomentSummary => ({
  id: "1",
  candidateId: "10",
  key: "football|0",
  sport: "football",
  country: "FR",
  countries: ["FR"],
  status: "described",
  peakAt: 1_000,
  headline: "A goal",
  upliftPct: 300,
  interestScore: 0.8,
  generatedBy: "offline",
  version: 0,
  updatedAt: 1_000,
  lastEventId: "5",
  ...overrides,
});

const counts = (partial: Partial<MomentInbox["counts"]>): MomentInbox["counts"] => ({
  new: 0,
  interesting: 0,
  not_interesting: 0,
  described: 0,
  approved: 0,
  rejected: 0,
  ...partial,
});

const filter: InboxFilter = { country: "FR", limit: 100 };

describe("inbox patching", () => {
  it("puts a new moment first and counts it", () => {
    const inbox = { moments: [moment({ id: "1", peakAt: 1_000 })], counts: counts({ described: 1 }) };
    const { inbox: next, countsExact } = patchInbox(
      inbox,
      moment({ id: "2", peakAt: 2_000, status: "new" }),
      filter,
    );
    expect(next.moments.map((m) => m.id)).toEqual(["2", "1"]);
    expect(next.counts).toMatchObject({ new: 1, described: 1 });
    expect(countsExact).toBe(true);
  });

  it("moves a status change between counts and drops it from a page filtered by the old status", () => {
    const inbox = { moments: [moment({ id: "1" })], counts: counts({ described: 1 }) };
    const approved = moment({ id: "1", status: "approved", updatedAt: 2_000 });
    const { inbox: next } = patchInbox(inbox, approved, { ...filter, status: "described" });
    expect(next.moments).toEqual([]);
    expect(next.counts).toMatchObject({ described: 0, approved: 1 });
  });

  it("ignores stale events and moments of other countries or sports", () => {
    const inbox = { moments: [moment({ id: "1", updatedAt: 5_000 })], counts: counts({ described: 1 }) };
    expect(patchInbox(inbox, moment({ id: "1", status: "approved", updatedAt: 4_000 }), filter).inbox).toBe(
      inbox,
    );
    expect(patchInbox(inbox, moment({ id: "3", country: "US", countries: ["US"] }), filter).inbox).toBe(
      inbox,
    );
    expect(
      patchInbox(inbox, moment({ id: "3", sport: "tennis" }), { ...filter, sport: "football" }).inbox,
    ).toBe(inbox);
  });

  it("asks for a re-read when a moment it does not hold changes under a status filter", () => {
    const inbox = { moments: [], counts: counts({ described: 1 }) };
    const result = patchInbox(inbox, moment({ id: "9", status: "approved" }), {
      ...filter,
      status: "approved",
    });
    expect(result.inbox.moments.map((m) => m.id)).toEqual(["9"]);
    expect(result.countsExact).toBe(false);
  });

  it("lists a moment whose lead market is elsewhere under each of its countries", () => {
    const inbox = { moments: [], counts: counts({}) };
    const shared = moment({ id: "4", country: "US", countries: ["US", "FR"] });
    expect(patchInbox(inbox, shared, filter).inbox.moments).toHaveLength(1);
  });
});
