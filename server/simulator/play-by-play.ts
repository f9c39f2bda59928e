// Play-by-play for every session, following its sport's format (see plays/): each event with a significance
// that grows towards the final, the athletes and countries involved, and a broadcast timecode.
import { childSeed, dice } from "./random";
import { rhythmOf, STAGE_WEIGHT } from "./sport-rhythms";
import type { Athlete, GamesMarket, GamesSession, GamesSport, PlayByPlayEvent } from "./types";
import type { Context } from "./plays/context";
import { headToHead } from "./plays/head-to-head";
import { judged } from "./plays/judged";
import { teamGame } from "./plays/team-game";
import { timedRace } from "./plays/timed-race";

export function generatePlayByPlay(
  seed: number,
  sessions: GamesSession[],
  sports: GamesSport[],
  athletes: Athlete[],
  markets: GamesMarket[],
): PlayByPlayEvent[] {
  const athleteById = new Map(athletes.map((a) => [a.id, a]));
  const marketName = new Map(markets.map((m) => [m.code, m.name]));
  const events: PlayByPlayEvent[] = [];
  for (const session of sessions) {
    const sport = sports.find((s) => s.slug === session.sport)!;
    const ctx: Context = {
      roll: dice(childSeed(seed, "play-by-play", session.id)),
      session,
      sport,
      rhythm: rhythmOf(sport.slug),
      field: session.athleteIds.map((id) => athleteById.get(id)!),
      country: (code) => marketName.get(code) ?? code,
      drafts: [],
    };
    const duration = (session.endsAt - session.startsAt) / 1_000;
    if (sport.format === "team_game") teamGame(ctx, duration);
    else if (sport.format === "timed_race") timedRace(ctx, duration);
    else if (sport.format === "judged") judged(ctx, duration);
    else headToHead(ctx, duration);
    const context = ` (${sport.name}, ${session.event}, ${session.phase})`;
    ctx.drafts
      .sort((a, b) => a.at - b.at)
      .forEach((draft, index) => {
        const significance = draft.base * STAGE_WEIGHT[session.stage]! + 0.04 * ctx.roll.gaussian();
        events.push({
          id: `${session.id}-${String(index + 1).padStart(3, "0")}`,
          sessionId: session.id,
          sport: session.sport,
          type: draft.type,
          ts: session.startsAt + draft.at * 1_000,
          timecode: draft.at,
          significance: Math.round(Math.min(1, Math.max(0.02, significance)) * 1_000) / 1_000,
          countries: draft.countries ?? [...new Set(draft.athletes.map((a) => a.country))],
          athleteIds: draft.athletes.map((a) => a.id),
          description: draft.text + context,
        });
      });
  }
  return events.sort((a, b) => a.ts - b.ts || a.id.localeCompare(b.id));
}
