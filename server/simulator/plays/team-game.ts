// Play-by-play of a team game: kick-off, goals (late winners and equalisers count more), penalties, red
// cards, saves, full time and, from the knockout phases on, a shoot-out when level.
import { poisson } from "../random";
import { closeOut, who, winsOver, type Context } from "./context";

export function teamGame(ctx: Context, duration: number): void {
  const { roll, session, rhythm } = ctx;
  const [home, away] = session.countries as [string, string];
  const side = (code: string) => ctx.field.filter((a) => a.country === code);
  const rating = (code: string) =>
    side(code).reduce((s, a) => s + a.rating, 0) / Math.max(1, side(code).length);
  const kickoff = 300;
  const play = duration - kickoff - 600;
  ctx.drafts.push({
    at: kickoff,
    type: "kickoff",
    base: 0.1,
    athletes: [],
    countries: [home, away],
    text: `Kick-off: ${ctx.country(home)} v ${ctx.country(away)}.`,
  });
  const lambda = rhythm.scoreWord === "goal" ? 1.4 : 2.2;
  const scores = [home, away].flatMap((code) =>
    Array.from({ length: poisson(lambda * (0.5 + rating(code)), roll.next) }, () => ({
      code,
      at: kickoff + roll.int(60, play),
    })),
  );
  scores.sort((a, b) => a.at - b.at);
  const tally: Record<string, number> = { [home]: 0, [away]: 0 };
  for (const score of scores) {
    const before = tally[score.code]! - tally[score.code === home ? away : home]!;
    tally[score.code]! += 1;
    const scorer = roll.pick(side(score.code));
    const late = score.at > kickoff + play * 0.85 && before <= 0;
    if (roll.chance(0.2)) {
      ctx.drafts.push({
        at: score.at - 40,
        type: "penalty",
        base: 0.45,
        athletes: [scorer],
        text: `Penalty to ${ctx.country(score.code)}; ${scorer.name} steps up.`,
      });
    }
    ctx.drafts.push({
      at: score.at,
      type: rhythm.scoreWord,
      base: late ? 0.78 : 0.55,
      athletes: [scorer],
      text: `${late ? (before === 0 ? "Late winner! " : "Late equaliser! ") : ""}${who(ctx, scorer)} scores: ${ctx.country(home)} ${tally[home]}-${tally[away]} ${ctx.country(away)}.`,
    });
  }
  if (roll.chance(0.15)) {
    const player = roll.pick(ctx.field);
    ctx.drafts.push({
      at: kickoff + roll.int(60, play),
      type: "red_card",
      base: 0.42,
      athletes: [player],
      text: `Red card: ${who(ctx, player)} is sent off.`,
    });
  }
  const keeper = roll.pick(ctx.field);
  ctx.drafts.push({
    at: kickoff + roll.int(60, play),
    type: "save",
    base: 0.2,
    athletes: [keeper],
    text: `Brilliant save by ${who(ctx, keeper)}.`,
  });
  let end = kickoff + play;
  let winner = tally[home]! === tally[away]! ? undefined : tally[home]! > tally[away]! ? home : away;
  ctx.drafts.push({
    at: end,
    type: "full_time",
    base: 0.3,
    athletes: [],
    countries: [home, away],
    text: `Full time: ${ctx.country(home)} ${tally[home]}-${tally[away]} ${ctx.country(away)}.`,
  });
  if (!winner && session.stage > 0) {
    winner = winsOver(roll, rating(home), rating(away)) ? home : away;
    end += 420;
    ctx.drafts.push({
      at: end,
      type: "shoot_out",
      base: 0.75,
      athletes: side(winner),
      text: `${ctx.country(winner)} win the shoot-out.`,
    });
  }
  if (winner) closeOut(ctx, end, side(winner), side(winner === home ? away : home), ctx.country(winner));
}
