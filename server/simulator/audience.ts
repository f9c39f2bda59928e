// The audience's expected behaviour per country × sport: a baseline shared out by market size and affinity,
// shaped by each country's local time of day, and lifted while sessions of the sport are live (more so for
// the countries taking part and for later phases). Reactions and decoys are added on top (see injections).
import { localHour } from "./world";
import type { GamesMarket, GamesSession, GamesSport } from "./types";

const MINUTE = 60_000;
/** Share of the evening peak awake and following, per local hour (0 = midnight). */
const DIURNAL = [
  0.3, 0.18, 0.11, 0.08, 0.07, 0.09, 0.18, 0.36, 0.5, 0.56, 0.6, 0.64, 0.7, 0.7, 0.66, 0.68, 0.74, 0.84, 0.94,
  1, 1, 0.92, 0.72, 0.48,
];
/** Live lift per stage (first round … final), for a country taking part; others get it scaled by affinity. */
const LIVE_GAIN = [0.3, 0.5, 0.8, 1.2];
const PARTICIPANT_FACTOR = 2;
const RAMP_BEFORE = 10 * MINUTE;
const RAMP_AFTER = 15 * MINUTE;

export interface Series {
  index: number;
  country: string;
  sport: string;
  market: number;
  sportIndex: number;
  affinity: number;
  /** Actions per second at the evening peak with nothing live (before calibration scaling). */
  weight: number;
}

export function diurnalFactor(hour: number): number {
  const low = Math.floor(hour) % 24;
  const fraction = hour - Math.floor(hour);
  return DIURNAL[low]! * (1 - fraction) + DIURNAL[(low + 1) % 24]! * fraction;
}

export class AudienceModel {
  readonly series: Series[];
  /** Scales weights to actions per second so the average baseline matches the games' volume. */
  readonly scale: number;
  private readonly sessionsBySport: GamesSession[][];
  private readonly participants: Map<string, Set<number>>;
  private readonly longestSessionMs: number;

  constructor(
    readonly markets: GamesMarket[],
    readonly sports: GamesSport[],
    sessions: GamesSession[],
    readonly start: number,
    readonly end: number,
    actionsPerSecond: number,
  ) {
    const marketWeights = markets.map((m) => Math.pow(m.marketSize, 0.85));
    const totalMarket = marketWeights.reduce((a, b) => a + b, 0);
    this.series = markets.flatMap((market, m) => {
      const totalAffinity = sports.reduce((sum, s) => sum + (market.sportAffinity[s.slug] ?? 0), 0);
      return sports.map((sport, s) => {
        const affinity = market.sportAffinity[sport.slug] ?? 0;
        return {
          index: m * sports.length + s,
          country: market.code,
          sport: sport.slug,
          market: m,
          sportIndex: s,
          affinity,
          weight: ((marketWeights[m]! / totalMarket) * affinity) / totalAffinity,
        };
      });
    });
    this.sessionsBySport = sports.map((sport) =>
      sessions.filter((s) => s.sport === sport.slug).sort((a, b) => a.startsAt - b.startsAt),
    );
    this.participants = new Map(
      sessions.map((s) => [
        s.id,
        new Set(s.countries.map((code) => markets.findIndex((m) => m.code === code))),
      ]),
    );
    this.longestSessionMs = Math.max(0, ...sessions.map((s) => s.endsAt - s.startsAt));
    this.scale = actionsPerSecond / this.meanBaseline();
  }

  /** Share of the market's audience following at `at` (its local time of day). */
  diurnal(market: number, at: number): number {
    return diurnalFactor(localHour(this.markets[market]!, at));
  }

  /** Sessions of a sport live (or ramping) at `at`. */
  liveSessions(sportIndex: number, at: number): GamesSession[] {
    const list = this.sessionsBySport[sportIndex]!;
    // Binary search for the first session starting too late to be ramping yet, then walk back.
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (list[mid]!.startsAt - RAMP_BEFORE <= at) low = mid + 1;
      else high = mid;
    }
    const live: GamesSession[] = [];
    const earliest = at - this.longestSessionMs - RAMP_AFTER;
    for (let j = low - 1; j >= 0 && list[j]!.startsAt >= earliest; j--) {
      if (list[j]!.endsAt + RAMP_AFTER >= at) live.push(list[j]!);
    }
    return live;
  }

  /** Multiplier ≥ 1 on a series while sessions of its sport are live. */
  liveFactor(series: Series, at: number, live = this.liveSessions(series.sportIndex, at)): number {
    let factor = 1;
    for (const session of live) {
      const ramp =
        Math.min(1, Math.max(0, (at - session.startsAt + RAMP_BEFORE) / RAMP_BEFORE)) *
        Math.min(1, Math.max(0, (session.endsAt + RAMP_AFTER - at) / RAMP_AFTER));
      const taking = this.participants.get(session.id)!.has(series.market);
      factor += ramp * LIVE_GAIN[session.stage]! * (taking ? PARTICIPANT_FACTOR : series.affinity);
    }
    return factor;
  }

  /** Expected actions per second of a series at `at`: no reactions, no decoys. */
  expectedRate(series: Series, at: number): number {
    return this.scale * series.weight * this.diurnal(series.market, at) * this.liveFactor(series, at);
  }

  /** A market's volume at its evening peak with nothing live, all sports together (actions/s). */
  marketRate(market: number): number {
    let sum = 0;
    for (const series of this.series) if (series.market === market) sum += series.weight;
    return this.scale * sum;
  }

  private meanBaseline(): number {
    const step = Math.max(MINUTE, Math.floor((this.end - this.start) / 2_000));
    let total = 0;
    let samples = 0;
    for (let at = this.start + step / 2; at < this.end; at += step) {
      const liveBySport = this.sports.map((_, s) => this.liveSessions(s, at));
      for (const series of this.series) {
        total +=
          series.weight *
          this.diurnal(series.market, at) *
          this.liveFactor(series, at, liveBySport[series.sportIndex]);
      }
      samples += 1;
    }
    return total / Math.max(1, samples);
  }
}
