// Tunables of peak detection, validated once with zod where they enter (env, CLI, stored state); every field
// has a default fit for 10-second buckets of a country × sport series (tuned on the seeded synthetic set of
// bench/detect.ts and the simulator's small and demo games, seed 1).
import { z } from "zod";
import { DETECTOR_NAMES } from "./types";

export const baselineConfigSchema = z.object({
  windowSeconds: z.number().positive().default(10),
  /** Gain of the level; 0.08 follows a change within ~12 buckets (2 minutes). */
  levelAlpha: z.number().gt(0).lt(1).default(0.08),
  /**
   * Share of levelAlpha applied to buckets above the level: reactions only ever go up, so the level climbs
   * through a busy session at an even gain. The expectation adds back the bias this leaves on plain noise.
   */
  levelRiseGain: z.number().gt(0).max(1).default(0.5),
  /** Gain of the trend; 0.1 keeps up with a session's 10-minute live ramp without calling it a peak. */
  trendBeta: z.number().gt(0).lt(1).default(0.1),
  /** Damping of the trend per bucket, so a forecast over a gap does not run away. */
  trendDamping: z.number().gt(0).max(1).default(0.98),
  scaleBeta: z.number().gt(0).lt(1).default(0.05),
  /**
   * Innovations are clipped at this many sigmas (Huber), so no single bucket drags the baseline: reactions
   * are frequent, and a loose clip lets each of them lift the level.
   */
  huberK: z.number().positive().default(2),
  /** The band is expected ± bandSigmas·sigma; beyond it a bucket is the statistical margin's outlier. */
  bandSigmas: z.number().positive().default(4),
  /** A bucket this far from expected (in %) and beyond outlierSigmas is also learned as an outlier. */
  outlierChangePct: z.number().positive().default(40),
  outlierSigmas: z.number().positive().default(2),
  /** Share of the normal gain applied to outlier buckets (the peaks themselves). */
  outlierGain: z.number().min(0).max(1).default(0.05),
  /**
   * After this many buckets in a row outside the band, the baseline accepts the new level. 45 (7.5 minutes):
   * reactions stacked on one another keep a busy series above the band for minutes, and a level accepted on
   * their tail sits far above the audience once they fade.
   */
  maxOutlierBuckets: z.number().int().positive().default(45),
  /**
   * …and after this many below it. Longer: an outage is a drop, not a new normal, so the recovery that ends
   * it is not a peak.
   */
  maxDropBuckets: z.number().int().positive().default(360),
  /**
   * After a deep drop (at least recoveryAfterDropBuckets under half the level: an outage), the recoveryBuckets
   * after its last deep bucket are its recovery: the audience coming back, onto a level that went stale during
   * the drop, is not a peak. 0 turns it off.
   */
  recoveryAfterDropBuckets: z.number().int().positive().default(6),
  recoveryBuckets: z.number().int().min(0).default(12),
  /**
   * The level falls at most this share (in %) a bucket outside a session's leaving ramp: an audience does not
   * leave faster than that (1 %: 45 % in 10 minutes) unless the site fails, and on small counts an outage's
   * buckets often stay inside the band and would otherwise walk the level down to its floor, making the way
   * back a peak (and hiding the outage from the recovery rule). 0 turns it off.
   */
  maxFallPctPerBucket: z.number().min(0).max(100).default(1),
  /** …while the last three buckets average under this share of the level (a sudden fall, not a drift down). */
  suddenFallShare: z.number().min(0).max(1).default(0.7),
  /** At least 6: the ring of recent values it sizes also serves the rise rule (40–60 s back). */
  warmupBuckets: z.number().int().min(6).default(12),
  relativeSigmaFloor: z.number().min(0).default(0.03),
  /**
   * The measured scale counts for at most this multiple of the floor (Poisson noise, the relative floor): a
   * level left off by a long excursion makes the residuals one-sided, and the scale would read that as noise.
   * 1.5: the simulator's counts are Poisson (a measured scale is ~1.0× count noise on busy series), and the
   * scale that passes 1.5× is a level accepted on a reaction's tail, which at 2× hid the next reactions under
   * the margin (market F1 +0.001 to +0.002 on both demo seeds; 1.4–1.6 all as good). 0 leaves it uncapped.
   */
  maxScaleMultiple: z.number().min(0).default(1.5),
  /** Counts are at least Poisson-noisy: sigma ≥ √expected. */
  countNoise: z.boolean().default(true),
  minSigma: z.number().min(0).default(1),
  /** A gap longer than this (in buckets) restarts the level and scale; the daily profile is kept. */
  restartAfterGapBuckets: z.number().int().positive().default(360),
  seasonBinMinutes: z.number().int().positive().default(15),
  /** Days of history before the daily profile starts to count; it is fully blended in at twice this. */
  seasonMinDays: z.number().positive().default(2),
  seasonGain: z.number().gt(0).max(1).default(0.3),
  /**
   * Gains of level and trend while the session schedule expects a ramp (an audience gathering for a session
   * or leaving one): high enough to follow it within a minute, so the ramp itself is neither a peak nor a drop.
   */
  rampLevelAlpha: z.number().gt(0).lt(1).default(0.2),
  rampTrendBeta: z.number().gt(0).lt(1).default(0.2),
  /** Gain of the expected action mix (the engaged share of actions), learned from normal buckets. */
  mixAlpha: z.number().gt(0).lt(1).default(0.02),
  /**
   * A level accepted on a rise (maxOutlierBuckets above the band) is the current audience, not its normal one:
   * in a busy session reactions stack on each other's tails for minutes, and judged against that level the
   * next reaction is only +20–35 %. For this many buckets after the last such rise (or until the level is back
   * down to it) the uplift rule measures the excess over expected against the level from before the first
   * rise of the chain; the margin and the rise rule still judge against expected. 360 (an hour): market
   * recall +0.007 to +0.010 on the demo seeds (180 to 720 all helped). 0 turns it off.
   */
  restMemoryBuckets: z.number().int().min(0).default(360),
});
export type BaselineConfig = z.infer<typeof baselineConfigSchema>;

