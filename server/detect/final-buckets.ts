// Which buckets of a series are ready to judge once a partition's watermark moved: every window from the one
// after the last judged up to the last final one, with explicit zeros for windows in which the series saw no
// action while its partition did (the detector itself treats a missing bucket as unknown, but a final window of
// a live series with no row is 0). A window in which the whole partition stored nothing is not a zero: nothing
// flowed (the worker or the stream was down), so it is left out and the detector sees a gap.

/** Start of the last window whose end is at or before the watermark; -Infinity when none is final yet. */
export function lastFinalBucketStart(watermark: number, windowMs: number): number {
  if (!Number.isFinite(watermark)) return Number.NEGATIVE_INFINITY;
  const latest = watermark - windowMs;
  return latest - (((latest % windowMs) + windowMs) % windowMs);
}

export interface BucketsToJudge {
  /** Final buckets in time order, zeros included; empty when nothing new is final. */
  observations: { bucketStart: number; observed: number; engaged?: number; sessionRamp?: number }[];
  /** Window starts that had a stored row (only those get an expected band written). */
  stored: Set<number>;
}

/**
 * The observations to feed a series' detector. `lastJudged` is null for a series never judged: it starts at
 * its first stored bucket, not with a run of zeros. After a long silence at most `maxZeroFill` zeros are fed
 * (the detector sees a gap before them and restarts its level, keeping its daily profile), and with
 * `partitionTraffic` none for windows in which the partition stored nothing.
 */
export function bucketsToJudge(options: {
  lastJudged: number | null;
  lastFinal: number;
  /** Stored actions per window start, for windows after lastJudged (others are ignored). */
  counts: ReadonlyMap<number, number>;
  /** Engaged actions per stored window, when the mix is known (a window without a row engaged none). */
  engaged?: ReadonlyMap<number, number>;
  windowMs: number;
  maxZeroFill: number;
  /**
   * Window starts in which the series' partition stored any row. When given, a window outside it is a gap,
   * not a zero: after hours down, a restarted worker must not teach its detectors that the audience was 0.
   */
  partitionTraffic?: ReadonlySet<number>;
}): BucketsToJudge {
  const { lastJudged, lastFinal, counts, engaged, windowMs, maxZeroFill, partitionTraffic } = options;
  if (lastJudged !== null && lastFinal === lastJudged + windowMs) {
    // The usual live step: exactly one new final window. No key lists to sort, no silence to jump.
    const observed = counts.get(lastFinal);
    if (observed === undefined && !flowed(partitionTraffic, lastFinal)) {
      return { observations: [], stored: new Set() };
    }
    const stored = new Set<number>();
    if (observed !== undefined) stored.add(lastFinal);
    return { observations: [observation(engaged, lastFinal, observed ?? 0)], stored };
  }
  const storedStarts = [...counts.keys()]
    .filter((start) => start <= lastFinal && (lastJudged === null || start > lastJudged))
    .sort((a, b) => a - b);
  const observations: BucketsToJudge["observations"] = [];
  const stored = new Set(storedStarts);
  let from: number;
  if (lastJudged === null) {
    if (storedStarts.length === 0) return { observations, stored };
    from = storedStarts[0]!;
  } else {
    from = lastJudged + windowMs;
  }
  if (from > lastFinal) return { observations, stored };
  let next = 0;
  for (let start = from; start <= lastFinal; start += windowMs) {
    // Jump over a silence longer than maxZeroFill: only its last maxZeroFill windows are fed as zeros.
    const nextStored = storedStarts[next] ?? lastFinal + windowMs;
    const silenceEnd = Math.min(nextStored, lastFinal + windowMs);
    if ((silenceEnd - start) / windowMs > maxZeroFill) start = silenceEnd - maxZeroFill * windowMs;
    if (start === nextStored) {
      observations.push(observation(engaged, start, counts.get(start)!));
      next += 1;
    } else if (flowed(partitionTraffic, start)) {
      observations.push(observation(engaged, start, 0));
    }
  }
  return { observations, stored };
}

// Module functions rather than closures: this runs for every series at every step, and under tsx (esbuild's
// keepNames) every closure made in a call is also renamed with Object.defineProperty, ~0.5 µs each.
function flowed(partitionTraffic: ReadonlySet<number> | undefined, bucketStart: number): boolean {
  return partitionTraffic === undefined || partitionTraffic.has(bucketStart);
}

function observation(
  engaged: ReadonlyMap<number, number> | undefined,
  bucketStart: number,
  observed: number,
): BucketsToJudge["observations"][number] {
  return engaged
    ? { bucketStart, observed, engaged: engaged.get(bucketStart) ?? 0 }
    : { bucketStart, observed };
}
