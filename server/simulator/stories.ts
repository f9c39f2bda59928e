// The stories archive: short articles about the games' athletes (profiles, comebacks, rivalries) published
// before the games, previews before the decisive sessions, and recaps after medals — linked to athletes,
// countries and sports so the agents can find the background to a moment.
import { childSeed, dice, type Dice } from "./random";
import type {
  Athlete,
  GamesMarket,
  GamesSession,
  GamesSport,
  PlayByPlayEvent,
  Story,
  StoryKind,
} from "./types";

const DAY = 86_400_000;

export interface StoriesInput {
  seed: number;
  count: number;
  start: number;
  athletes: Athlete[];
  sessions: GamesSession[];
  playByPlay: PlayByPlayEvent[];
  markets: GamesMarket[];
  sports: GamesSport[];
}

interface Writer {
  roll: Dice;
  country: (code: string) => string;
  sport: (slug: string) => string;
}

function profile(w: Writer, athlete: Athlete): Pick<Story, "headline" | "body"> {
  const first = athlete.name.split(" ")[0]!;
  const headline = w.roll.pick([
    `${athlete.name}: the ${w.country(athlete.country)} ${w.sport(athlete.sport).toLowerCase()} hope`,
    `Who is ${athlete.name}?`,
    `${first} carries ${w.country(athlete.country)}'s hopes in ${w.sport(athlete.sport).toLowerCase()}`,
  ]);
  const body =
    `${athlete.biography} ` +
    w.roll.pick([
      `Coaches describe ${first} as relentless in training.`,
      `At home, ${first}'s races draw crowds to public screens.`,
      `${first} says the games are "the only thing I think about".`,
    ]) +
    ` ${w.country(athlete.country)} has not had a medal in this discipline for ${w.roll.int(8, 40)} years.`;
  return { headline, body };
}

function comeback(w: Writer, athlete: Athlete): Pick<Story, "headline" | "body"> {
  const setback = w.roll.pick([
    "a torn Achilles",
    "a broken wrist",
    "two years of illness",
    "a doping ban served by a rival that cost a final",
    "burnout",
  ]);
  return {
    headline: `${athlete.name}'s comeback after ${setback}`,
    body:
      `Eighteen months ago ${athlete.name} of ${w.country(athlete.country)} could not train at all after ${setback}. ` +
      `The return to ${w.sport(athlete.sport).toLowerCase()} was slow: ${w.roll.int(3, 9)} months of rehabilitation, then a first race back. ` +
      `"I learned to enjoy it again," ${athlete.name.split(" ")[0]} says. A medal would complete one of the stories of the games.`,
  };
}

function rivalry(w: Writer, a: Athlete, b: Athlete): Pick<Story, "headline" | "body"> {
  return {
    headline: `${a.name} v ${b.name}: the rivalry that defines ${w.sport(a.sport).toLowerCase()}`,
    body:
      `${a.name} (${w.country(a.country)}) and ${b.name} (${w.country(b.country)}) have met ${w.roll.int(4, 19)} times; ` +
      `${a.name.split(" ")[0]} leads narrowly. Their last meeting ended in ${w.roll.pick(["a photo finish", "a disputed decision", "a record", "tears"])}. ` +
      `Fans in both countries have circled the date of the next one.`,
  };
}

function preview(w: Writer, session: GamesSession, names: string): Pick<Story, "headline" | "body"> {
  return {
    headline: `${w.sport(session.sport)} ${session.event} ${session.phase}: what to watch`,
    body:
      `The ${session.event} ${session.phase} brings together ${names}. ` +
      `${w.roll.pick(["The favourite has looked untouchable all season.", "Nobody has dominated this year, and that makes it open.", "Conditions could decide it."])} ` +
      `Coverage starts a few minutes before the first whistle.`,
  };
}

function recap(w: Writer, session: GamesSession, medal: PlayByPlayEvent): Pick<Story, "headline" | "body"> {
  return {
    headline: `${medal.description.split(":")[1]?.split("(")[0]?.trim() ?? medal.description}`,
    body:
      `${medal.description} ` +
      `It was the ${session.event} ${session.phase} in ${w.sport(session.sport).toLowerCase()}, and it lived up to the billing. ` +
      `Celebrations started in ${medal.countries.map(w.country).join(" and ")} within seconds.`,
  };
}

export function generateStories(input: StoriesInput): Story[] {
  const roll = dice(childSeed(input.seed, "stories"));
  const marketName = new Map(input.markets.map((m) => [m.code, m.name]));
  const sportName = new Map(input.sports.map((s) => [s.slug, s.name]));
  const w: Writer = {
    roll,
    country: (code) => marketName.get(code) ?? code,
    sport: (slug) => sportName.get(slug) ?? slug,
  };
  const athleteById = new Map(input.athletes.map((a) => [a.id, a]));
  const stories: Story[] = [];
  const add = (
    kind: StoryKind,
    publishedAt: number,
    sport: string | null,
    athletes: Athlete[],
    text: Pick<Story, "headline" | "body">,
    countries?: string[],
  ) =>
    stories.push({
      id: `story-${String(stories.length + 1).padStart(5, "0")}`,
      kind,
      publishedAt: Math.round(publishedAt / 60_000) * 60_000,
      sport,
      countries: countries ?? [...new Set(athletes.map((a) => a.country))],
      athleteIds: athletes.map((a) => a.id),
      ...text,
    });

  const decisive = input.sessions.filter((s) => s.stage >= 2).slice(0, Math.floor(input.count / 5));
  for (const session of decisive) {
    const field = session.athleteIds.map((id) => athleteById.get(id)!).slice(0, 4);
    const names = field.map((a) => `${a.name} (${w.country(a.country)})`).join(", ");
    add(
      "preview",
      session.startsAt - roll.between(1, 20) * 3_600_000,
      session.sport,
      field,
      preview(w, session, names),
      session.countries,
    );
  }
  const medals = input.playByPlay
    .filter((e) => e.type === "medal_decided")
    .slice(0, Math.floor(input.count / 5));
  const sessionById = new Map(input.sessions.map((s) => [s.id, s]));
  for (const medal of medals) {
    const athletes = medal.athleteIds.map((id) => athleteById.get(id)!);
    add(
      "recap",
      medal.ts + roll.between(10, 60) * 60_000,
      medal.sport,
      athletes,
      recap(w, sessionById.get(medal.sessionId)!, medal),
      medal.countries,
    );
  }
  const weights = input.athletes.map((a) => 0.1 + a.rating * a.rating);
  while (stories.length < input.count && input.athletes.length > 0) {
    const athlete = input.athletes[roll.weighted(weights)]!;
    const before = input.start - roll.between(1, 60) * DAY;
    const kind = roll.weighted([0.5, 0.25, 0.25]);
    if (kind === 0) add("profile", before, athlete.sport, [athlete], profile(w, athlete));
    else if (kind === 1) add("comeback", before, athlete.sport, [athlete], comeback(w, athlete));
    else {
      const rivals = input.athletes.filter((a) => a.sport === athlete.sport && a.country !== athlete.country);
      if (rivals.length === 0) continue;
      const rival = roll.pick(rivals);
      add("rivalry", before, athlete.sport, [athlete, rival], rivalry(w, athlete, rival));
    }
  }
  return stories.sort((a, b) => a.publishedAt - b.publishedAt || a.id.localeCompare(b.id));
}
