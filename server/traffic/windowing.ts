// Event-time tumbling windows: which bucket an action belongs to, when a bucket is final (watermark), and
// the per-batch aggregation of actions into bucket deltas. Pure functions over plain data.
import type { ActionSink } from "../stream/action-batch-scanner";
import { COUNTRY_TOTAL_SPORT, type ActionType, type SeriesActions } from "../stream/messages";

export interface BucketDelta {
  country: string;
  sport: string;
  /** Window start, epoch ms, aligned to the window size. */
  bucketStart: number;
  actions: number;
  pageViews: number;
  videoStarts: number;
  liveBlogOpens: number;
  shares: number;
}

export interface LateDelta {
  country: string;
  sport: string;
  bucketStart: number;
  actions: number;
}

export function bucketStartOf(eventTime: number, windowMs: number): number {
  return eventTime - (((eventTime % windowMs) + windowMs) % windowMs);
}

/**
 * The watermark of one partition: the latest event time seen minus the allowed lateness. A window whose end
 * is at or before the watermark is final; actions for it are counted as dropped-late instead. The latest
 * event time is stored with the partition's offsets, so whoever takes the partition over resumes it.
 */
export class Watermark {
  constructor(
    private readonly allowedLatenessMs: number,
    private latestEventTime = Number.NEGATIVE_INFINITY,
  ) {}

  get value(): number {
    return this.latestEventTime - this.allowedLatenessMs;
  }

  /** The largest event time observed (or resumed), −∞ before any. */
  get maxEventTime(): number {
    return this.latestEventTime;
  }

  observe(eventTime: number): void {
    if (eventTime > this.latestEventTime) this.latestEventTime = eventTime;
  }

  isFinal(bucketStart: number, windowMs: number): boolean {
    return bucketStart + windowMs <= this.value;
  }

  /** A copy to aggregate a batch with, kept only once the batch is stored. */
  clone(): Watermark {
    return new Watermark(this.allowedLatenessMs, this.latestEventTime);
  }
}

export interface AggregatedBatch {
  buckets: BucketDelta[];
  late: LateDelta[];
}

/**
 * Folds a partition's actions, in stream order, into per-window deltas: the decoder hands it each message's
 * series, then its actions (an ActionSink). The watermark advances as actions are read, so an action is late
 * exactly when it would have been late on arrival. Hot path: a message's actions are nearly in time order,
 * so the window of the previous action is tried first and the per-series map (keyed by window start) is
 * only consulted when the window changes; nothing is allocated per action.
 */
export class WindowFold implements ActionSink {
  readonly buckets: BucketDelta[] = [];
  readonly late: LateDelta[] = [];
  private readonly bucketsBySeries = new Map<string, Map<number, BucketDelta>>();
  private readonly lateBySeries = new Map<string, Map<number, LateDelta>>();
  private country = "";
  private sport = "";
  private seriesKey = "";
  private seriesBuckets: Map<number, BucketDelta> | undefined;
  private bucket: BucketDelta | undefined;
  private bucketStart = Number.NaN;

  constructor(
    private readonly windowMs: number,
    readonly watermark: Watermark,
  ) {}

  series(country: string, sport: string): void {
    this.country = country;
    this.sport = sport;
    this.seriesKey = `${country}|${sport}`;
    let seriesBuckets = this.bucketsBySeries.get(this.seriesKey);
    if (!seriesBuckets) this.bucketsBySeries.set(this.seriesKey, (seriesBuckets = new Map()));
    this.seriesBuckets = seriesBuckets;
    this.bucket = undefined;
    this.bucketStart = Number.NaN;
  }

  action(type: ActionType, ts: number): void {
    const { windowMs, watermark } = this;
    const start =
      ts >= this.bucketStart && ts < this.bucketStart + windowMs
        ? this.bucketStart
        : bucketStartOf(ts, windowMs);
    if (watermark.isFinal(start, windowMs)) {
      this.countLate(start);
      return;
    }
    let bucket = this.bucket;
    if (start !== this.bucketStart || bucket === undefined) {
      bucket = this.seriesBuckets!.get(start);
      if (!bucket) {
        bucket = {
          country: this.country,
          sport: this.sport,
          bucketStart: start,
          actions: 0,
          pageViews: 0,
          videoStarts: 0,
          liveBlogOpens: 0,
          shares: 0,
        };
        this.seriesBuckets!.set(start, bucket);
        this.buckets.push(bucket);
      }
      this.bucket = bucket;
      this.bucketStart = start;
    }
    bucket.actions += 1;
    countType(bucket, type);
    watermark.observe(ts);
  }

  result(): AggregatedBatch {
    return { buckets: this.buckets, late: this.late };
  }

  private countLate(bucketStart: number): void {
    let seriesLate = this.lateBySeries.get(this.seriesKey);
    if (!seriesLate) this.lateBySeries.set(this.seriesKey, (seriesLate = new Map()));
    const entry = seriesLate.get(bucketStart);
    if (entry) entry.actions += 1;
    else {
      const created = { country: this.country, sport: this.sport, bucketStart, actions: 1 };
      seriesLate.set(bucketStart, created);
      this.late.push(created);
    }
  }
}

/**
 * Each country's total per window over its sports (sport `all`), summed from the same deltas so it always
 * equals their sum; sorted by country and window, the order writers lock these shared rows in.
 */
export function countryTotals(buckets: readonly BucketDelta[]): BucketDelta[] {
  const totals = new Map<string, BucketDelta>();
  for (const bucket of buckets) {
    const key = `${bucket.country}|${bucket.bucketStart}`;
    let total = totals.get(key);
    if (!total) {
      total = {
        country: bucket.country,
        sport: COUNTRY_TOTAL_SPORT,
        bucketStart: bucket.bucketStart,
        actions: 0,
        pageViews: 0,
        videoStarts: 0,
        liveBlogOpens: 0,
        shares: 0,
      };
      totals.set(key, total);
    }
    total.actions += bucket.actions;
    total.pageViews += bucket.pageViews;
    total.videoStarts += bucket.videoStarts;
    total.liveBlogOpens += bucket.liveBlogOpens;
    total.shares += bucket.shares;
  }
  return [...totals.values()].sort((a, b) =>
    a.country === b.country ? a.bucketStart - b.bucketStart : a.country < b.country ? -1 : 1,
  );
}

/** Folds already-decoded messages (tests, tools and benchmarks holding plain actions). */
export function aggregateActions(
  messages: Iterable<SeriesActions>,
  windowMs: number,
  watermark: Watermark,
): AggregatedBatch {
  const fold = new WindowFold(windowMs, watermark);
  for (const { country, sport, actions } of messages) {
    fold.series(country, sport);
    for (const { type, ts } of actions) fold.action(type, ts);
  }
  return fold.result();
}

/** One counter per action type; a switch keeps the hot loop free of keyed property stores. */
function countType(bucket: BucketDelta, type: ActionType): void {
  switch (type) {
    case "page_view":
      bucket.pageViews += 1;
      break;
    case "video_start":
      bucket.videoStarts += 1;
      break;
    case "live_blog_open":
      bucket.liveBlogOpens += 1;
      break;
    case "share":
      bucket.shares += 1;
      break;
  }
}
