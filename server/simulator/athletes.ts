// Fictional athletes: more of them, and stronger, from markets that care about a sport, each with a short
// biography the stories and play-by-play refer to.
import { fictionalName } from "./names";
import { childSeed, dice, type Dice } from "./random";
import { rhythmOf } from "./sport-rhythms";
import type { Athlete, GamesMarket, GamesSport } from "./types";

const ORIGINS = [
  "grew up training before school in a small club",
  "came to the sport late, after an injury ended a football career",
  "was spotted at a regional youth championship",
  "trains with the sibling who first brought them to the sport",
  "combines training with studies in engineering",
  "moved abroad at sixteen to find a coach",
];
const STYLES = [
  "known for a fearless finish",
  "famous for staying calm when it matters",
  "a tactician who rarely leads early",
  "an explosive starter",
  "the most consistent performer of the season",
  "a crowd favourite for the celebrations",
];
const RECORDS = [
  "won the continental title last year",
  "returns after a year out with a knee injury",
  "set a national record in the spring",
  "finished fourth at the last games, by a hundredth",
  "is unbeaten this season",
  "is the youngest in the team",
];

function biography(
  roll: Dice,
  athlete: Omit<Athlete, "biography">,
  market: GamesMarket,
  sport: GamesSport,
): string {
  const style = roll.pick(STYLES);
  return (
    `${athlete.name} (born ${athlete.born}) is a ${sport.name.toLowerCase()} athlete from ${market.name} who ` +
    `${roll.pick(ORIGINS)}. ${style[0]!.toUpperCase()}${style.slice(1)}, ` +
    `${athlete.name.split(" ")[0]} ${roll.pick(RECORDS)}.`
  );
}

function athletesPerCountry(affinity: number, team: boolean): number {
  if (team) return affinity >= 0.3 ? 4 : 0;
  if (affinity >= 0.7) return 3;
  if (affinity >= 0.4) return 2;
  return affinity >= 0.2 ? 1 : 0;
}

/** The athletes of every sport; each sport fields at least eight athletes (or four teams). */
export function generateAthletes(seed: number, markets: GamesMarket[], sports: GamesSport[]): Athlete[] {
  const athletes: Athlete[] = [];
  for (const sport of sports) {
    const roll = dice(childSeed(seed, "athletes", sport.slug));
    const team = rhythmOf(sport.slug).team;
    const counts = markets.map((m) => athletesPerCountry(m.sportAffinity[sport.slug] ?? 0, team));
    // Too few sides: bring in the markets that care most until there are enough.
    const byAffinity = markets
      .map((m, index) => ({ index, affinity: m.sportAffinity[sport.slug] ?? 0 }))
      .sort((a, b) => b.affinity - a.affinity || a.index - b.index);
    const sides = () => (team ? counts.filter((c) => c > 0).length : counts.reduce((a, b) => a + b, 0));
    for (const { index } of byAffinity) {
      if (sides() >= (team ? 4 : 8)) break;
      counts[index] = team ? 4 : counts[index]! + 1;
    }
    markets.forEach((market, index) => {
      const affinity = market.sportAffinity[sport.slug] ?? 0;
      for (let n = 0; n < counts[index]!; n++) {
        const base = {
          id: `${sport.slug}-${market.code}-${n + 1}`.toLowerCase(),
          name: fictionalName(roll),
          country: market.code,
          sport: sport.slug,
          born: roll.int(1994, 2008),
          rating: Math.min(1, 0.6 * affinity + 0.4 * roll.next()),
        };
        athletes.push({ ...base, biography: biography(roll, base, market, sport) });
      }
    });
  }
  return athletes;
}
