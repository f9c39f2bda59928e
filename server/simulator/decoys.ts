// Decoys: traffic changes that are not interesting moments — a push-notification surge in one country, a bot
// burst on one series, a site-wide dip from an outage, a slow trend over hours. Kinds take turns, so every
// games of a few hours has each of them; all are listed in the ground truth with `decoy: true`.
import type { AudienceModel } from "./audience";
import type { Outage, Pulse } from "./injections";
import { childSeed, dice } from "./random";
import { DECOY_KINDS, type GroundTruthMoment } from "./types";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

export function generateDecoys(
  seed: number,
  model: AudienceModel,
  perDay: number,
): { pulses: Pulse[]; outages: Outage[]; moments: GroundTruthMoment[] } {
  const roll = dice(childSeed(seed, "decoys"));
  const span = model.end - model.start;
  const count = Math.max(DECOY_KINDS.length, Math.round((perDay * span) / (24 * 60 * MINUTE)));
  const pulses: Pulse[] = [];
  const outages: Outage[] = [];
  const moments: GroundTruthMoment[] = [];
  const marketWeights = model.markets.map((m) => m.marketSize);
  for (let k = 0; k < count; k++) {
    const kind = DECOY_KINDS[k % DECOY_KINDS.length]!;
    const start = Math.round((model.start + span * roll.between(0.05, 0.85)) / SECOND) * SECOND;
    const id = `decoy-${String(k + 1).padStart(4, "0")}-${kind}`;
    const m = roll.weighted(marketWeights);
    const pick = () => model.series[m * model.sports.length + roll.int(0, model.sports.length - 1)]!;
    if (kind === "outage") {
      const end = start + Math.round(roll.between(3, 10)) * MINUTE;
      const floor = roll.between(0.1, 0.35);
      outages.push({ start, end, floor });
      moments.push({
        id,
        kind,
        decoy: true,
        start,
        peak: start + 20 * SECOND,
        end: end + MINUTE,
        markets: [{ country: "*", sport: "*", peakUpliftPct: -Math.round((1 - floor) * 100) }],
        causeEventId: null,
        significance: null,
      });
      continue;
    }
    const targets = kind === "push_notification" ? model.series.filter((s) => s.market === m) : [pick()];
    const shape = kind === "bot_burst" ? "plateau" : kind === "slow_trend" ? "ramp" : "spike";
    const length =
      kind === "bot_burst"
        ? roll.between(1, 3) * MINUTE
        : kind === "slow_trend"
          ? Math.min(span * 0.5, roll.between(2, 5) * 60 * MINUTE)
          : 8 * MINUTE;
    const peak = start + (shape === "ramp" ? length / 2 : shape === "plateau" ? 5 * SECOND : 20 * SECOND);
    const end = Math.round(start + length);
    const uplift =
      kind === "bot_burst"
        ? roll.between(3, 8)
        : kind === "slow_trend"
          ? roll.between(0.6, 1.2)
          : roll.between(0.8, 1.5);
    const markets = targets.map((series) => {
      const expected = model.expectedRate(series, peak);
      const peakExtra = Math.max(expected * uplift, kind === "bot_burst" ? 2 : 0);
      pulses.push({
        series: series.index,
        start,
        peak,
        end,
        peakExtra,
        shape,
        decayMs: 2 * MINUTE,
        mix: kind === "bot_burst" ? "bot" : kind === "push_notification" ? "push" : "baseline",
      });
      return {
        country: series.country,
        sport: series.sport,
        peakUpliftPct: Math.round((100 * peakExtra) / expected),
      };
    });
    moments.push({
      id,
      kind,
      decoy: true,
      start,
      peak,
      end,
      markets,
      causeEventId: null,
      significance: null,
    });
  }
  return { pulses, outages, moments };
}
