// The world of a games: which markets and sports take part, where it is hosted, and each market's UTC offset.
import { COUNTRIES, COUNTRY_BY_CODE } from "../reference/countries";
import { SPORTS } from "../reference/sports";
import type { GamesSize } from "./sizes";
import type { GamesMarket, GamesSport } from "./types";
import { dice, childSeed } from "./random";

const HOSTS = ["FR", "US", "JP", "GB", "AU", "BR", "DE", "KR"] as const;

/** Minutes local time is ahead of UTC in `timeZone` at instant `at`. */
export function utcOffsetMinutes(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  return Math.round((asUtc - Math.floor(at / 1_000) * 1_000) / 60_000);
}

/** Local hour of day (fractional, 0–24) of a market at an instant. */
export function localHour(market: Pick<GamesMarket, "utcOffsetMinutes">, at: number): number {
  const minutes = Math.floor(at / 60_000) + market.utcOffsetMinutes;
  return (((minutes % 1_440) + 1_440) % 1_440) / 60;
}

export interface GamesWorld {
  hostCountry: string;
  markets: GamesMarket[];
  sports: GamesSport[];
}

export function chooseWorld(seed: number, size: GamesSize, at: number): GamesWorld {
  const roll = dice(childSeed(seed, "world"));
  const codes =
    size.countryCodes.length > 0
      ? [...size.countryCodes]
      : [...COUNTRIES]
          .sort((a, b) => b.marketSize - a.marketSize)
          .slice(0, size.countryCount)
          .map((c) => c.code);
  const markets = codes.map((code) => {
    const country = COUNTRY_BY_CODE.get(code);
    if (!country) throw new Error(`Unknown country "${code}" in games size ${size.name}`);
    return {
      code,
      name: country.name,
      marketSize: country.marketSize,
      timeZone: country.timeZone,
      utcOffsetMinutes: utcOffsetMinutes(country.timeZone, at),
      sportAffinity: Object.fromEntries(
        size.sportSlugs.map((slug) => [slug, country.sportAffinity[slug] ?? 0.1]),
      ),
    };
  });
  const sports = size.sportSlugs.map((slug) => {
    const sport = SPORTS.find((s) => s.slug === slug);
    if (!sport) throw new Error(`Unknown sport "${slug}" in games size ${size.name}`);
    return { slug, name: sport.name, format: sport.format };
  });
  const hosts = HOSTS.filter((code) => codes.includes(code));
  return { hostCountry: hosts.length > 0 ? roll.pick(hosts) : codes[0]!, markets, sports };
}
