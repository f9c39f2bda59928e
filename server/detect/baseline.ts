// Expected viewers of one series: a robust damped Holt model (level + trend, Huber-clipped innovations, peaks
// learned at a small gain) on the series divided by its daily profile, with a robust scale for the band.
import { baselineConfigSchema, type BaselineConfig } from "./config";
import { median, medianAbsoluteDeviation } from "./robust-stats";
import { emptyProfile, SeasonalProfile, type SeasonalProfileState } from "./seasonal-profile";
import { DetectorInputError, type BucketObservation, type Expectation } from "./types";

/** Mean absolute deviation → standard deviation for normal noise. */
/** A normal variable falls more than this many sigmas below its mean a quarter of the time. */
const LOWER_QUARTILE_SIGMAS = 0.6745;
const MIN_SCALE = 1e-3;
/** The rise rule compares a bucket with the median of the buckets 4, 5 and 6 windows back (40–60 s ago). */
const RISE_LOOKBACK_FROM = 4;
/** Median absolute deviation → standard deviation for normal noise. */
const MEDIAN_AD_TO_SIGMA = 1.4826;
/** The longest trailing span (in buckets, this one included) the peak rules may judge. */
export const SPAN_BUCKETS = 3;
const NO_PREVIOUS: readonly number[] = Object.freeze([]);
/** Buckets in a row back near the former level after which an accepted rise is undone. */
const FALL_BACK_BUCKETS = 3;
/** A bucket under this share of the level is in a deep drop (an outage leaves 10–35 % of the traffic). */
const DEEP_DROP_SHARE = 0.5;
/** A sudden fall is also this many Poisson sigmas of a three-bucket mean below the level, not count noise. */
const SUDDEN_FALL_SIGMAS = 2;

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
  /** The session ramp (see session-ramps.ts) the previous bucket was in; absent in states from before. */
  ramp?: number;
  /**
   * Expected engaged and total actions per bucket (gain mixAlpha, normal buckets only): their ratio is the
   * series' usual engaged share. Absent until a bucket with a known mix was seen.
   */
  mixEngaged?: number;
  mixTotal?: number;
  /**
   * Buckets in a row (up to SPAN_BUCKETS − 1) before the current one with no gap and no restart: how far back
   * a trailing span may reach. Absent in states from before: no span then.
   */
  contiguous?: number;
  /**
   * Level and scale from before the baseline last accepted a higher level: a long run of stacked reactions (or
   * a bot burst) can outlast maxOutlierBuckets, and when the series then falls back to where it was, that is
   * the old normal again, not an outage to hold for maxDropBuckets.
   */
  formerLevel?: number;
  formerSigma?: number;
  /** Until when (bucket start, epoch ms) the former level can come back: maxOutlierBuckets after the rise. */
  formerUntil?: number;
  /**
   * The level from before a chain of accepted rises (deseasonalised), and until when (bucket start, epoch ms)
   * the uplift rule judges against it (see restMemoryBuckets). Absent when there is none, or in states from
   * before.
   */
  restLevel?: number;
  restUntil?: number;
  /**
   * Until when (bucket start, epoch ms) the series is recovering from a drop (an outage ending): its way back
   * up, and a level that went stale meanwhile, are not a peak.
   */
  recoveringUntil?: number;
  /** Buckets below half the level (an outage's depth), counted up by those and down by the others. */
  deepDropRun?: number;
  /**
   * The previous bucket's observed and engaged actions and its expected viewers, for the action-mix rule over
   * two buckets; absent before a bucket with a known mix, or in states from before.
   */
  previousMix?: PreviousMix;
}

export interface PreviousMix {
  bucketStart: number;
  observed: number;
  engaged: number;
  expectedViewers: number;
}

