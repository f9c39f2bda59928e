import { describe, expect, it } from "vitest";
import { bucketsToJudge, lastFinalBucketStart } from "./final-buckets";

const W = 10_000;

describe("lastFinalBucketStart", () => {
  it("is the last window that ends at or before the watermark", () => {
    expect(lastFinalBucketStart(100_000, W)).toBe(90_000);
    expect(lastFinalBucketStart(99_999, W)).toBe(80_000);
    expect(lastFinalBucketStart(-5_000, W)).toBe(-20_000);
  });

  it("is -Infinity before any event was seen", () => {
    expect(lastFinalBucketStart(Number.NEGATIVE_INFINITY, W)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("bucketsToJudge", () => {
  const counts = new Map([
    [20_000, 5],
    [40_000, 7],
    [90_000, 1],
  ]);

  it("feeds the windows after the last judged one, zeros where no row exists", () => {
    const { observations, stored } = bucketsToJudge({
      lastJudged: 10_000,
      lastFinal: 60_000,
      counts,
      windowMs: W,
      maxZeroFill: 100,
    });
    expect(observations).toEqual([
      { bucketStart: 20_000, observed: 5 },
      { bucketStart: 30_000, observed: 0 },
      { bucketStart: 40_000, observed: 7 },
      { bucketStart: 50_000, observed: 0 },
      { bucketStart: 60_000, observed: 0 },
    ]);
    expect([...stored]).toEqual([20_000, 40_000]);
  });

  it("starts a never-judged series at its first stored window, not with zeros", () => {
    const { observations } = bucketsToJudge({
      lastJudged: null,
      lastFinal: 40_000,
      counts,
      windowMs: W,
      maxZeroFill: 100,
    });
    expect(observations.map((o) => o.bucketStart)).toEqual([20_000, 30_000, 40_000]);
  });

  it("feeds nothing when nothing new is final, or a new series has no row yet", () => {
    const args = { counts, windowMs: W, maxZeroFill: 100 };
    expect(bucketsToJudge({ ...args, lastJudged: 60_000, lastFinal: 60_000 }).observations).toEqual([]);
    expect(bucketsToJudge({ ...args, lastJudged: null, lastFinal: 10_000 }).observations).toEqual([]);
  });

  it("feeds at most maxZeroFill zeros across a long silence", () => {
    const { observations } = bucketsToJudge({
      lastJudged: 40_000,
      lastFinal: 100_000,
      counts,
      windowMs: W,
      maxZeroFill: 2,
    });
    expect(observations).toEqual([
      { bucketStart: 70_000, observed: 0 },
      { bucketStart: 80_000, observed: 0 },
      { bucketStart: 90_000, observed: 1 },
      { bucketStart: 100_000, observed: 0 },
    ]);
  });
});

describe("bucketsToJudge across a silence of the whole partition", () => {
  const counts = new Map([
    [20_000, 5],
    [40_000, 7],
  ]);

  it("feeds zeros only for windows in which the partition stored something: the rest is a gap", () => {
    const { observations } = bucketsToJudge({
      lastJudged: 10_000,
      lastFinal: 60_000,
      counts,
      windowMs: W,
      maxZeroFill: 100,
      // Another series of the partition had actions at 30 s; nothing flowed at 50 s and 60 s.
      partitionTraffic: new Set([20_000, 30_000, 40_000]),
    });
    expect(observations).toEqual([
      { bucketStart: 20_000, observed: 5 },
      { bucketStart: 30_000, observed: 0 },
      { bucketStart: 40_000, observed: 7 },
    ]);
  });

  it("feeds nothing in the one-window live step when the partition stored nothing in it", () => {
    const args = { counts, windowMs: W, maxZeroFill: 100, lastJudged: 40_000, lastFinal: 50_000 };
    expect(bucketsToJudge({ ...args, partitionTraffic: new Set() }).observations).toEqual([]);
    expect(bucketsToJudge({ ...args, partitionTraffic: new Set([50_000]) }).observations).toEqual([
      { bucketStart: 50_000, observed: 0 },
    ]);
  });
});

describe("bucketsToJudge with the action mix", () => {
  it("hands each window's engaged actions on, zero for a window without a row", () => {
    const W = 10_000;
    const { observations } = bucketsToJudge({
      lastJudged: 0,
      lastFinal: 3 * W,
      counts: new Map([
        [W, 10],
        [3 * W, 30],
      ]),
      engaged: new Map([
        [W, 4],
        [3 * W, 12],
      ]),
      windowMs: W,
      maxZeroFill: 100,
    });
    expect(observations).toEqual([
      { bucketStart: W, observed: 10, engaged: 4 },
      { bucketStart: 2 * W, observed: 0, engaged: 0 },
      { bucketStart: 3 * W, observed: 30, engaged: 12 },
    ]);
  });
});
