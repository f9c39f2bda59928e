// The schedule of a games: every sport's sessions spread over the host's session hours, phases advancing
// from first round to final as the games go on, the sides drawn from the sport's athletes (stronger ones
// more often, and more so in later phases).
import { childSeed, dice, type Dice } from "./random";
import type { GamesSize } from "./sizes";
import { rhythmOf, stageOf, type SportRhythm } from "./sport-rhythms";
import type { Athlete, GamesMarket, GamesSession, GamesSport } from "./types";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface ScheduleInput {
  seed: number;
  size: GamesSize;
  start: number;
  end: number;
  host: GamesMarket;
  sports: GamesSport[];
  athletes: Athlete[];
}

/** The intervals sessions may start in: the host's session hours each day, inside the games. */
export function sessionWindows(
  input: Pick<ScheduleInput, "size" | "start" | "end" | "host">,
  sessionMs: number,
) {
  const [fromHour, toHour] = input.size.sessionHours;
  const offset = input.host.utcOffsetMinutes * MINUTE;
  const firstMidnight = Math.floor((input.start + offset) / DAY) * DAY - offset;
  const windows: [number, number][] = [];
  for (let midnight = firstMidnight; midnight < input.end; midnight += DAY) {
    const from = Math.max(input.start, midnight + fromHour * 60 * MINUTE);
    const to = Math.min(input.end - sessionMs, midnight + toHour * 60 * MINUTE);
    if (to > from) windows.push([from, to]);
  }
  return windows;
}

/** Maps a fraction 0–1 of the total window length onto a time inside the windows. */
function timeAt(windows: [number, number][], fraction: number): number {
  const total = windows.reduce((sum, [from, to]) => sum + to - from, 0);
  let remaining = Math.min(Math.max(fraction, 0), 0.9999) * total;
  for (const [from, to] of windows) {
    if (remaining < to - from) return from + remaining;
    remaining -= to - from;
  }
  return windows[windows.length - 1]![1];
}

function drawSides(
  roll: Dice,
  rhythm: SportRhythm,
  stage: number,
  pool: Athlete[],
): { countries: string[]; athleteIds: string[] } {
  const strength = (rating: number) => Math.pow(0.2 + rating, 1 + stage);
  if (rhythm.team) {
    const teams = [...new Set(pool.map((a) => a.country))];
    const teamRating = (country: string) => {
      const players = pool.filter((a) => a.country === country);
      return players.reduce((sum, a) => sum + a.rating, 0) / players.length;
    };
    const first = teams[roll.weighted(teams.map((c) => strength(teamRating(c))))]!;
    const rest = teams.filter((c) => c !== first);
    const second = rest[roll.weighted(rest.map((c) => strength(teamRating(c))))]!;
    return {
      countries: [first, second],
      athleteIds: pool.filter((a) => a.country === first || a.country === second).map((a) => a.id),
    };
  }
  const perContest = rhythm.contestsPerSession[stage]! * (rhythm.headToHead ? 2 : 8);
  const available = [...pool];
  const chosen: Athlete[] = [];
  while (chosen.length < perContest && available.length > 0) {
    const index = roll.weighted(available.map((a) => strength(a.rating)));
    chosen.push(available.splice(index, 1)[0]!);
  }
  return { countries: [...new Set(chosen.map((a) => a.country))], athleteIds: chosen.map((a) => a.id) };
}

export function generateSchedule(input: ScheduleInput): GamesSession[] {
  const sessions: GamesSession[] = [];
  for (const sport of input.sports) {
    const roll = dice(childSeed(input.seed, "schedule", sport.slug));
    const rhythm = rhythmOf(sport.slug);
    const sessionMs = rhythm.sessionMinutes * MINUTE;
    const windows = sessionWindows(input, sessionMs);
    if (windows.length === 0) continue;
    const count = Math.max(
      rhythm.phases.length,
      Math.round((input.size.sessionsPerSportPerDay * input.size.hours) / 24),
    );
    const pool = input.athletes.filter((a) => a.sport === sport.slug);
    const phase0 = roll.next();
    for (let k = 0; k < count; k++) {
      const phaseIndex = Math.min(rhythm.phases.length - 1, Math.floor((k / count) * rhythm.phases.length));
      const stage = stageOf(phaseIndex, rhythm.phases.length);
      const startsAt =
        Math.round(timeAt(windows, (k + 0.15 + 0.7 * ((phase0 + roll.next()) % 1)) / count) / MINUTE) *
        MINUTE;
      sessions.push({
        id: `${sport.slug}-${String(k + 1).padStart(3, "0")}`,
        sport: sport.slug,
        event: rhythm.events[k % rhythm.events.length]!,
        phase: rhythm.phases[phaseIndex]!,
        stage,
        startsAt,
        endsAt: startsAt + sessionMs,
        ...drawSides(roll, rhythm, stage, pool),
      });
    }
  }
  return sessions.sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id));
}