export interface BaselineStep {
  /** The expectation formed before the bucket was seen (no look-ahead). */
  expectation: Expectation;
  /** Outside the band: learned at a small gain only. */
  isOutlier: boolean;
  /**
   * Median of the buckets 40–60 s before this one (on this bucket's time-of-day scale), or null without that
   * much history: what a sudden rise is measured from.
   */
  recentViewers: number | null;
  /** The series' usual share of engaged actions before this bucket, or null when no mix was seen yet. */
  engagedShare: number | null;
  /**
   * The bucket just before this one with its mix and expectation, or null (none, a gap, mix unknown). Owned by
   * the baseline and refilled by its next update, like previousViewers.
   */
  previousMix: PreviousMix | null;
  /**
   * Within recoveryBuckets of the last bucket of a deep drop (an outage): the series is coming back, and no
   * peak is judged.
   */
  recovering: boolean;
  /**
   * What the uplift rule measures the excess over expected against: expectedViewers, or less after an accepted
   * rise, the expectation at the level from before it (see restMemoryBuckets).
   */
  referenceViewers: number;
  /**
   * The observed viewers of the buckets just before this one, latest first, on this bucket's time-of-day
   * scale: at most SPAN_BUCKETS − 1, none across a gap or a restart. What a trailing span adds up. Owned by
   * the baseline and refilled by its next update: read it before then.
   */
  readonly previousViewers: readonly number[];
  warmingUp: boolean;
}

export class Baseline {
  readonly config: BaselineConfig;
  private readonly state: BaselineState;
  private readonly profile: SeasonalProfile;
  private readonly windowMs: number;
  /** How far below the mean the level settles on plain noise, given the lower gain on rises (sigmas). */
  private readonly riseBiasSigmas: number;
  private readonly previousBuffer: number[] = [];
  private readonly previousMixBuffer: PreviousMix = {
    bucketStart: 0,
    observed: 0,
    engaged: 0,
    expectedViewers: 0,
  };

  constructor(config: Partial<BaselineConfig> = {}, state?: BaselineState) {
    this.config = baselineConfigSchema.parse(config);
    this.windowMs = this.config.windowSeconds * 1000;
    this.state = state ? structuredClone(state) : freshState(this.config);
    this.profile = new SeasonalProfile(this.config, this.state.profile);
    this.riseBiasSigmas = riseBiasSigmas(this.config.levelRiseGain, this.config.huberK);
  }

  toJSON(): BaselineState {
    const { previousMix } = this.state;
    return {
      ...this.state,
      recent: [...this.state.recent],
      profile: this.profile.toJSON(),
      previousMix: previousMix && { ...previousMix },
    };
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
      this.learnMix(bucket);
      return {
        expectation,
        isOutlier: false,
        warmingUp: true,
        recentViewers: null,
        engagedShare: null,
        previousMix: null,
        previousViewers: NO_PREVIOUS,
        recovering: false,
        referenceViewers: expectation.expectedViewers,
      };
    }
    const engagedShare = this.engagedShare();

    const recentViewers = this.recentMedian() * factor;
    const reach = Math.min(state.contiguous ?? 0, SPAN_BUCKETS - 1, state.recent.length);
    // One buffer per baseline, refilled each update (this runs for every bucket of every series).
    const buffer = this.previousBuffer;
    // Setting an array's length is a runtime call even when it does not change it: only when it does.
    if (buffer.length !== reach) buffer.length = reach;
    for (let back = 1; back <= reach; back += 1) buffer[back - 1] = this.recentAt(back) * factor;
    const previousViewers = reach === 0 ? NO_PREVIOUS : buffer;
    // An audience gathering for (or leaving) a session the schedule announced: follow it faster and learn its
    // rises at full gain, then forget its slope once the ramp is over so the level does not overshoot.
    const ramp = bucket.sessionRamp ?? 0;
    if (ramp === 0 && (state.ramp ?? 0) !== 0) state.trend = 0;
    state.ramp = ramp;
    const forecastLevel = state.level + config.trendDamping * state.trend;
    const expectation = this.expectation(forecastLevel, factor);
    const scale = expectation.sigma / factor;
    // After an accepted rise, the uplift rule's reference is the level from before it (with the same bias), until
    // the memory runs out or the level is back down there.
    let referenceViewers = expectation.expectedViewers;
    if (state.restLevel !== undefined) {
      if (bucket.bucketStart > (state.restUntil ?? 0) || state.restLevel >= forecastLevel)
        forgetRestLevel(state);
      else {
        const bias = expectation.expectedViewers - Math.max(0, forecastLevel * factor);
        referenceViewers = Math.min(referenceViewers, state.restLevel * factor + bias);
      }
    }
    const residual = deseasonalised - forecastLevel;
    // Beyond the band, or a large relative move that is also beyond the clipping point: on small counts a
    // doubling or an outage can stay inside a ±k·sigma band and would otherwise be learned as normal.
    // Also when the last three buckets together are that far off: on small counts an outage (or a reaction)
    // leaves single buckets only 1–2 sigmas out, and learning them one by one walks the level away.
    const runMean = (deseasonalised + this.recentAt(1) + this.recentAt(2)) / 3;
    const runResidual = runMean - forecastLevel;
    const minChange = (config.outlierChangePct / 100) * Math.max(forecastLevel, 1);
    const isOutlier =
      Math.abs(residual) > config.bandSigmas * scale ||
      farOff(residual, config.outlierSigmas * scale, minChange) ||
      (Math.sign(runResidual) === Math.sign(residual) &&
        farOff(runResidual, (config.outlierSigmas / Math.sqrt(3)) * scale, minChange));
    const clipped = Math.max(-config.huberK * scale, Math.min(config.huberK * scale, residual));
    const gain = isOutlier ? config.outlierGain : 1;

