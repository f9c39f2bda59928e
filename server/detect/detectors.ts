// Picks a detector by name from the detection config, and brings one back from its persisted JSON state.
import type { DetectionConfig } from "./config";
import { ForestDetector, type ForestDetectorState } from "./forest-detector";
import { DetectorInputError, type Detector, type DetectorState } from "./types";
import { UpliftDetector, type UpliftDetectorState } from "./uplift";

export function createDetector(config: DetectionConfig): Detector {
  switch (config.detector) {
    case "uplift":
      return new UpliftDetector(config.baseline, config.uplift);
    case "forest":
      return new ForestDetector(config.baseline, config.uplift, config.forest);
  }
}

export function restoreDetector(state: DetectorState): Detector {
  if (state.version !== 1)
    throw new DetectorInputError(`unknown detector state version ${String(state.version)}`);
  switch (state.detector) {
    case "uplift":
      return UpliftDetector.restore(state as UpliftDetectorState);
    case "forest":
      return ForestDetector.restore(state as ForestDetectorState);
    default:
      throw new DetectorInputError(`unknown detector "${String(state.detector)}"`);
  }
}
