// Picks a detector by name from the detection config, and brings one back from its persisted JSON state.
import type { BaselineConfig, DetectionConfig } from "./config";
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

/** Baseline settings the saved state's shape depends on (window length, seasonal bins). */
const STATE_SHAPING = [
  "windowSeconds",
  "seasonBinMinutes",
] as const satisfies readonly (keyof BaselineConfig)[];

/**
 * Brings a detector back with what it learned but the settings configured now, so a deploy that changes a
 * rule (or its default) applies to series already judged. A series starts learning afresh only when the
 * state cannot carry over: another detector, another window length or seasonal binning, another forest shape.
 */
export function resumeDetector(state: DetectorState, config: DetectionConfig): Detector {
  if (state.version !== 1)
    throw new DetectorInputError(`unknown detector state version ${String(state.version)}`);
  const saved = (state as Partial<Pick<UpliftDetectorState, "baselineConfig">>).baselineConfig;
  if (
    state.detector !== config.detector ||
    !saved ||
    STATE_SHAPING.some((key) => saved[key] !== config.baseline[key])
  ) {
    return createDetector(config);
  }
  if (config.detector === "uplift") {
    return new UpliftDetector(config.baseline, config.uplift, (state as UpliftDetectorState).baseline);
  }
  const forest = state as ForestDetectorState;
  if (JSON.stringify(forest.forestConfig) !== JSON.stringify(config.forest)) return createDetector(config);
  return new ForestDetector(config.baseline, config.uplift, config.forest, forest);
}

/** Brings a detector back exactly as it was saved, settings included. */
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