    // Rises are learned at a lower gain than falls: reactions are frequent and only ever upwards, so an even
    // gain would lift the level through a busy session; the expectation corrects the bias this leaves.
    const riseGain = residual > 0 && ramp === 0 ? config.levelRiseGain : 1;
    const levelStep = (ramp === 0 ? config.levelAlpha : config.rampLevelAlpha) * gain * riseGain * clipped;
    // An excursion (a reaction, an outage) holds the level where it was rather than carrying on along the
    // trend: a slope that was small before it would otherwise walk the level far away in a long one.
    const previousLevel = state.level;
    state.level = Math.max(0, (isOutlier ? state.level : forecastLevel) + levelStep);
    // No faster fall than an audience leaves, unless the schedule says it is leaving: a sudden fall (three
    // buckets well under the level, beyond count noise) is an outage until proven otherwise.
    const floorLevel = previousLevel * (1 - config.maxFallPctPerBucket / 100);
    const heldFall =
      ramp === 0 &&
      config.maxFallPctPerBucket > 0 &&
      state.level < floorLevel &&
      runMean < config.suddenFallShare * previousLevel &&
      -runResidual > (SUDDEN_FALL_SIGMAS * Math.sqrt(Math.max(expectation.expectedViewers, 1) / 3)) / factor;
    if (heldFall) state.level = floorLevel;
    // The trend learns from normal buckets only: small steps during a long peak or outage would otherwise add
    // up into a slope that walks the baseline to the excursion.
    const trendBeta = ramp === 0 ? config.trendBeta : config.rampTrendBeta;
    state.trend = config.trendDamping * state.trend + (isOutlier || heldFall ? 0 : trendBeta * levelStep);
    if (heldFall) state.trend = Math.max(state.trend, floorLevel - previousLevel);
    // The scale follows the lower quartile of the residuals (a quarter of normal buckets fall more than 0.6745
    // sigma below expected): reactions inflate the upper side only, so the band stays as narrow as the noise.
    if (!isOutlier) {
      const below = residual < -LOWER_QUARTILE_SIGMAS * state.sigma ? 1 : 0;
      state.sigma = Math.max(MIN_SCALE, state.sigma * (1 + 4 * config.scaleBeta * (below - 0.25)));
    }
    state.learned += 1;
    this.pushRecent(deseasonalised);

    // An outage leaves the series at a fraction of its level for minutes; when it comes back, its way up is
    // not a peak. Only a deep drop counts: after a reaction the series often sits a little under the band.
    // The run counts deep buckets up and others down, so a noisy bucket inside an outage does not end it.
    if (deseasonalised < DEEP_DROP_SHARE * forecastLevel) {
      state.deepDropRun = (state.deepDropRun ?? 0) + 1;
      if (config.recoveryBuckets > 0 && state.deepDropRun >= config.recoveryAfterDropBuckets) {
        state.recoveringUntil = bucket.bucketStart + config.recoveryBuckets * this.windowMs;
      }
    } else if (state.deepDropRun) {
      state.deepDropRun -= 1;
    }
    const recovering = bucket.bucketStart <= (state.recoveringUntil ?? Number.NEGATIVE_INFINITY);

