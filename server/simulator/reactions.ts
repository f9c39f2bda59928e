// Audience reactions to play-by-play: after a significant event, the countries that care (those taking
// part, and for big moments those fond of the sport) react after a lag of tens of seconds, rise and decay.
// Size ∝ significance^1.5 × affinity × market volume (× how awake the market is). Each reacting event is
// one ground-truth moment listing every series it moved.
import type { AudienceModel } from "./audience";
import { MAX_PULSE_MS, type Pulse } from "./injections";
import { childSeed, dice } from "./random";
import type { GroundTruthMoment, MomentMarket, PlayByPlayEvent } from "./types";

/** Below this significance the audience does not visibly react. */
export const REACTION_THRESHOLD = 0.3;
/** A market reaction smaller than this uplift over expected is not injected (nobody could see it). */
export const MIN_UPLIFT_PCT = 15;
const GAIN = 5;

export interface ReactionSizeInput {
  significance: number;
  affinity: number;
  /** 1 when the market's athletes take part; less for a market that only follows the sport. */
  care: number;
  marketRate: number;
  diurnal: number;
}

/** Extra actions per second at the peak of a market's reaction. */
export function reactionPeakExtra(input: ReactionSizeInput): number {
  return (
    GAIN *
    Math.pow(input.significance, 1.5) *
    (0.4 + 0.6 * input.affinity) *
    input.care *
    input.marketRate *
    (0.3 + 0.7 * input.diurnal)
  );
}

export function generateReactions(
  seed: number,
  model: AudienceModel,
  playByPlay: PlayByPlayEvent[],
): { pulses: Pulse[]; moments: GroundTruthMoment[] } {
  const roll = dice(childSeed(seed, "reactions"));
  const pulses: Pulse[] = [];
  const moments: GroundTruthMoment[] = [];
  const sportIndex = new Map(model.sports.map((s, i) => [s.slug, i]));
  for (const event of playByPlay) {
    if (event.significance < REACTION_THRESHOLD) continue;
    const s = sportIndex.get(event.sport)!;
    const markets: MomentMarket[] = [];
    const eventPulses: Pulse[] = [];
    model.markets.forEach((market, m) => {
      const series = model.series[m * model.sports.length + s]!;
      const involved = event.countries.includes(market.code);
      const care = involved
        ? 1
        : event.significance >= 0.65 && series.affinity >= 0.4
          ? 0.35 * series.affinity
          : 0;
      if (care === 0) return;
      const start = event.ts + Math.round(roll.between(15, 45)) * 1_000;
      const peak = start + Math.round(roll.between(20, 60)) * 1_000;
      const decayMs = Math.round((60 + 120 * event.significance) * roll.between(0.8, 1.2) * 1_000);
      const peakExtra = reactionPeakExtra({
        significance: event.significance,
        affinity: series.affinity,
        care,
        marketRate: model.marketRate(m),
        diurnal: model.diurnal(m, peak),
      });
      const upliftPct = (100 * peakExtra) / model.expectedRate(series, peak);
      if (upliftPct < MIN_UPLIFT_PCT) return;
      const end = Math.min(peak + 3 * decayMs, start + MAX_PULSE_MS);
      eventPulses.push({
        series: series.index,
        start,
        peak,
        end,
        peakExtra,
        shape: "spike",
        decayMs,
        mix: "reaction",
      });
      markets.push({ country: market.code, sport: event.sport, peakUpliftPct: Math.round(upliftPct) });
    });
    if (eventPulses.length === 0) continue;
    pulses.push(...eventPulses);
    const strongest =
      eventPulses[markets.indexOf(markets.reduce((a, b) => (b.peakUpliftPct > a.peakUpliftPct ? b : a)))]!;
    moments.push({
      id: `reaction-${event.id}`,
      kind: "reaction",
      decoy: false,
      start: Math.min(...eventPulses.map((p) => p.start)),
      peak: strongest.peak,
      end: Math.max(...eventPulses.map((p) => p.end)),
      markets: markets.sort(
        (a, b) => b.peakUpliftPct - a.peakUpliftPct || a.country.localeCompare(b.country),
      ),
      causeEventId: event.id,
      significance: event.significance,
    });
  }
  return { pulses, moments };
}
