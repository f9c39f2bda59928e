// The product's peak rules, shared by every detector: uplift over expected, a statistical margin, a minimum
// volume; and the rule-based detector that scores the margin in baseline sigmas.
import { Baseline, type BaselineState, type BaselineStep } from "./baseline";
import { baselineConfigSchema, upliftConfigSchema, type BaselineConfig, type UpliftConfig } from "./config";
import type { Assessment, BucketObservation, Detector, DetectorState } from "./types";

/** 0 at or below 0, 0.5 exactly at the threshold, towards 1 far above it: a rule passes iff its score ≥ 0.5. */
export function thresholdScore(value: number, threshold: number): number {
  if (!(value > 0)) return 0;
  if (threshold <= 0) return 1;
  return value / (value + threshold);
}

export function upliftPctOf(observed: number, expectedViewers: number): number {
  return ((observed - expectedViewers) / Math.max(expectedViewers, 1)) * 100;
}

/**
 * Applies the peak and drop rules to a bucket. `marginScore` is the detector's own statistical evidence
 * (0.5 at its threshold); the bucket is a peak only when margin, uplift and volume all pass.
 */
export function judgeBucket(
  bucket: BucketObservation,
  step: BaselineStep,
  marginScore: number,
  rules: UpliftConfig,
): Assessment {
  const { expectation } = step;
  const upliftPct = upliftPctOf(bucket.observed, expectation.expectedViewers);
  const riseScore =
    rules.minRisePct <= 0 || step.recentViewers === null
      ? 1
      : thresholdScore(
          ((bucket.observed - step.recentViewers) / Math.max(expectation.expectedViewers, 1)) * 100,
          rules.minRisePct,
        );
  const score = step.warmingUp
    ? 0
    : Math.min(
        marginScore,
        thresholdScore(upliftPct, rules.minUpliftPct),
        thresholdScore(bucket.observed, rules.minVolume),
        riseScore,
        engagedScore(bucket, expectation.expectedViewers, step.engagedShare, rules),
      );
  const isDrop =
    !step.warmingUp &&
    expectation.expectedViewers >= rules.minVolume &&
    upliftPct <= -rules.minDropPct &&
    bucket.observed < expectation.lowerViewers;
  // Fields spelled out rather than spread: this runs for every bucket of every series.
  return {
    bucketStart: bucket.bucketStart,
    observed: bucket.observed,
    expectedViewers: expectation.expectedViewers,
    lowerViewers: expectation.lowerViewers,
    upperViewers: expectation.upperViewers,
    sigma: expectation.sigma,
    upliftPct,
    score,
    isPeak: score >= 0.5,
    isDrop,
    warmingUp: step.warmingUp,
  };
}

/**
 * The action-mix rule: 0.5 when the engaged actions above their usual share of expected make up exactly
 * minEngagedSharePct of the actions above expected; 1 (no evidence against) when the mix is unknown.
 */
export function engagedScore(
  bucket: BucketObservation,
  expectedViewers: number,
  engagedShare: number | null,
  rules: UpliftConfig,
): number {
  if (bucket.engaged === undefined || engagedShare === null || rules.minEngagedSharePct <= 0) return 1;
  const excess = bucket.observed - expectedViewers;
  if (!(excess > 0)) return 1;
  return thresholdScore(
    bucket.engaged - engagedShare * expectedViewers,
    (rules.minEngagedSharePct / 100) * excess,
  );
}

export interface UpliftDetectorState extends DetectorState {
  detector: "uplift";
  baselineConfig: BaselineConfig;
  rules: UpliftConfig;
  baseline: BaselineState;
}

/** Rule-based detector: margin = how many baseline sigmas the bucket is above expected. */
export class UpliftDetector implements Detector {
  readonly name = "uplift" as const;
  private readonly baseline: Baseline;
  private readonly rules: UpliftConfig;

  constructor(
    baselineConfig: Partial<BaselineConfig> = {},
    rules: Partial<UpliftConfig> = {},
    state?: BaselineState,
  ) {
    this.baseline = new Baseline(baselineConfigSchema.parse(baselineConfig), state);
    this.rules = upliftConfigSchema.parse(rules);
  }

  static restore(state: UpliftDetectorState): UpliftDetector {
    return new UpliftDetector(state.baselineConfig, state.rules, state.baseline);
  }

  assess(bucket: BucketObservation): Assessment {
    const step = this.baseline.update(bucket);
    const { expectedViewers, sigma } = step.expectation;
    const marginSigmas = sigma > 0 ? (bucket.observed - expectedViewers) / sigma : 0;
    return judgeBucket(
      bucket,
      step,
      thresholdScore(marginSigmas, this.baseline.config.bandSigmas),
      this.rules,
    );
  }

  toJSON(): UpliftDetectorState {
    return {
      detector: "uplift",
      version: 1,
      baselineConfig: this.baseline.config,
      rules: this.rules,
      baseline: this.baseline.toJSON(),
    };
  }
}