export const upliftConfigSchema = z.object({
  /** A peak is at least this much above expected. */
  minUpliftPct: z.number().min(0).default(40),
  /** …and at least this many actions in the bucket, so tiny markets do not fire on noise. */
  minVolume: z.number().min(0).default(20),
  /**
   * …and at least this much above the same series 40–60 s before (in % of expected): a moment is sudden,
   * while a session's live ramp or a slow trend climbs a few % a minute and must not fire. 0 turns it off.
   */
  minRisePct: z.number().min(0).default(30),
  /** A drop is at least this much below expected (with expected at least minVolume). */
  minDropPct: z.number().gt(0).max(100).default(40),
  /**
   * When the action mix is known: at least this share (in %) of the actions above expected must be engaged
   * ones (video starts, live-blog opens, shares) beyond the series' usual engaged share. An audience reacting
   * watches and shares; a bot burst or a push notification adds page views. 40: the extra actions must be
   * about as engaged as a usual audience's (a push notification's are mostly page views, and at 20 % half of
   * them passed on noise). 0 turns it off.
   */
  minEngagedSharePct: z.number().min(0).max(100).default(40),
});
export type UpliftConfig = z.infer<typeof upliftConfigSchema>;

export const forestConfigSchema = z.object({
  trees: z.number().int().positive().max(200).default(25),
  depth: z.number().int().min(2).max(12).default(8),
  /** Consecutive residuals per point (shingle). */
  shingleSize: z.number().int().positive().max(8).default(2),
  /** Points per reference window; the model relearns what is normal every this many buckets. */
  referenceWindow: z.number().int().min(16).max(65_535).default(256),
  /**
   * Mass density (1 = as dense as uniform) at which the learned margin scores 0.5; emptier regions score
   * higher. 10 was the best recall/false-alarm balance on the seeded synthetic series (see bench/detect.ts).
   */
  densityAtHalfScore: z.number().positive().default(10),
  seed: z.number().int().default(7),
});
export type ForestConfig = z.infer<typeof forestConfigSchema>;

