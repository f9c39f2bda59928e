// What the simulator adds on top of the expected audience: pulses (audience reactions, push-notification
// surges, bot bursts), slow trends, and outages that dip every series. Plain data plus the shape over time.

/** Which mix of action types the extra actions follow. */
export const ACTION_MIXES = {
  baseline: [0.6, 0.25, 0.1, 0.05],
  reaction: [0.35, 0.4, 0.1, 0.15],
  push: [0.8, 0.1, 0.1, 0],
  bot: [1, 0, 0, 0],
} as const;
export type ActionMix = keyof typeof ACTION_MIXES;

export interface Pulse {
  series: number;
  start: number;
  peak: number;
  end: number;
  /** Extra actions per second at the peak. */
  peakExtra: number;
  /** spike: rise to the peak, exponential decay; plateau: flat top (bots); ramp: slow rise and fall. */
  shape: "spike" | "plateau" | "ramp";
  /** Decay time constant of a spike, ms. */
  decayMs: number;
  mix: ActionMix;
}

export interface Outage {
  start: number;
  end: number;
  /** Share of the traffic that still gets through at the bottom of the dip. */
  floor: number;
}

export interface Injections {
  /** Sorted by start. */
  pulses: Pulse[];
  outages: Outage[];
}

/** 0–1: how much of its peak a pulse adds at `at`. */
export function pulseShape(pulse: Pulse, at: number): number {
  if (at < pulse.start || at > pulse.end) return 0;
  if (pulse.shape === "plateau") return Math.min(1, (at - pulse.start) / 5_000, (pulse.end - at) / 5_000);
  if (at <= pulse.peak) {
    const rise = (at - pulse.start) / Math.max(1, pulse.peak - pulse.start);
    return pulse.shape === "ramp" ? rise : rise * rise * (3 - 2 * rise);
  }
  if (pulse.shape === "ramp") return (pulse.end - at) / Math.max(1, pulse.end - pulse.peak);
  return Math.exp(-(at - pulse.peak) / pulse.decayMs);
}

/** Multiplier 0–1 on all traffic from outages at `at` (a 20 s drop, a 60 s recovery). */
export function outageFactor(outages: readonly Outage[], at: number): number {
  let factor = 1;
  for (const outage of outages) {
    if (at < outage.start || at > outage.end + 60_000) continue;
    const depth =
      at <= outage.end ? Math.min(1, (at - outage.start) / 20_000) : 1 - (at - outage.end) / 60_000;
    factor *= 1 - (1 - outage.floor) * depth;
  }
  return factor;
}

/** Longest a spike or plateau lasts; ramps (slow trends) may be longer and are scanned separately. */
export const MAX_PULSE_MS = 45 * 60_000;
