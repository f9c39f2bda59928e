// De-duplication of one series' assessments into events: one `peak` per peak (on its first crossing or its
// local maximum), held until the series is back near expected, then a cooldown; drops tracked separately.
import { peakTrackerConfigSchema, type PeakTrackerConfig } from "./config";
import type { Assessment } from "./types";

export interface PeakEvent {
  kind: "peak" | "drop";
  /** The bucket the event describes: the first crossing, or the top in local-maximum mode. */
  bucketStart: number;
  /** The bucket whose arrival raised the event (equals bucketStart on first crossing). */
  detectedAt: number;
  observed: number;
  expectedViewers: number;
  upliftPct: number;
  score: number;
}

export interface PeakEndEvent {
  kind: "peak-end" | "drop-end";
  startedAt: number;
  /** The bucket at which the series was judged back near expected. */
  endedAt: number;
  buckets: number;
  /** Largest uplift of a peak, deepest (most negative) of a drop. */
  extremeUpliftPct: number;
  extremeObserved: number;
}

export type DetectionEvent = PeakEvent | PeakEndEvent;

/** Most buckets raise nothing: one shared empty answer instead of a new array per bucket. */
const NO_EVENTS: readonly DetectionEvent[] = Object.freeze([]);

export interface PeakTrackerState {
  phase: "normal" | "peak" | "drop";
  startedAt: number;
  buckets: number;
  extreme: Assessment | null;
  fired: boolean;
  /** A weak first crossing waits one bucket: if the next does not hold up (score and mix), it was noise. */
  awaitingConfirmation: boolean;
  calmRun: number;
  peakCooldownUntil: number;
  /** Excess over expected of the previous bucket, and the two-bucket average's top and lowest point since. */
  lastExcess?: number;
  topExcess?: number;
  troughExcess?: number;
  /** A re-arming rise that only the level rules passed, waiting one bucket for its confirmation. */
  rearmPending?: boolean;
  /** A rise from an armed trough climbing past the old top: the trough is kept until the rise turns down. */
  climbing?: boolean;
}

export class PeakTracker {
  readonly config: PeakTrackerConfig;
  private readonly state: PeakTrackerState;

  constructor(
    private readonly windowMs: number,
    config: Partial<PeakTrackerConfig> = {},
    state?: PeakTrackerState,
  ) {
    this.config = peakTrackerConfigSchema.parse(config);
    this.state = state
      ? structuredClone(state)
      : {
          phase: "normal",
          startedAt: 0,
          buckets: 0,
          extreme: null,
          fired: false,
          awaitingConfirmation: false,
          calmRun: 0,
          peakCooldownUntil: 0,
        };
  }

  toJSON(): PeakTrackerState {
    // Plain numbers, flags and one flat assessment: a spread copy is enough, and far cheaper than a clone.
    return { ...this.state, extreme: this.state.extreme && { ...this.state.extreme } };
  }

  get phase(): PeakTrackerState["phase"] {
    return this.state.phase;
  }

  /** Feeds one assessment (in time order); returns the events it raises, usually none. */
  track(assessment: Assessment): readonly DetectionEvent[] {
    if (assessment.warmingUp) return NO_EVENTS;
    switch (this.state.phase) {
      case "normal":
        return this.whileNormal(assessment);
      case "peak":
        return this.whileInPeak(assessment);
      case "drop":
        return this.whileInDrop(assessment);
    }
  }

  private whileNormal(assessment: Assessment): readonly DetectionEvent[] {
    const s = this.state;
    const startsPeak = assessment.isPeak && assessment.bucketStart >= s.peakCooldownUntil;
    if (!startsPeak && !assessment.isDrop) return NO_EVENTS;
    Object.assign(s, {
      phase: startsPeak ? "peak" : "drop",
      startedAt: assessment.bucketStart,
      buckets: 1,
      extreme: assessment,
      calmRun: 0,
      fired: false,
      awaitingConfirmation: startsPeak && this.awaitsConfirmation(assessment),
    });
    this.resetExcess(assessment);
    if (!startsPeak || (this.config.fireOn === "first-crossing" && !s.awaitingConfirmation)) {
      s.fired = true;
      return [eventFrom(startsPeak ? "peak" : "drop", assessment, assessment.bucketStart)];
    }
    return NO_EVENTS;
  }

  /** A weak first crossing of a small count waits one bucket; a clear or busy one fires at once. */
  private awaitsConfirmation(assessment: Assessment): boolean {
    const { confirmBelowScore, confirmBelowVolume } = this.config;
    return (
      assessment.score < confirmBelowScore &&
      (confirmBelowVolume <= 0 || assessment.observed < confirmBelowVolume)
    );
  }

  private whileInPeak(assessment: Assessment): DetectionEvent[] {
    const s = this.state;
    const events: DetectionEvent[] = [];
    const top = s.extreme!;
    if (s.awaitingConfirmation) {
      s.awaitingConfirmation = false;
      if (
        assessment.score < this.config.confirmHoldScore ||
        (assessment.mixScore ?? 1) < this.config.confirmHoldMixScore
      ) {
        Object.assign(s, { phase: "normal", buckets: 0, extreme: null, calmRun: 0 });
        return [];
      }
      if (this.config.fireOn === "first-crossing") {
        s.fired = true;
        events.push(eventFrom("peak", top, assessment.bucketStart));
      }
    }
    if (s.fired && this.config.rearmDropShare > 0 && this.risesAgain(assessment)) {
      // A second reaction on the tail of the first: end this peak and start a new one at this bucket.
      events.push(this.end("peak-end", assessment.bucketStart));
      Object.assign(s, {
        phase: "peak",
        startedAt: assessment.bucketStart,
        buckets: 1,
        extreme: assessment,
        fired: true,
      });
      this.resetExcess(assessment);
      events.push(eventFrom("peak", assessment, assessment.bucketStart));
      return events;
    }
    s.buckets += 1;
    if (assessment.upliftPct > top.upliftPct) s.extreme = assessment;
    else if (!s.fired) {
      // The uplift turned down: the previous top was the local maximum.
      s.fired = true;
      events.push(eventFrom("peak", top, assessment.bucketStart));
    }
    s.calmRun = assessment.upliftPct < this.config.releaseUpliftPct ? s.calmRun + 1 : 0;
    if (s.calmRun >= this.config.releaseBuckets) {
      events.push(this.end("peak-end", assessment.bucketStart));
      s.peakCooldownUntil = assessment.bucketStart + (this.config.cooldownBuckets + 1) * this.windowMs;
    }
    return events;
  }

