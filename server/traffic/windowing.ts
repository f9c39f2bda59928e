// Event-time tumbling windows: which bucket an action belongs to, when a bucket is final (watermark), and
// the per-batch aggregation of actions into bucket deltas. Pure functions over plain data.
import type { ActionType, UserAction } from "../stream/messages";

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
 * are read, so an action is late exactly when it would have been late on arrival.
 */
export function aggregateActions(
  actions: Iterable<UserAction>,
  windowMs: number,
  watermark: Watermark,
): AggregatedBatch {
  const buckets = new Map<string, BucketDelta>();
  const late = new Map<string, LateDelta>();
  for (const action of actions) {
    const bucketStart = bucketStartOf(action.ts, windowMs);
    const key = `${action.country}|${action.sport}|${bucketStart}`;
    if (watermark.isFinal(bucketStart, windowMs)) {
      const entry = late.get(key);
      if (entry) entry.actions += 1;
      else late.set(key, { country: action.country, sport: action.sport, bucketStart, actions: 1 });
      continue;
    }
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = {
        country: action.country,
        sport: action.sport,
        bucketStart,
        actions: 0,
        pageViews: 0,
        videoStarts: 0,
        liveBlogOpens: 0,
        shares: 0,
      };
      buckets.set(key, bucket);
    }
    bucket.actions += 1;
    bucket[COUNTER_FOR[action.type]] += 1;
    watermark.observe(action.ts);
  }
  return { buckets: [...buckets.values()], late: [...late.values()] };
}
