// The plain data a generated games is made of: world, schedule, play-by-play, stories, and the ground truth of
// what the audience simulation injected. Everything is JSON-serialisable; times are epoch milliseconds.
import type { SportFormat } from "../reference/sports";

export type GamesSizeName = "small" | "demo" | "full";

export interface GamesMarket {
  code: string;
  name: string;
  marketSize: number;
  timeZone: string;
  /** Offset of local time from UTC at the games' start, in minutes (held for the whole games). */
  utcOffsetMinutes: number;
  sportAffinity: Record<string, number>;
}

export interface GamesSport {
  slug: string;
  name: string;
  format: SportFormat;
}

export interface Athlete {
  id: string;
  name: string;
  country: string;
  sport: string;
  born: number;
  /** 0–1: how likely the athlete is to win; an upset is a low-rated athlete beating a high-rated one. */
  rating: number;
  biography: string;
}

export interface GamesSession {
  id: string;
  sport: string;
  event: string;
  /** The phase as the sport names it: heats, group stage, semifinal, final, … */
  phase: string;
  /** How far along the event: 0 for its first phase up to 3 for the medal session. */
  stage: number;
  startsAt: number;
  endsAt: number;
  countries: string[];
  athleteIds: string[];
}

export interface PlayByPlayEvent {
  id: string;
  sessionId: string;
  sport: string;
  type: string;
  ts: number;
  /** Seconds since the session's broadcast began. */
  timecode: number;
  /** 0–1: how much the moment matters (a heat's false start ≈ 0.2, a final's world record ≈ 1). */
  significance: number;
  countries: string[];
  athleteIds: string[];
  description: string;
}

export const STORY_KINDS = ["profile", "comeback", "rivalry", "preview", "recap"] as const;
export type StoryKind = (typeof STORY_KINDS)[number];

export interface Story {
  id: string;
  kind: StoryKind;
  headline: string;
  body: string;
  publishedAt: number;
  sport: string | null;
  countries: string[];
  athleteIds: string[];
}

export const DECOY_KINDS = ["push_notification", "bot_burst", "outage", "slow_trend"] as const;
export type DecoyKind = (typeof DECOY_KINDS)[number];
export type MomentKind = "reaction" | DecoyKind;

/** One series a moment moved, with how far above (or below) its expected level it went at the peak. */
export interface MomentMarket {
  country: string;
  sport: string;
  peakUpliftPct: number;
}

/** Ground truth: an injected audience reaction or decoy. */
export interface GroundTruthMoment {
  id: string;
  kind: MomentKind;
  decoy: boolean;
  start: number;
  peak: number;
  end: number;
  markets: MomentMarket[];
  /** For reactions: the play-by-play event reacted to and its significance. */
  causeEventId: string | null;
  significance: number | null;
}

export interface GamesManifest {
  format: "peaklight-games/1";
  id: string;
  name: string;
  seed: number;
  size: GamesSizeName;
  hostCountry: string;
  start: number;
  end: number;
  markets: GamesMarket[];
  sports: GamesSport[];
  /** Average baseline actions per second the audience was calibrated to. */
  actionsPerSecond: number;
}
