// Play-by-play of a judged event: each routine, falls, new leaders and the rare near-perfect score.
import type { Athlete } from "../types";
import { closeOut, who, type Context } from "./context";

export function judged(ctx: Context, duration: number): void {
  const { roll } = ctx;
  const field = ctx.field.slice(0, 8);
  let best: { athlete: Athlete; score: number } | undefined;
  field.forEach((athlete, index) => {
    const at = 300 + Math.floor((index * (duration - 700)) / field.length);
    ctx.drafts.push({
      at,
      type: "routine",
      base: 0.12,
      athletes: [athlete],
      text: `${who(ctx, athlete)} begins the routine.`,
    });
    const fell = roll.chance(0.1);
    if (fell)
      ctx.drafts.push({
        at: at + 50,
        type: "fall",
        base: 0.55,
        athletes: [athlete],
        text: `A fall for ${who(ctx, athlete)}.`,
      });
    const score = (fell ? 12 : 13.5) + athlete.rating * 1.5 + roll.next() * 0.8;
    if (!fell && roll.chance(0.03)) {
      ctx.drafts.push({
        at: at + 90,
        type: "perfect_score",
        base: 0.92,
        athletes: [athlete],
        text: `A near-perfect ${score.toFixed(3)} for ${who(ctx, athlete)}.`,
      });
    } else if (!best || score > best.score) {
      ctx.drafts.push({
        at: at + 90,
        type: "high_score",
        base: 0.45,
        athletes: [athlete],
        text: `${who(ctx, athlete)} moves top with ${score.toFixed(3)}.`,
      });
    }
    if (!best || score > best.score) best = { athlete, score };
  });
  if (best)
    closeOut(
      ctx,
      duration - 300,
      [best.athlete],
      field.filter((a) => a !== best!.athlete).slice(0, 2),
      who(ctx, best.athlete),
    );
}
