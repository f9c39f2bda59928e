// Play-by-play of timed races: starts, false starts, lead changes, falls, finishes and records.
import { closeOut, who, type Context } from "./context";

export function timedRace(ctx: Context, duration: number): void {
  const { roll, session } = ctx;
  const contests = ctx.rhythm.contestsPerSession[session.stage]!;
  for (let race = 0; race < contests; race++) {
    const field = ctx.field.slice(race * 8, race * 8 + 8);
    if (field.length < 2) break;
    const start = 300 + Math.floor((race * (duration - 600)) / contests);
    const length = roll.int(60, Math.min(1_800, Math.floor((duration - 600) / contests) - 60));
    const label = `${session.event} ${session.phase}${contests > 1 ? ` ${race + 1}` : ""}`;
    ctx.drafts.push({
      at: start,
      type: "race_start",
      base: 0.1,
      athletes: field,
      text: `Under way: ${label}.`,
    });
    if (roll.chance(0.1)) {
      const culprit = roll.pick(field);
      ctx.drafts.push({
        at: start + 10,
        type: "false_start",
        base: 0.35,
        athletes: [culprit],
        text: `False start by ${who(ctx, culprit)} in the ${label}.`,
      });
    }
    const order = [...field].sort(
      (a, b) => b.rating * (0.7 + 0.6 * roll.next()) - a.rating * (0.7 + 0.6 * roll.next()),
    );
    if (roll.chance(0.5)) {
      ctx.drafts.push({
        at: start + Math.floor(length * 0.6),
        type: "lead_change",
        base: 0.25,
        athletes: [order[0]!],
        text: `${who(ctx, order[0]!)} takes the lead.`,
      });
    }
    if (roll.chance(0.07)) {
      const faller = order[order.length - 1]!;
      ctx.drafts.push({
        at: start + Math.floor(length * 0.4),
        type: "fall",
        base: 0.55,
        athletes: [faller],
        text: `${who(ctx, faller)} falls and is out of the ${label}.`,
      });
    }
    const finish = start + length;
    ctx.drafts.push({
      at: finish,
      type: "finish",
      base: 0.35,
      athletes: order.slice(0, 3),
      text: `${who(ctx, order[0]!)} wins the ${label} ahead of ${order[1]!.name}.`,
    });
    const record = roll.next();
    if (record < 0.05) {
      ctx.drafts.push({
        at: finish + 15,
        type: "world_record",
        base: 0.97,
        athletes: [order[0]!],
        text: `World record! ${who(ctx, order[0]!)} in the ${label}.`,
      });
    } else if (record < 0.15) {
      ctx.drafts.push({
        at: finish + 15,
        type: "games_record",
        base: 0.7,
        athletes: [order[0]!],
        text: `Games record for ${who(ctx, order[0]!)} in the ${label}.`,
      });
    }
    if (race === contests - 1) closeOut(ctx, finish, [order[0]!], order.slice(1, 3), who(ctx, order[0]!));
  }
}