    // A normal bucket takes one off the run rather than clearing it: on small counts a shifted series still
    // lands inside the band now and then, and must not keep the old level for ever.
    if (!isOutlier) state.outlierRun -= Math.sign(state.outlierRun);
    else if (residual > 0) state.outlierRun = Math.max(0, state.outlierRun) + 1;
    else state.outlierRun = Math.min(0, state.outlierRun) - 1;
    if (state.outlierRun >= config.maxOutlierBuckets || -state.outlierRun >= config.maxDropBuckets) {
      this.acceptNewLevel();
    } else if (
      state.formerLevel !== undefined &&
      bucket.bucketStart <= (state.formerUntil ?? 0) &&
      state.outlierRun <= -FALL_BACK_BUCKETS &&
      this.fellBack(state.formerLevel)
    ) {
      // Back to the level from before the accepted rise: restore it (and its scale) rather than hold an outage.
      state.level = state.formerLevel;
      state.sigma = state.formerSigma ?? state.sigma;
      state.trend = 0;
      state.outlierRun = 0;
      forgetFormerLevel(state);
    } else if (state.formerUntil !== undefined && bucket.bucketStart > state.formerUntil) {
      forgetFormerLevel(state);
    }
    if (!isOutlier) {
      this.profile.observe(bucket.bucketStart, bucket.observed);
      this.learnMix(bucket);
    }
    state.contiguous = Math.min((state.contiguous ?? 0) + 1, SPAN_BUCKETS - 1);
    // Copied into a buffer the baseline owns, and the state's record updated in place: no object per update.
    const previous = state.previousMix;
    let previousMix: PreviousMix | null = null;
    if (previous !== undefined && previous.bucketStart === bucket.bucketStart - this.windowMs) {
      previousMix = this.previousMixBuffer;
      previousMix.bucketStart = previous.bucketStart;
      previousMix.observed = previous.observed;
      previousMix.engaged = previous.engaged;
      previousMix.expectedViewers = previous.expectedViewers;
    }
    if (bucket.engaged === undefined) state.previousMix = undefined;
    else {
      const record = state.previousMix ?? (state.previousMix = { ...this.previousMixBuffer });
      record.bucketStart = bucket.bucketStart;
      record.observed = bucket.observed;
      record.engaged = bucket.engaged;
      record.expectedViewers = expectation.expectedViewers;
    }
    return {
      expectation,
      isOutlier,
      warmingUp: false,
      recentViewers,
      engagedShare,
      previousMix,
      previousViewers,
      recovering,
      referenceViewers,
    };
  }

  /** The usual engaged share of the series' actions, or null before any bucket with a known mix. */
  private engagedShare(): number | null {
    const { mixEngaged, mixTotal } = this.state;
    if (mixEngaged === undefined || mixTotal === undefined || !(mixTotal > 0)) return null;
    return mixEngaged / mixTotal;
  }

  private learnMix(bucket: BucketObservation): void {
    if (bucket.engaged === undefined) return;
    const { state } = this;
    if (state.mixEngaged === undefined || state.mixTotal === undefined) {
      state.mixEngaged = bucket.engaged;
      state.mixTotal = bucket.observed;
      return;
    }
    const gain = this.config.mixAlpha;
    state.mixEngaged += gain * (bucket.engaged - state.mixEngaged);
    state.mixTotal += gain * (bucket.observed - state.mixTotal);
  }

  /** A long excursion is a new normal (a match started, a feed went dark): restart from the recent median. */
  private acceptNewLevel(): void {
    const { state } = this;
    if (state.outlierRun > 0) {
      // A rise on top of an accepted rise keeps the level from before the first one: stacked reactions.
      const memory = this.config.restMemoryBuckets;
      if (memory > 0) {
        const now = state.lastBucketStart ?? 0;
        const active = state.restLevel !== undefined && now <= (state.restUntil ?? 0);
        state.restLevel = active ? Math.min(state.restLevel!, state.level) : state.level;
        state.restUntil = now + memory * this.windowMs;
      }
      state.formerLevel = state.level;
      state.formerSigma = state.sigma;
      state.formerUntil = (state.lastBucketStart ?? 0) + this.config.maxOutlierBuckets * this.windowMs;
    } else {
      forgetFormerLevel(state);
      forgetRestLevel(state);
    }
    const recent = this.recentValues();
    state.level = median(recent);
    state.trend = 0;
    state.sigma = Math.max(state.sigma, MEDIAN_AD_TO_SIGMA * medianAbsoluteDeviation(recent, state.level));
    state.outlierRun = 0;
  }

  /**
   * The last FALL_BACK_BUCKETS buckets all lie nearer the former level than the current one, and above half of
   * it (an outage falls further).
   */
  private fellBack(formerLevel: number): boolean {
    const midpoint = (formerLevel + this.state.level) / 2;
    for (let back = 1; back <= FALL_BACK_BUCKETS; back += 1) {
      const value = this.recentAt(back);
      if (value > midpoint || value < formerLevel / 2) return false;
    }
    return true;
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
    state.contiguous = 0;
    if (missing > config.restartAfterGapBuckets) {
      Object.assign(state, { ...freshState(config), profile: state.profile, lastBucketStart: null });
      forgetFormerLevel(state);
      state.recoveringUntil = undefined;
      return;
    }
    const damping = config.trendDamping;
    const projected = damping === 1 ? missing : (damping * (1 - damping ** missing)) / (1 - damping);
    state.level = Math.max(0, state.level + state.trend * projected);
    state.trend *= damping ** missing;
  }

  private expectation(level: number, factor: number): Expectation {
    const { config, state } = this;
    const levelViewers = Math.max(0, level * factor);
    const floor = Math.max(
      config.minSigma,
      config.relativeSigmaFloor * levelViewers,
      config.countNoise ? Math.sqrt(levelViewers) : 0,
    );
    // The measured scale is capped at a multiple of the floor: a level that is off for a while (the tail of a
    // long reaction, an audience leaving) leaves most residuals on one side, which the quartile rule reads as
    // noise; uncapped, the band then widens until real peaks (and outages) fit inside it.
    const cap = config.maxScaleMultiple > 0 ? config.maxScaleMultiple * floor : Number.POSITIVE_INFINITY;
    const scaled = Math.min(state.sigma * factor, cap);
    const sigma = Math.max(scaled, floor);
    // The bias is a share of the noise the level learned on; a series with no measured noise has none.
    const measured = state.sigma > MIN_SCALE ? scaled : 0;
    const expectedViewers = levelViewers + this.riseBiasSigmas * measured;
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

  /** The deseasonalised value `back` buckets before the current one. */
  private recentAt(back: number): number {
    const { recent, recentNext } = this.state;
    return recent[(recentNext - back + 2 * recent.length) % recent.length]!;
  }

  /** Median of the deseasonalised values 4–6 buckets back (the ring holds warmupBuckets ≥ 6). */
  private recentMedian(): number {
    const a = this.recentAt(RISE_LOOKBACK_FROM);
    const b = this.recentAt(RISE_LOOKBACK_FROM + 1);
    const c = this.recentAt(RISE_LOOKBACK_FROM + 2);
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }

  private recentValues(): number[] {
    return this.state.recent;
  }
}

