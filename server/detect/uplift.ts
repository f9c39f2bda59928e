// The product's peak rules, shared by every detector: uplift over expected, a statistical margin, a minimum
// volume; and the rule-based detector that scores the margin in baseline sigmas.
import { Baseline, type BaselineState, type BaselineStep, type PreviousMix } from "./baseline";
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
 * The uplift rule's %: the excess over expected against the audience's normal level, `referenceViewers` (after
 * an accepted rise, the level from before it; see restMemoryBuckets), not against expected itself.
 */
function ruleUpliftPctOf(observed: number, expectedViewers: number, referenceViewers: number): number {
  return ((observed - expectedViewers) / Math.max(referenceViewers, 1)) * 100;
}

/**
 * How many sigmas `observed` lies above `expected` (both counts of one span), variance-stabilised:
 * 2(√observed − √expected) is close to a unit normal for Poisson counts, small ones included, where the plain
 * (observed − expected)/√expected puts far too many blips of a 10-action series beyond 4 sigmas. A scale wider
 * than Poisson's (sigma above √expected) widens it in proportion.
 */
export function marginSigmas(observed: number, expected: number, sigma: number): number {
  if (!(sigma > 0)) return 0;
  const poisson = Math.sqrt(Math.max(expected, 0));
  if (!(poisson > 0)) return (observed - expected) / sigma;
  return (2 * (Math.sqrt(Math.max(observed, 0)) - poisson) * poisson) / sigma;
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
  // The reported uplift, the drop rule and the rise rule keep expected: a slow trend the level accepted is not a
  // rise. Only the uplift rule judges against the reference.
  const ruleUpliftPct = ruleUpliftPctOf(bucket.observed, expectation.expectedViewers, step.referenceViewers);
  const riseScore =
    rules.minRisePct <= 0 || step.recentViewers === null
      ? 1
      : thresholdScore(
          ((bucket.observed - step.recentViewers) / Math.max(expectation.expectedViewers, 1)) * 100,
          rules.minRisePct,
        );
  const countsScore =
    step.warmingUp || step.recovering
      ? 0
      : Math.min(
          marginScore,
          thresholdScore(ruleUpliftPct, rules.minUpliftPct),
          thresholdScore(bucket.observed, rules.minVolume),
        );
  // The mix only matters above expected (most buckets are not): skip its two spans when the score is 0 anyway.
  const mixScore =
    countsScore > 0
      ? engagedScore(bucket, expectation.expectedViewers, step.engagedShare, rules, step.previousMix)
      : 1;
  const levelScore = Math.min(countsScore, mixScore);
  const score = Math.min(levelScore, riseScore);
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
    levelScore,
    mixScore,
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
  previous: PreviousMix | null = null,
): number {
  if (bucket.engaged === undefined || engagedShare === null || rules.minEngagedSharePct <= 0) return 1;
  const single = mixScore(bucket.observed, bucket.engaged, expectedViewers, engagedShare, rules);
  // The mix of a few dozen actions is noisy: a push notification's page views now and then pass in one bucket.
  // Its bucket before, when also above expected, must agree: together they are the same crowd, twice the count.
  if (previous === null) return single;
  const spanExcess = bucket.observed + previous.observed - expectedViewers - previous.expectedViewers;
  if (!(spanExcess > 0)) return single;
  const span = mixScore(
    bucket.observed + previous.observed,
    bucket.engaged + previous.engaged,
    expectedViewers + previous.expectedViewers,
    engagedShare,
    rules,
  );
  return Math.min(single, span);
}

function mixScore(
  observed: number,
  engaged: number,
  expectedViewers: number,
  engagedShare: number,
  rules: UpliftConfig,
): number {
  const excess = observed - expectedViewers;
  if (!(excess > 0)) return 1;
  const engagedExcess = engaged - engagedShare * expectedViewers;
  if (!(engagedExcess > 0)) return 0;
  // Squared, so the score is still 0.5 exactly at the threshold but a clearly engaged excess scores well above
  // it: the mix is a yes/no test of who is coming, and a noisy mix alone should not make a clear rise a weak
  // crossing that waits a window for confirmation.
  const threshold = (rules.minEngagedSharePct / 100) * excess;
  return thresholdScore(engagedExcess * engagedExcess, threshold * threshold);
}

export interface UpliftDetectorState extends DetectorState {
  detector: "uplift";
  baselineConfig: BaselineConfig;
  rules: UpliftConfig;
  baseline: BaselineState;
}

/**
 * Rule-based detector: margin = how many baseline sigmas (variance-stabilised, see marginSigmas) the bucket, or
 * the best trailing span of up to SPAN_BUCKETS buckets ending at it, is above expected.
 */
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
    return judgeBucket(
      bucket,
      step,
      this.spanEvidence(bucket.observed, step, expectedViewers, sigma),
      this.rules,
    );
  }

  /**
   * The statistical margin over the best trailing span of 1 to SPAN_BUCKETS buckets ending at this one (the
   * buckets before are expected what this one is): a sustained reaction's excess adds up k times while its
   * noise grows only √k times. A span counts only when it is also minUpliftPct over its expected as a whole,
   * so a strong bucket before does not lend its margin to a weak one; the bucket itself must still clear the
   * uplift rule on its own (judgeBucket).
   */
  private spanEvidence(observed: number, step: BaselineStep, expectedViewers: number, sigma: number): number {
    const bandSigmas = this.baseline.config.bandSigmas;
    const { minUpliftPct } = this.rules;
    // Uplift is measured against the reference (judgeBucket), the margin against expected.
    const reference = Math.max(step.referenceViewers, 1);
    let best = thresholdScore(marginSigmas(observed, expectedViewers, sigma), bandSigmas);
    // The bucket's own uplift caps its score (judgeBucket takes the minimum): when the bucket's margin already
    // reaches it, no span can change the score. Most buckets stop here, which keeps this path cheap.
    const ownUplift = ruleUpliftPctOf(observed, expectedViewers, step.referenceViewers);
    if (best >= thresholdScore(ownUplift, minUpliftPct)) return best;
    let sum = observed;
    const previous = step.previousViewers;
    for (let index = 0; index < previous.length; index += 1) {
      const span = index + 2;
      sum += previous[index]!;
      const spanUplift = thresholdScore(
        ((sum - span * expectedViewers) / (span * reference)) * 100,
        minUpliftPct,
      );
      if (spanUplift <= best) continue;
      const spanMargin = thresholdScore(
        marginSigmas(sum, span * expectedViewers, sigma * Math.sqrt(span)),
        bandSigmas,
      );
      best = Math.max(best, Math.min(spanMargin, spanUplift));
    }
    return best;
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
