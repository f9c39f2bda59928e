// Detection for one country × sport series: the configured detector plus peak de-dup, with one JSON state to
// persist and restore. This is what the worker keeps per series and feeds each final bucket.
import { detectionConfig, type DetectionConfig, type DetectionConfigInput } from "./config";
import { createDetector, resumeDetector } from "./detectors";
import { PeakTracker, type DetectionEvent, type PeakTrackerState } from "./peak-tracker";
import type { Assessment, BucketObservation, Detector, DetectorState } from "./types";

export interface SeriesDetectionState {
  detector: DetectorState;
  tracker: PeakTrackerState;
}

export interface SeriesStep {
  assessment: Assessment;
  events: readonly DetectionEvent[];
}

export class SeriesDetection {
  private readonly detector: Detector;
  private readonly tracker: PeakTracker;

  constructor(config: DetectionConfig | DetectionConfigInput = {}, state?: SeriesDetectionState) {
    const parsed = detectionConfig(config);
    this.detector = state ? resumeDetector(state.detector, parsed) : createDetector(parsed);
    this.tracker = new PeakTracker(parsed.baseline.windowSeconds * 1000, parsed.tracker, state?.tracker);
  }

  get detectorName(): Detector["name"] {
    return this.detector.name;
  }

  /** The de-dup phase after the last update: normal, inside a peak, or inside a drop. */
  get phase(): PeakTracker["phase"] {
    return this.tracker.phase;
  }

  update(bucket: BucketObservation): SeriesStep {
    const assessment = this.detector.assess(bucket);
    return { assessment, events: this.tracker.track(assessment) };
  }

  toJSON(): SeriesDetectionState {
    return { detector: this.detector.toJSON(), tracker: this.tracker.toJSON() };
  }
}
