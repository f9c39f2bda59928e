// Play-by-play of one side against another: sets, tie-breaks and match points (tennis, volleyball), or
// scores, golden scores and decisive finishes (judo, boxing, fencing).
import type { Athlete } from "../types";
import { closeOut, who, winsOver, type Context } from "./context";

export function headToHead(ctx: Context, duration: number): void {
  const { roll, session, rhythm } = ctx;
  const sets = ctx.sport.format === "sets_match";
  const pairs: [Athlete[], Athlete[]][] = rhythm.team
    ? [
        [
          ctx.field.filter((a) => a.country === session.countries[0]),
          ctx.field.filter((a) => a.country === session.countries[1]),
        ],
      ]
    : Array.from({ length: Math.floor(ctx.field.length / 2) }, (_, i) => [
        [ctx.field[2 * i]!],
        [ctx.field[2 * i + 1]!],
      ]);
  const name = (side: Athlete[]) => (rhythm.team ? ctx.country(side[0]!.country) : who(ctx, side[0]!));
  const rating = (side: Athlete[]) => side.reduce((s, a) => s + a.rating, 0) / Math.max(1, side.length);
  pairs.forEach(([a, b], index) => {
    if (a.length === 0 || b.length === 0) return;
    const slot = Math.floor((duration - 600) / pairs.length);
    const start = 300 + index * slot;
    ctx.drafts.push({
      at: start,
      type: sets ? "match_start" : "bout_start",
      base: 0.08,
      athletes: [...a, ...b],
      text: `${name(a)} v ${name(b)} begins.`,
    });
    const aWins = winsOver(roll, rating(a), rating(b));
    const [winner, loser] = aWins ? [a, b] : [b, a];
    let at = start;
    if (sets) {
      const needed = rhythm.team ? 3 : 2;
      const won = [0, 0];
      while (won[0]! < needed && won[1]! < needed) {
        at += Math.floor(slot / (2 * needed));
        const setToWinner = roll.next() < 0.65;
        won[setToWinner ? 0 : 1]! += 1;
        if (roll.chance(0.25))
          ctx.drafts.push({
            at: at - 120,
            type: "tiebreak",
            base: 0.4,
            athletes: [...a, ...b],
            text: `Tie-break in set ${won[0]! + won[1]!}.`,
          });
        ctx.drafts.push({
          at,
          type: "set_won",
          base: 0.3,
          athletes: setToWinner ? winner : loser,
          text: `Set to ${name(setToWinner ? winner : loser)} (${won[0]}-${won[1]}).`,
        });
      }
      if (won[0]! < needed) won[0] = needed; // the better side takes the deciding sets
      if (roll.chance(0.2))
        ctx.drafts.push({
          at: at + 60,
          type: "match_point_saved",
          base: 0.55,
          athletes: loser,
          text: `${name(loser)} saves match point.`,
        });
      at += 180;
      ctx.drafts.push({
        at,
        type: "match_won",
        base: 0.4,
        athletes: winner,
        text: `${name(winner)} wins the match against ${name(loser)}.`,
      });
    } else {
      for (let n = roll.int(0, 2); n > 0; n--) {
        at += roll.int(30, 90);
        const scorer = roll.chance(0.6) ? winner : loser;
        ctx.drafts.push({
          at,
          type: rhythm.scoreWord,
          base: 0.3,
          athletes: scorer,
          text: `${rhythm.scoreWord} for ${name(scorer)}.`,
        });
      }
      if (roll.chance(0.2)) {
        at += 240;
        ctx.drafts.push({
          at,
          type: "golden_score",
          base: 0.45,
          athletes: [...a, ...b],
          text: `Golden score: ${name(a)} and ${name(b)} go to extra time.`,
        });
      }
      at += roll.int(20, 90);
      const decisive = roll.chance(0.5);
      ctx.drafts.push({
        at,
        type: decisive ? "decisive_score" : "decision",
        base: decisive ? 0.6 : 0.35,
        athletes: winner,
        text: `${name(winner)} ${decisive ? "wins it outright" : "wins on the judges' decision"} against ${name(loser)}.`,
      });
    }
    if (index === pairs.length - 1) closeOut(ctx, at, winner, loser, name(winner));
  });
}
