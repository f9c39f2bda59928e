import { describe, expect, it } from "vitest";
import { asSeriesActions, type UserAction } from "../stream/messages";
import { aggregateActions as aggregateSeries, bucketStartOf, countryTotals, Watermark } from "./windowing";

const aggregateActions = (actions: UserAction[], windowMs: number, watermark: Watermark) =>
  aggregateSeries(asSeriesActions(actions), windowMs, watermark);

const WINDOW = 10_000;
const action = (ts: number, overrides: Partial<UserAction> = {}): UserAction => ({
  v: 1,
  type: "page_view",
  country: "FR",
  sport: "athletics",
  ts,
  ...overrides,
});

describe("bucketStartOf", () => {
  it("aligns event times to the start of their window", () => {
    expect(bucketStartOf(1_700_000_009_999, WINDOW)).toBe(1_700_000_000_000);
    expect(bucketStartOf(1_700_000_010_000, WINDOW)).toBe(1_700_000_010_000);
  });
});

describe("aggregateActions", () => {
  it("counts actions per country, sport and event-time window, by action type", () => {
    const result = aggregateActions(
      [
        action(1_000),
        action(2_000, { type: "video_start" }),
        action(12_000, { type: "share" }),
        action(3_000, { country: "US" }),
      ],
      WINDOW,
      new Watermark(30_000),
    );
    const byKey = Object.fromEntries(result.buckets.map((b) => [`${b.country}|${b.bucketStart}`, b]));
    expect(byKey["FR|0"]).toMatchObject({ actions: 2, pageViews: 1, videoStarts: 1 });
    expect(byKey["FR|10000"]).toMatchObject({ actions: 1, shares: 1 });
    expect(byKey["US|0"]).toMatchObject({ actions: 1, pageViews: 1 });
    expect(result.late).toEqual([]);
  });

  it("places out-of-order actions in their own event-time window, not the arrival window", () => {
    const result = aggregateActions([action(25_000), action(4_000)], WINDOW, new Watermark(30_000));
    expect(result.buckets.map((b) => [b.bucketStart, b.actions]).sort()).toEqual([
      [0, 1],
      [20_000, 1],
    ]);
  });

  it("counts actions for windows already final as late drops instead of losing them", () => {
    const watermark = new Watermark(30_000);
    const result = aggregateActions([action(100_000), action(65_000), action(59_999)], WINDOW, watermark);
    // watermark = 100 000 - 30 000 = 70 000: window [60 000, 70 000) is final, [50 000, 60 000) too.
    expect(result.buckets.map((b) => b.bucketStart)).toEqual([100_000]);
    expect(result.late.map((l) => [l.bucketStart, l.actions]).sort()).toEqual([
      [50_000, 1],
      [60_000, 1],
    ]);
  });

  it("keeps a late action within the allowed lateness in its window", () => {
    const result = aggregateActions([action(100_000), action(75_000)], WINDOW, new Watermark(30_000));
    expect(result.buckets.map((b) => b.bucketStart).sort()).toEqual([100_000, 70_000].sort());
    expect(result.late).toEqual([]);
  });

  it("folds a batched message's actions like the same actions sent one by one", () => {
    const actions = [
      action(1_000),
      action(12_000, { type: "share" }),
      action(2_000, { type: "video_start" }),
    ];
    const batched = aggregateSeries(
      [{ country: "FR", sport: "athletics", actions: actions.map(({ type, ts }) => ({ type, ts })) }],
      WINDOW,
      new Watermark(30_000),
    );
    expect(batched).toEqual(aggregateActions(actions, WINDOW, new Watermark(30_000)));
  });

  it("carries the watermark across batches of the same partition", () => {
    const watermark = new Watermark(0);
    aggregateActions([action(50_000)], WINDOW, watermark);
    const second = aggregateActions([action(30_000)], WINDOW, watermark);
    expect(second.buckets).toEqual([]);
    expect(second.late).toHaveLength(1);
  });

  it("resumes a stored latest event time, so a new owner treats the same actions as late", () => {
    const before = new Watermark(30_000);
    aggregateActions([action(100_000)], WINDOW, before);
    const resumed = new Watermark(30_000, before.maxEventTime);
    expect(resumed.value).toBe(before.value);
    expect(aggregateActions([action(59_999)], WINDOW, resumed).late).toHaveLength(1);
    expect(aggregateActions([action(59_999)], WINDOW, new Watermark(30_000)).late).toEqual([]);
  });

  it("leaves the original watermark alone when a batch is folded on a clone", () => {
    const watermark = new Watermark(0);
    aggregateActions([action(50_000)], WINDOW, watermark.clone());
    expect(watermark.maxEventTime).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("countryTotals", () => {
  it("sums each country's sports per window into sport all, in key order", () => {
    const { buckets } = aggregateActions(
      [
        action(1_000),
        action(2_000, { sport: "judo", type: "share" }),
        action(12_000, { sport: "judo" }),
        action(3_000, { country: "DE", type: "video_start" }),
      ],
      WINDOW,
      new Watermark(30_000),
    );
    expect(countryTotals(buckets)).toEqual([
      {
        country: "DE",
        sport: "all",
        bucketStart: 0,
        actions: 1,
        pageViews: 0,
        videoStarts: 1,
        liveBlogOpens: 0,
        shares: 0,
      },
      {
        country: "FR",
        sport: "all",
        bucketStart: 0,
        actions: 2,
        pageViews: 1,
        videoStarts: 0,
        liveBlogOpens: 0,
        shares: 1,
      },
      {
        country: "FR",
        sport: "all",
        bucketStart: 10_000,
        actions: 1,
        pageViews: 1,
        videoStarts: 0,
        liveBlogOpens: 0,
        shares: 0,
      },
    ]);
  });
});