export const peakTrackerConfigSchema = z.object({
  /** "first-crossing" fires on the first bucket over the rules (lowest lag); "local-maximum" on its top. */
  fireOn: z.enum(["first-crossing", "local-maximum"]).default("first-crossing"),
  /**
   * A first crossing scoring under this fires only if the next bucket is a peak too (one window later):
   * single-bucket noise on small counts is dropped, clear peaks still fire at once. 0 turns it off.
   */
  confirmBelowScore: z.number().min(0).max(1).default(0.6),
  /**
   * …and holds fewer actions than this: the noise that confirmation drops is a small count's (and the
   * session ramps that cross once are small series'); a window this busy over every rule is a reaction,
   * and waiting only adds a window of lag, or loses a one-window reaction. 150: at 125 a push notification
   * fired on demo seed 1; 150 to 250 all helped both demo seeds. 0 makes every weak crossing wait.
   */
  confirmBelowVolume: z.number().min(0).default(150),
  /**
   * The next bucket confirms a weak crossing when it scores at least this (0.5: a peak by the rules too);
   * 0.42, a little under the edge, drops crossings whose next bucket already fell back (noise, the start of
   * a session's ramp) and keeps those whose next bucket is still about as high.
   */
  confirmHoldScore: z.number().min(0).max(1).default(0.42),
  /**
   * …and passes the action-mix rule on its own (its mix score at least this; 0.5 is the rule's edge): the
   * leniency of confirmHoldScore is for a level easing off, not for a second window that is still mostly
   * page views (a push notification, a bot). 0 turns it off.
   */
  confirmHoldMixScore: z.number().min(0).max(1).default(0.5),
  /** A peak ends once the uplift is back under this… */
  releaseUpliftPct: z.number().min(0).default(15),
  /** …for this many buckets in a row. */
  releaseBuckets: z.number().int().positive().default(2),
  /**
   * Buckets after a peak (or drop) ends during which no new peak of the same series fires. Short: a peak
   * ends only after releaseBuckets calm buckets already, and reactions often follow each other closely.
   */
  cooldownBuckets: z.number().int().min(0).default(1),
  /**
   * Re-arming inside a peak, so a second reaction on the tail of the first is a new peak: once the excess
   * over expected (averaged over two buckets) has fallen this share below its top, a new rise from the
   * lowest point fires again. 0.15: a second reaction often starts while the first one's tail has fallen
   * only 15–20 % from its top, and the rise rules below (rearmRiseSigmas, rearmMinRisePct) already keep noise
   * on a tail from re-arming (0.13–0.17 all helped both demo seeds; 0.1 added false peaks). 0 turns it off.
   */
  rearmDropShare: z.number().min(0).max(1).default(0.15),
  /**
   * …when the rise is at least this many Poisson sigmas of the bucket (√observed)… A rise that clears the
   * level rules but not the rise rule (the tail was still high 40–60 s before) must hold for a second bucket.
   */
  rearmRiseSigmas: z.number().positive().default(3.25),
  /**
   * …and at least this share of expected, in %, so small wiggles on a large series do not re-arm. 35: a weaker
   * rise on a tail is mostly a reaction too weak to count (under minUpliftPct of its own) or the first one's
   * noise, and it split the first reaction's moment.
   */
  rearmMinRisePct: z.number().min(0).default(35),
  /**
   * No re-arming in the first this many buckets of a peak: the first reaction may still be rising (a reaction
   * rises for up to a minute), and a wiggle on its way up is not a second one.
   */
  rearmAfterBuckets: z.number().int().min(0).default(4),
});
export type PeakTrackerConfig = z.infer<typeof peakTrackerConfigSchema>;

export const sessionRampConfigSchema = z.object({
  /** An audience starts gathering this many minutes before a session of its sport starts… */
  beforeMinutes: z.number().min(0).default(10),
  /** …is still settling this many minutes after… */
  settleMinutes: z.number().min(0).default(1),
  /** …and leaves over this many minutes after the session ends. */
  afterMinutes: z.number().min(0).default(15),
});
export type SessionRampConfig = z.infer<typeof sessionRampConfigSchema>;

export const detectionConfigSchema = z.object({
  detector: z.enum(DETECTOR_NAMES).default("uplift"),
  baseline: baselineConfigSchema.prefault({}),
  uplift: upliftConfigSchema.prefault({}),
  forest: forestConfigSchema.prefault({}),
  tracker: peakTrackerConfigSchema.prefault({}),
  sessionRamps: sessionRampConfigSchema.prefault({}),
});
export type DetectionConfig = z.infer<typeof detectionConfigSchema>;
export type DetectionConfigInput = z.input<typeof detectionConfigSchema>;

export function detectionConfig(input: DetectionConfigInput = {}): DetectionConfig {
  return detectionConfigSchema.parse(input);
}
