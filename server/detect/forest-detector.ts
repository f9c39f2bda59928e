// Learned detector: Half-Space Trees over shingles of the baseline's standardised residuals. The forest
// learns what residual patterns are usual for this series (heavy tails, bursts) instead of a fixed k·sigma;
// the product's uplift and volume rules still apply on top.
import { Baseline, type BaselineState } from "./baseline";
import {
  baselineConfigSchema,
  forestConfigSchema,
  upliftConfigSchema,
  type BaselineConfig,
  type ForestConfig,
  type UpliftConfig,
} from "./config";
import { HalfSpaceForest, type HalfSpaceForestState } from "./half-space-trees";
import type { Assessment, BucketObservation, Detector, DetectorState } from "./types";
import { judgeBucket } from "./uplift";

/** Residuals are clamped to ±this many sigmas before mapping to [0,1]. */
const RESIDUAL_RANGE_SIGMAS = 10;

export interface ForestDetectorState extends DetectorState {
  detector: "forest";
  baselineConfig: BaselineConfig;
  rules: UpliftConfig;
  forestConfig: ForestConfig;
  baseline: BaselineState;
  forest: HalfSpaceForestState;
  /** Latest standardised residuals, newest last, already mapped to [0,1]. */
  shingle: number[];
}

export class ForestDetector implements Detector {
  readonly name = "forest" as const;
  private readonly baseline: Baseline;
  private readonly rules: UpliftConfig;
  private readonly forestConfig: ForestConfig;
  private readonly forest: HalfSpaceForest;
  private readonly shingle: Float64Array;
  private filled: number;

  constructor(
    baselineConfig: Partial<BaselineConfig> = {},
    rules: Partial<UpliftConfig> = {},
    forestConfig: Partial<ForestConfig> = {},
    state?: Pick<ForestDetectorState, "baseline" | "forest" | "shingle">,
  ) {
    this.baseline = new Baseline(baselineConfigSchema.parse(baselineConfig), state?.baseline);
    this.rules = upliftConfigSchema.parse(rules);
    this.forestConfig = forestConfigSchema.parse(forestConfig);
    this.forest = new HalfSpaceForest(this.forestConfig, this.forestConfig.shingleSize, state?.forest);
    this.shingle = new Float64Array(this.forestConfig.shingleSize);
    this.filled = 0;
    if (state) {
      const start = this.shingle.length - state.shingle.length;
      state.shingle.forEach((value, index) => (this.shingle[start + index] = value));
      this.filled = state.shingle.length;
    }
  }

  static restore(state: ForestDetectorState): ForestDetector {
    return new ForestDetector(state.baselineConfig, state.rules, state.forestConfig, state);
  }

  assess(bucket: BucketObservation): Assessment {
    const step = this.baseline.update(bucket);
    const { expectedViewers, sigma } = step.expectation;
    if (step.warmingUp || sigma <= 0) return judgeBucket(bucket, step, 0, this.rules);

    const residual = (bucket.observed - expectedViewers) / sigma;
    const clamped = Math.max(-RESIDUAL_RANGE_SIGMAS, Math.min(RESIDUAL_RANGE_SIGMAS, residual));
    this.shingle.copyWithin(0, 1);
    this.shingle[this.shingle.length - 1] = (clamped + RESIDUAL_RANGE_SIGMAS) / (2 * RESIDUAL_RANGE_SIGMAS);
    this.filled = Math.min(this.filled + 1, this.shingle.length);
    if (this.filled < this.shingle.length) return judgeBucket(bucket, step, 0, this.rules);

    let marginScore = 0;
    if (this.forest.ready) {
      const halfScore = this.forestConfig.densityAtHalfScore;
      const density = this.forest.densityThenLearn(this.shingle);
      // Only rarity above expected can be a peak; drops are judged by the shared rules.
      marginScore = residual > 0 ? halfScore / (halfScore + density) : 0;
    } else {
      this.forest.learn(this.shingle);
    }
    return judgeBucket(bucket, step, marginScore, this.rules);
  }

  toJSON(): ForestDetectorState {
    return {
      detector: "forest",
      version: 1,
      baselineConfig: this.baseline.config,
      rules: this.rules,
      forestConfig: this.forestConfig,
      baseline: this.baseline.toJSON(),
      forest: this.forest.toJSON(),
      shingle: Array.from(this.shingle.subarray(this.shingle.length - this.filled)),
    };
  }
}
