// What a sport format's play-by-play writer works with: the session, its field, and the drafts it adds,
// plus the closing moments every format shares (upset, medal decided).
import type { Dice } from "../random";
import type { SportRhythm } from "../sport-rhythms";
import type { Athlete, GamesSession, GamesSport } from "../types";

export interface Draft {
  /** Seconds since the broadcast began. */
  at: number;
  type: string;
  /** Significance in a final; scaled down for earlier phases. */
  base: number;
  athletes: Athlete[];
  countries?: string[];
  text: string;
}

export interface Context {
  roll: Dice;
  session: GamesSession;
  sport: GamesSport;
  rhythm: SportRhythm;
  field: Athlete[];
  country: (code: string) => string;
  drafts: Draft[];
}

export const who = (ctx: Context, athlete: Athlete) => `${athlete.name} (${ctx.country(athlete.country)})`;
export const winsOver = (roll: Dice, a: number, b: number) => roll.next() < (a * a) / (a * a + b * b || 1);

export function closeOut(ctx: Context, at: number, winner: Athlete[], loser: Athlete[], label: string): void {
  const { session, roll } = ctx;
  const mean = (side: Athlete[]) => side.reduce((sum, a) => sum + a.rating, 0) / Math.max(1, side.length);
  if (mean(winner) + 0.12 < mean(loser)) {
    ctx.drafts.push({
      at: at + 5,
      type: "upset",
      base: 0.8,
      athletes: [...winner, ...loser],
      text: `Upset: ${label} beats the favourite.`,
    });
  }
  if (session.stage === 3) {
    ctx.drafts.push({
      at: at + roll.int(20, 60),
      type: "medal_decided",
      base: 0.95,
      athletes: winner,
      text: `Gold medal decided: ${label} wins the ${session.event} final.`,
    });
  }
}
