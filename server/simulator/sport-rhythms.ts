// How each sport's sessions unfold: its events, the phases from first round to final, how long a session
// lasts, and whether sides are teams (countries) or athletes. The play-by-play follows the sport's format.
import type { SportFormat } from "../reference/sports";

export interface SportRhythm {
  events: readonly string[];
  /** Phase names from the first round to the medal session (at most four). */
  phases: readonly string[];
  sessionMinutes: number;
  /** Team sports field countries; the others field athletes. */
  team: boolean;
  /** One side against another (team games, tennis, combat), rather than a field of eight. */
  headToHead: boolean;
  /** Races, routines or bouts per session by stage (0 first phase … 3 final). */
  contestsPerSession: readonly number[];
  /** The word for a point-scoring play in this sport. */
  scoreWord: string;
}

const RACE = { team: false, headToHead: false, contestsPerSession: [4, 3, 2, 1], scoreWord: "" } as const;
const BOUTS = { team: false, headToHead: true, contestsPerSession: [6, 4, 2, 2] } as const;

export const SPORT_RHYTHMS: Record<string, SportRhythm> = {
  athletics: {
    ...RACE,
    events: ["100m", "400m hurdles", "1500m", "10,000m", "marathon", "high jump", "javelin", "4x400m relay"],
    phases: ["heats", "semifinal", "final"],
    sessionMinutes: 45,
  },
  swimming: {
    ...RACE,
    events: [
      "100m freestyle",
      "200m butterfly",
      "400m individual medley",
      "100m breaststroke",
      "4x100m relay",
    ],
    phases: ["heats", "semifinal", "final"],
    sessionMinutes: 35,
  },
  cycling: {
    ...RACE,
    events: ["road race", "time trial", "team sprint", "keirin", "omnium"],
    phases: ["qualifying", "final"],
    sessionMinutes: 60,
  },
  rowing: {
    ...RACE,
    events: ["single sculls", "double sculls", "coxless four", "eight"],
    phases: ["heats", "repechage", "semifinal", "final"],
    sessionMinutes: 40,
  },
  sailing: {
    ...RACE,
    events: ["dinghy", "skiff", "windsurfing", "kite foiling"],
    phases: ["opening series", "medal race"],
    sessionMinutes: 60,
  },
  gymnastics: {
    team: false,
    headToHead: false,
    events: ["all-around", "floor", "vault", "balance beam", "rings", "pommel horse"],
    phases: ["qualification", "final"],
    sessionMinutes: 50,
    contestsPerSession: [1, 1, 1, 1],
    scoreWord: "routine",
  },
  football: {
    team: true,
    headToHead: true,
    events: ["men's tournament", "women's tournament"],
    phases: ["group stage", "quarterfinal", "semifinal", "final"],
    sessionMinutes: 110,
    contestsPerSession: [1, 1, 1, 1],
    scoreWord: "goal",
  },
  hockey: {
    team: true,
    headToHead: true,
    events: ["men's tournament", "women's tournament"],
    phases: ["pool stage", "quarterfinal", "semifinal", "final"],
    sessionMinutes: 80,
    contestsPerSession: [1, 1, 1, 1],
    scoreWord: "goal",
  },
  basketball: {
    team: true,
    headToHead: true,
    events: ["men's tournament", "women's tournament", "3x3"],
    phases: ["group phase", "quarterfinal", "semifinal", "final"],
    sessionMinutes: 120,
    contestsPerSession: [1, 1, 1, 1],
    scoreWord: "basket",
  },
  handball: {
    team: true,
    headToHead: true,
    events: ["men's tournament", "women's tournament"],
    phases: ["preliminary round", "quarterfinal", "semifinal", "final"],
    sessionMinutes: 75,
    contestsPerSession: [1, 1, 1, 1],
    scoreWord: "goal",
  },
  volleyball: {
    team: true,
    headToHead: true,
    events: ["men's tournament", "women's tournament", "beach volleyball"],
    phases: ["pool play", "quarterfinal", "semifinal", "final"],
    sessionMinutes: 100,
    contestsPerSession: [1, 1, 1, 1],
    scoreWord: "point",
  },
  tennis: {
    team: false,
    headToHead: true,
    events: ["men's singles", "women's singles", "mixed doubles"],
    phases: ["first round", "quarterfinal", "semifinal", "final"],
    sessionMinutes: 120,
    contestsPerSession: [2, 2, 1, 1],
    scoreWord: "point",
  },
  judo: {
    ...BOUTS,
    events: ["-60kg", "-73kg", "-90kg", "+100kg", "-57kg"],
    phases: ["elimination round", "quarterfinal", "semifinal", "final"],
    sessionMinutes: 90,
    scoreWord: "waza-ari",
  },
  boxing: {
    ...BOUTS,
    events: ["flyweight", "lightweight", "welterweight", "heavyweight"],
    phases: ["round of 16", "quarterfinal", "semifinal", "final"],
    sessionMinutes: 90,
    scoreWord: "knockdown",
  },
  fencing: {
    ...BOUTS,
    events: ["foil", "epee", "sabre"],
    phases: ["table of 32", "quarterfinal", "semifinal", "final"],
    sessionMinutes: 80,
    scoreWord: "touch",
  },
};

export function rhythmOf(sport: string): SportRhythm {
  const rhythm = SPORT_RHYTHMS[sport];
  if (!rhythm) throw new Error(`No rhythm for sport "${sport}"`);
  return rhythm;
}

/** Stage (0–3) of a phase index in a sport with `phaseCount` phases: the last phase is always the final (3). */
export function stageOf(phaseIndex: number, phaseCount: number): number {
  return phaseIndex === phaseCount - 1 ? 3 : Math.min(2, phaseIndex);
}

/** How much a moment in a phase matters relative to the same moment in the final. */
export const STAGE_WEIGHT = [0.5, 0.65, 0.8, 1] as const;

export const FORMAT_WORDS: Record<SportFormat, string> = {
  team_game: "match",
  timed_race: "race",
  judged: "routine",
  sets_match: "match",
  combat: "bout",
};
