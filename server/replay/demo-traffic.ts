// The built-in demo: a small, seeded stream of user actions for a handful of markets and sports, with a
// baseline per series and an audience reaction (a peak) somewhere every minute or so. Pure: the caller
// decides the clock, so tests can generate any interval deterministically.
import { ACTION_TYPES, type ActionType, type UserAction } from "../stream/messages";
import { COUNTRIES } from "../reference/countries";
import { poisson, seededRandom } from "../simulator/random";

export const DEMO_COUNTRIES = ["FR", "US", "GB", "BR", "JP", "KE", "DE", "AU"] as const;
export const DEMO_SPORTS = ["athletics", "swimming", "football", "cycling", "gymnastics"] as const;

const ACTION_MIX: [ActionType, number][] = [
  ["page_view", 0.6],
  ["video_start", 0.25],
  ["live_blog_open", 0.1],
  ["share", 0.05],
];

interface Series {
  country: string;
  sport: string;
  /** Baseline actions per second. */
  rate: number;
}

export interface Reaction {
  country: string;
  sport: string;
  start: number;
  /** Peak multiplier over the baseline. */
  strength: number;
}

export interface DemoTrafficOptions {
  seed: number;
  actionsPerSecond: number;
  /** Epoch ms the demo's reactions are scheduled from. */
  startTime: number;
  reactionEverySeconds?: number;
}

const RAMP_MS = 15_000;
const DECAY_MS = 45_000;

export class DemoTraffic {
  readonly series: Series[];
  private readonly random: () => number;
  private readonly reactions: Reaction[] = [];
  private nextReactionAt: number;
  private readonly reactionEveryMs: number;

  constructor(private readonly options: DemoTrafficOptions) {
    this.random = seededRandom(options.seed);
    const weights = DEMO_COUNTRIES.flatMap((code) => {
      const marketSize = COUNTRIES.find((c) => c.code === code)?.marketSize ?? 1_000;
      return DEMO_SPORTS.map((sport) => ({
        country: code,
        sport,
        weight: Math.pow(marketSize, 0.6) * (0.2 + this.random()),
      }));
    });
    const total = weights.reduce((sum, w) => sum + w.weight, 0);
    this.series = weights.map((w) => ({
      country: w.country,
      sport: w.sport,
      rate: (options.actionsPerSecond * w.weight) / total,
    }));
    this.reactionEveryMs = (options.reactionEverySeconds ?? 60) * 1_000;
    this.nextReactionAt = options.startTime + 20_000;
  }

  /** Reactions scheduled so far (the demo's ground truth). */
  get scheduledReactions(): readonly Reaction[] {
    return this.reactions;
  }

  /** Every action with event time in [from, to), in time order. */
  actionsBetween(from: number, to: number): UserAction[] {
    while (this.nextReactionAt < to) this.scheduleReaction();
    const actions: UserAction[] = [];
    const seconds = (to - from) / 1_000;
    for (const series of this.series) {
      const multiplier = this.multiplierAt(series, (from + to) / 2);
      const count = poisson(series.rate * multiplier * seconds, this.random);
      for (let i = 0; i < count; i++) {
        actions.push({
          v: 1,
          type: this.pickType(),
          country: series.country,
          sport: series.sport,
          ts: Math.floor(from + this.random() * (to - from)),
        });
      }
    }
    return actions.sort((a, b) => a.ts - b.ts);
  }

  private scheduleReaction(): void {
    const target = this.series[Math.floor(this.random() * this.series.length)]!;
    this.reactions.push({
      country: target.country,
      sport: target.sport,
      start: this.nextReactionAt,
      strength: 2 + this.random() * 4,
    });
    const jitter = (this.random() - 0.5) * 0.5 * this.reactionEveryMs;
    this.nextReactionAt += this.reactionEveryMs + jitter;
  }

  private multiplierAt(series: Series, time: number): number {
    let multiplier = 1;
    for (const reaction of this.reactions) {
      if (reaction.country !== series.country || reaction.sport !== series.sport) continue;
      const elapsed = time - reaction.start;
      if (elapsed < 0 || elapsed > RAMP_MS + DECAY_MS) continue;
      const shape = elapsed < RAMP_MS ? elapsed / RAMP_MS : Math.exp((-3 * (elapsed - RAMP_MS)) / DECAY_MS);
      multiplier += (reaction.strength - 1) * shape;
    }
    return multiplier;
  }

  private pickType(): ActionType {
    let roll = this.random();
    for (const [type, share] of ACTION_MIX) {
      roll -= share;
      if (roll < 0) return type;
    }
    return ACTION_TYPES[0];
  }
}