  /**
   * Follows the excess over expected (two-bucket average) through a fired peak: true when, after falling
   * rearmDropShare below its top, this bucket rises above that lowest point by more than rearmRiseSigmas
   * Poisson sigmas and rearmMinRisePct of expected, and clears the level rules (uplift, margin, volume, mix).
   * The rise rule (40–60 s back) is left to this rise from the lowest point: a second reaction on a tail that
   * was still high a minute before passes all but that rule. Such a bucket fires only when the next one rises
   * as far too (a single noisy bucket on a tail does not); one that passes every rule fires at once. A rise
   * after a real dip that climbs past the old top before it is that high is still judged from its trough until
   * it turns down: a second reaction rises over several buckets, and its first ones lift the top. Nothing
   * re-arms in the first rearmAfterBuckets of the peak: the first reaction may still be rising, and a wiggle
   * on its way up is not a second one.
   */
  private risesAgain(assessment: Assessment): boolean {
    const s = this.state;
    const excess = assessment.observed - assessment.expectedViewers;
    const smoothed = s.lastExcess === undefined ? excess : (excess + s.lastExcess) / 2;
    s.lastExcess = excess;
    const top = Math.max(s.topExcess ?? smoothed, smoothed);
    const armed = s.troughExcess !== undefined && s.troughExcess <= (1 - this.config.rearmDropShare) * top;
    const held = s.rearmPending === true;
    s.rearmPending = false;
    if (armed && (assessment.isPeak || (assessment.levelScore ?? assessment.score) >= 0.5)) {
      // This bucket against the smoothed lowest point: no extra window of lag for the second reaction.
      const rise = excess - s.troughExcess!;
      const noise = Math.sqrt(Math.max(assessment.observed, 1));
      if (
        rise >= this.config.rearmRiseSigmas * noise &&
        rise >= (this.config.rearmMinRisePct / 100) * Math.max(assessment.expectedViewers, 1)
      ) {
        if (s.buckets >= this.config.rearmAfterBuckets) {
          if (assessment.isPeak || held) return true;
          s.rearmPending = true;
          return false;
        }
      }
    }
    if (smoothed >= top) {
      // Armed against the top held before this bucket (a real dip), not against this bucket's own rise.
      const dipped =
        s.troughExcess !== undefined &&
        s.topExcess !== undefined &&
        s.troughExcess <= (1 - this.config.rearmDropShare) * s.topExcess;
      s.climbing = (dipped && s.buckets >= this.config.rearmAfterBuckets) || s.climbing === true;
      s.topExcess = smoothed;
      if (!s.climbing) s.troughExcess = undefined;
    } else if (s.climbing) {
      // The rise turned down: its tail is judged from here.
      s.climbing = false;
      s.troughExcess = smoothed;
    } else {
      s.troughExcess = Math.min(s.troughExcess ?? smoothed, smoothed);
    }
    return false;
  }

  private resetExcess(assessment: Assessment): void {
    const s = this.state;
    const excess = assessment.observed - assessment.expectedViewers;
    s.lastExcess = excess;
    s.topExcess = excess;
    s.troughExcess = undefined;
    s.rearmPending = false;
    s.climbing = false;
  }

  private whileInDrop(assessment: Assessment): readonly DetectionEvent[] {
    const s = this.state;
    s.buckets += 1;
    if (assessment.upliftPct < s.extreme!.upliftPct) s.extreme = assessment;
    s.calmRun = assessment.upliftPct > -this.config.releaseUpliftPct ? s.calmRun + 1 : 0;
    if (s.calmRun < this.config.releaseBuckets) return NO_EVENTS;
    // The way back up from a drop (an outage ending) is not a moment: the same cooldown as after a peak.
    s.peakCooldownUntil = assessment.bucketStart + (this.config.cooldownBuckets + 1) * this.windowMs;
    return [this.end("drop-end", assessment.bucketStart)];
  }

  private end(kind: PeakEndEvent["kind"], endedAt: number): PeakEndEvent {
    const s = this.state;
    const event: PeakEndEvent = {
      kind,
      startedAt: s.startedAt,
      endedAt,
      buckets: s.buckets,
      extremeUpliftPct: s.extreme!.upliftPct,
      extremeObserved: s.extreme!.observed,
    };
    Object.assign(s, {
      phase: "normal",
      buckets: 0,
      extreme: null,
      calmRun: 0,
      fired: false,
      awaitingConfirmation: false,
    });
    return event;
  }
}

function eventFrom(kind: PeakEvent["kind"], assessment: Assessment, detectedAt: number): PeakEvent {
  return {
    kind,
    bucketStart: assessment.bucketStart,
    detectedAt,
    observed: assessment.observed,
    expectedViewers: assessment.expectedViewers,
    upliftPct: assessment.upliftPct,
    score: assessment.score,
  };
}
