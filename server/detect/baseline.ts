// Expected viewers of one series: a robust damped Holt model (level + trend, Huber-clipped innovations, peaks
// learned at a small gain) on the series divided by its daily profile, with a robust scale for the band.
import { baselineConfigSchema, type BaselineConfig } from "./config";
import { median, medianAbsoluteDeviation } from "./robust-stats";
import { emptyProfile, SeasonalProfile, type SeasonalProfileState } from "./seasonal-profile";
import { DetectorInputError, type BucketObservation, type Expectation } from "./types";

/** Mean absolute deviation → standard deviation for normal noise. */
const MAD_TO_SIGMA = 1.2533;
/** Median absolute deviation → standard deviation for normal noise. */
const MEDIAN_AD_TO_SIGMA = 1.4826;

export interface BaselineState {
  level: number;
  trend: number;
  /** Robust scale of the deseasonalised series, before floors. */
  sigma: number;
  /** Buckets learned since the (re)start; below warmupBuckets the baseline is warming up. */
  learned: number;
  lastBucketStart: number | null;
  /**
   * Consecutive buckets outside the band on one side: positive above, negative below. At maxOutlierBuckets
   * above (maxDropBuckets below) the baseline accepts the new level.
   */
  outlierRun: number;
  /** Ring of the latest deseasonalised values, for the robust start and restarts. */
  recent: number[];
  recentNext: number;
  profile: SeasonalProfileState;
}

export interface BaselineStep {
  /** The expectation formed before the bucket was seen (no look-ahead). */
  expectation: Expectation;
  /** Outside the band: learned at a small gain only. */
  isOutlier: boolean;
  warmingUp: boolean;
}

export class Baseline {
  readonly config: BaselineConfig;
  private readonly state: BaselineState;
  private readonly profile: SeasonalProfile;
  private readonly windowMs: number;

  constructor(config: Partial<BaselineConfig> = {}, state?: BaselineState) {
    this.config = baselineConfigSchema.parse(config);
    this.windowMs = this.config.windowSeconds * 1000;
    this.state = state ? structuredClone(state) : freshState(this.config);
    this.profile = new SeasonalProfile(this.config, this.state.profile);
  }

  toJSON(): BaselineState {
    return { ...this.state, recent: [...this.state.recent], profile: this.profile.toJSON() };
  }

  /** Forms the expectation for the bucket, then learns from it. Buckets must come in time order. */
  update(bucket: BucketObservation): BaselineStep {
    const { config, state } = this;
    if (!Number.isFinite(bucket.observed) || bucket.observed < 0) {
      throw new DetectorInputError(`observed viewers must be a finite number ≥ 0, got ${bucket.observed}`);
    }
    this.skipMissingBuckets(bucket.bucketStart);
    state.lastBucketStart = bucket.bucketStart;

    const factor = this.profile.factorAt(bucket.bucketStart);
    const deseasonalised = bucket.observed / factor;
    const warmingUp = state.learned < config.warmupBuckets;
    if (warmingUp) {
      const expectation = state.learned === 0 ? unknownExpectation() : this.expectation(state.level, factor);
      this.pushRecent(deseasonalised);
      state.learned += 1;
      state.level = median(this.recentValues());
      state.sigma = MEDIAN_AD_TO_SIGMA * medianAbsoluteDeviation(this.recentValues(), state.level);
      state.trend = 0;
      this.profile.observe(bucket.bucketStart, bucket.observed);
      return { expectation, isOutlier: false, warmingUp: true };
    }

    const forecastLevel = state.level + config.trendDamping * state.trend;
    const expectation = this.expectation(forecastLevel, factor);
    const scale = expectation.sigma / factor;
    const residual = deseasonalised - forecastLevel;
    // Beyond the band, or a large relative move that is also beyond the clipping point: on small counts a
    // doubling or an outage can stay inside a ±k·sigma band and would otherwise be learned as normal.
    const isOutlier =
      Math.abs(residual) > config.bandSigmas * scale ||
      (Math.abs(residual) > config.outlierSigmas * scale &&
        Math.abs(residual) >= (config.outlierChangePct / 100) * Math.max(forecastLevel, 1));
    const clipped = Math.max(-config.huberK * scale, Math.min(config.huberK * scale, residual));
    const gain = isOutlier ? config.outlierGain : 1;

    const levelStep = config.levelAlpha * gain * clipped;
    state.level = Math.max(0, forecastLevel + levelStep);
    // The trend learns from normal buckets only: small steps during a long peak or outage would otherwise add
    // up into a slope that walks the baseline to the excursion.
    state.trend = config.trendDamping * state.trend + (isOutlier ? 0 : config.trendBeta * levelStep);
    const scaleGain = config.scaleBeta * gain;
    state.sigma += scaleGain * (MAD_TO_SIGMA * Math.abs(clipped) - state.sigma);
    state.learned += 1;
    this.pushRecent(deseasonalised);

    if (!isOutlier) state.outlierRun = 0;
    else if (residual > 0) state.outlierRun = Math.max(0, state.outlierRun) + 1;
    else state.outlierRun = Math.min(0, state.outlierRun) - 1;
    if (state.outlierRun >= config.maxOutlierBuckets || -state.outlierRun >= config.maxDropBuckets) {
      this.acceptNewLevel();
    }
    if (!isOutlier) this.profile.observe(bucket.bucketStart, bucket.observed);
    return { expectation, isOutlier, warmingUp: false };
  }

