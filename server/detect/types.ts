// Shared vocabulary of peak detection: one final bucket in, one assessment out, and the Detector interface
// that the rule-based and the learned detector both implement.

/** One final bucket of one country × sport series. */
export interface BucketObservation {
  /** Window start, epoch ms. */
  bucketStart: number;
  /** Actions counted in the window (the chart's viewers). */
  observed: number;
  /**
   * Of those, the engaged ones (video starts, live-blog opens, shares), when the action mix is known: an
   * audience reacting engages, a bot or a push notification mostly loads pages. Unset: counts only.
   */
  engaged?: number;
  /**
   * What the session schedule of the series' sport expects now (see session-ramps.ts): 1 while an audience
   * gathers for a session about to start, -1 while it leaves one that ended, 0 or unset otherwise.
   */
  sessionRamp?: number;
}

/** What the baseline expected for a bucket, before seeing it, with its uncertainty band. */
export interface Expectation {
  expectedViewers: number;
  lowerViewers: number;
  upperViewers: number;
  /** Robust standard deviation of the bucket around the expectation. */
  sigma: number;
}

/** A detector's verdict on one bucket; stored with the bucket so the chart can draw expected and band. */
export interface Assessment extends Expectation {
  bucketStart: number;
  observed: number;
  /** (observed − expected) / expected × 100; expected is floored at 1 so zeros stay finite. */
  upliftPct: number;
  /** 0–1; 0.5 or more means the bucket clears every peak rule. Drops score 0. */
  score: number;
  /**
   * The score without the rise rule (uplift, margin, volume, mix only): how far the bucket's level is over
   * expected, whatever it was 40–60 s before. Re-arming inside a held peak judges the rise itself.
   */
  levelScore?: number;
  /** The action-mix rule's own score (1 when the mix is unknown, or when the other level rules already fail). */
  mixScore?: number;
  isPeak: boolean;
  isDrop: boolean;
  /** True while the detector has too little history to judge (nothing fires). */
  warmingUp: boolean;
}

export const DETECTOR_NAMES = ["uplift", "forest"] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** Streaming detector of one series: feed final buckets in time order, persist `toJSON()` to resume. */
export interface Detector {
  readonly name: DetectorName;
  assess(bucket: BucketObservation): Assessment;
  toJSON(): DetectorState;
}

/** Plain-JSON state of any detector; `restoreDetector` turns it back into a live one. */
export interface DetectorState {
  detector: DetectorName;
  version: 1;
  [part: string]: unknown;
}

export class DetectorInputError extends Error {
  override name = "DetectorInputError";
}
