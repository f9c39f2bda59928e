// Event-time tumbling windows: which bucket an action belongs to, when a bucket is final (watermark), and
// the per-batch aggregation of actions into bucket deltas. Pure functions over plain data.
import type { ActionType, SeriesActions } from "../stream/messages";

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

const COUNTER_FOR: Record<
  ActionType,
  keyof Pick<BucketDelta, "pageViews" | "videoStarts" | "liveBlogOpens" | "shares">
> = {
  page_view: "pageViews",
  video_start: "videoStarts",
  live_blog_open: "liveBlogOpens",
  share: "shares",
};

export function bucketStartOf(eventTime: number, windowMs: number): number {
  return eventTime - (((eventTime % windowMs) + windowMs) % windowMs);
}

/**
 * The watermark of one partition: the latest event time seen minus the allowed lateness. A window whose end
 * is at or before the watermark is final; actions for it are counted as dropped-late instead.
 */
export class Watermark {
  private maxEventTime = Number.NEGATIVE_INFINITY;

  constructor(private readonly allowedLatenessMs: number) {}

  get value(): number {
    return this.maxEventTime - this.allowedLatenessMs;
  }

  observe(eventTime: number): void {
    if (eventTime > this.maxEventTime) this.maxEventTime = eventTime;
  }

  isFinal(bucketStart: number, windowMs: number): boolean {
    return bucketStart + windowMs <= this.value;
  }
}

export interface AggregatedBatch {
  buckets: BucketDelta[];
  late: LateDelta[];
}

/**
 * Folds a partition's actions, in stream order, into per-window deltas. The watermark advances as actions
 * are read, so an action is late exactly when it would have been late on arrival. Hot path: one map lookup
 * per series and one per action, keyed by number.
 */
export function aggregateActions(
  messages: Iterable<SeriesActions>,
  windowMs: number,
  watermark: Watermark,
): AggregatedBatch {
  const bucketsBySeries = new Map<string, Map<number, BucketDelta>>();
  const lateBySeries = new Map<string, Map<number, LateDelta>>();
  const buckets: BucketDelta[] = [];
  const late: LateDelta[] = [];
  for (const { country, sport, actions } of messages) {
    const seriesKey = `${country}|${sport}`;
    let seriesBuckets = bucketsBySeries.get(seriesKey);
    if (!seriesBuckets) bucketsBySeries.set(seriesKey, (seriesBuckets = new Map()));
    for (const { type, ts } of actions) {
      const bucketStart = bucketStartOf(ts, windowMs);
      if (watermark.isFinal(bucketStart, windowMs)) {
        let seriesLate = lateBySeries.get(seriesKey);
        if (!seriesLate) lateBySeries.set(seriesKey, (seriesLate = new Map()));
        const entry = seriesLate.get(bucketStart);
        if (entry) entry.actions += 1;
        else {
          const created = { country, sport, bucketStart, actions: 1 };
          seriesLate.set(bucketStart, created);
          late.push(created);
        }
        continue;
      }
      let bucket = seriesBuckets.get(bucketStart);
      if (!bucket) {
        bucket = {
          country,
          sport,
          bucketStart,
          actions: 0,
          pageViews: 0,
          videoStarts: 0,
          liveBlogOpens: 0,
          shares: 0,
        };
        seriesBuckets.set(bucketStart, bucket);
        buckets.push(bucket);
      }
      bucket.actions += 1;
      bucket[COUNTER_FOR[type]] += 1;
      watermark.observe(ts);
    }
  }
  return { buckets, late };
}
