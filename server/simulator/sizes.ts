// The games sizes: `small` for tests (seconds to generate), `demo` for `npm start`, `full` for benchmarks
// (≥ 100 million user actions over 14 days).
import type { GamesSizeName } from "./types";

export interface GamesSize {
  name: GamesSizeName;
  hours: number;
  /** Markets by ISO code; empty means the largest `countryCount` of the reference list. */
  countryCodes: readonly string[];
  countryCount: number;
  sportSlugs: readonly string[];
  /** Average baseline actions per second over the whole games, all series together. */
  actionsPerSecond: number;
  /** Sessions per sport in a 24-hour day (scaled down for shorter games). */
  sessionsPerSportPerDay: number;
  /** Host local hours the sessions run between; [0, 24] runs them around the clock. */
  sessionHours: readonly [number, number];
  storyCount: number;
  decoysPerDay: number;
}

const ALL_SPORTS = [
  "athletics",
  "swimming",
  "football",
  "basketball",
  "cycling",
  "gymnastics",
  "tennis",
  "volleyball",
  "rowing",
  "judo",
  "handball",
  "hockey",
  "boxing",
  "fencing",
  "sailing",
] as const;

export const GAMES_SIZES: Record<GamesSizeName, GamesSize> = {
  small: {
    name: "small",
    hours: 3,
    countryCodes: ["US", "BR", "JP", "DE", "GB", "FR", "KE", "JM", "AU", "NL", "CN", "IN"],
    countryCount: 12,
    sportSlugs: ["athletics", "swimming", "football", "judo", "tennis"],
    actionsPerSecond: 40,
    sessionsPerSportPerDay: 40,
    sessionHours: [0, 24],
    storyCount: 80,
    decoysPerDay: 32,
  },
  demo: {
    name: "demo",
    hours: 24,
    countryCodes: ["FR", "US", "GB", "BR", "JP", "KE", "DE", "AU"],
    countryCount: 8,
    sportSlugs: ["athletics", "swimming", "football", "cycling", "gymnastics"],
    actionsPerSecond: 400,
    sessionsPerSportPerDay: 128,
    sessionHours: [0, 24],
    storyCount: 300,
    decoysPerDay: 24,
  },
  full: {
    name: "full",
    hours: 14 * 24,
    countryCodes: [],
    countryCount: 90,
    sportSlugs: ALL_SPORTS,
    actionsPerSecond: 100,
    sessionsPerSportPerDay: 6,
    sessionHours: [9, 23],
    storyCount: 3_000,
    decoysPerDay: 6,
  },
};

export function isGamesSizeName(name: string): name is GamesSizeName {
  return name in GAMES_SIZES;
}