/** Beyond `limit` and a large relative move (`minChange`) at once. */
function farOff(residual: number, limit: number, minChange: number): boolean {
  const size = Math.abs(residual);
  return size > limit && size >= minChange;
}

/** Undefined rather than deleted (a deleted key slows every later access to the state); JSON drops them. */
function forgetFormerLevel(state: BaselineState): void {
  state.formerLevel = undefined;
  state.formerSigma = undefined;
  state.formerUntil = undefined;
}

function forgetRestLevel(state: BaselineState): void {
  state.restLevel = undefined;
  state.restUntil = undefined;
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
    contiguous: 0,
    deepDropRun: 0,
    previousMix: undefined,
    formerLevel: undefined,
    formerSigma: undefined,
    formerUntil: undefined,
    restLevel: undefined,
    restUntil: undefined,
    recoveringUntil: undefined,
  };
}

function unknownExpectation(): Expectation {
  return { expectedViewers: 0, lowerViewers: 0, upperViewers: 0, sigma: 0 };
}

/**
 * The offset δ (in sigmas) at which a level learned with gain `riseGain` on rises and 1 on falls, Huber-clipped
 * at `huberK`, balances on normal noise: riseGain·E[clip(r)⁺] = E[clip(r)⁻] for r ~ N(δ, 1). 0 when even.
 */
export function riseBiasSigmas(riseGain: number, huberK: number): number {
  if (riseGain >= 1) return 0;
  const drift = (offset: number) => {
    let sum = 0;
    const steps = 400;
    for (let index = 0; index < steps; index += 1) {
      const z = -8 + (16 * (index + 0.5)) / steps;
      const clipped = Math.max(-huberK, Math.min(huberK, z + offset));
      sum += (clipped > 0 ? riseGain : 1) * clipped * Math.exp(-(z * z) / 2);
    }
    return sum;
  };
  let low = 0;
  let high = 4;
  for (let iteration = 0; iteration < 40; iteration += 1) {
    const middle = (low + high) / 2;
    if (drift(middle) > 0) high = middle;
    else low = middle;
  }
  return (low + high) / 2;
}