  /** A long excursion is a new normal (a match started, a feed went dark): restart from the recent median. */
  private acceptNewLevel(): void {
    const { state } = this;
    const recent = this.recentValues();
    state.level = median(recent);
    state.trend = 0;
    state.sigma = Math.max(state.sigma, MEDIAN_AD_TO_SIGMA * medianAbsoluteDeviation(recent, state.level));
    state.outlierRun = 0;
  }

  /** Missing buckets are unknown, not zero: project the damped trend over them, or restart after a long gap. */
  private skipMissingBuckets(bucketStart: number): void {
    const { config, state } = this;
    if (state.lastBucketStart === null) return;
    const steps = Math.round((bucketStart - state.lastBucketStart) / this.windowMs);
    if (steps <= 0) {
      throw new DetectorInputError(
        `bucket ${new Date(bucketStart).toISOString()} is not after the previous one ` +
          `(${new Date(state.lastBucketStart).toISOString()}); feed buckets in time order`,
      );
    }
    const missing = steps - 1;
    if (missing === 0) return;
    if (missing > config.restartAfterGapBuckets) {
      Object.assign(state, { ...freshState(config), profile: state.profile, lastBucketStart: null });
      return;
    }
    const damping = config.trendDamping;
    const projected = damping === 1 ? missing : (damping * (1 - damping ** missing)) / (1 - damping);
    state.level = Math.max(0, state.level + state.trend * projected);
    state.trend *= damping ** missing;
  }

  private expectation(level: number, factor: number): Expectation {
    const { config, state } = this;
    const expectedViewers = Math.max(0, level * factor);
    const sigma = Math.max(
      state.sigma * factor,
      config.minSigma,
      config.relativeSigmaFloor * expectedViewers,
      config.countNoise ? Math.sqrt(expectedViewers) : 0,
    );
    const margin = config.bandSigmas * sigma;
    return {
      expectedViewers,
      lowerViewers: Math.max(0, expectedViewers - margin),
      upperViewers: expectedViewers + margin,
      sigma,
    };
  }

  private pushRecent(value: number): void {
    const { state } = this;
    const capacity = this.config.warmupBuckets;
    if (state.recent.length < capacity) state.recent.push(value);
    else state.recent[state.recentNext] = value;
    state.recentNext = (state.recentNext + 1) % capacity;
  }

  private recentValues(): number[] {
    return this.state.recent;
  }
}

function freshState(config: BaselineConfig): BaselineState {
  return {
    level: 0,
    trend: 0,
    sigma: 0,
    learned: 0,
    lastBucketStart: null,
    outlierRun: 0,
    recent: [],
    recentNext: 0,
    profile: emptyProfile(config),
  };
}

function unknownExpectation(): Expectation {
  return { expectedViewers: 0, lowerViewers: 0, upperViewers: 0, sigma: 0 };
}
