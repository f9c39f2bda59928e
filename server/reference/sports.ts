// Reference sports: slug (the stream's key part), display name, and competition format (how a session of the
// sport unfolds, which the simulator's play-by-play follows). Seeded by prisma/seed.ts.

export const SPORT_FORMATS = ["team_game", "timed_race", "judged", "sets_match", "combat"] as const;
export type SportFormat = (typeof SPORT_FORMATS)[number];

export interface SportReference {
  slug: string;
  name: string;
  format: SportFormat;
}

export const SPORTS: readonly SportReference[] = [
  { slug: "athletics", name: "Athletics", format: "timed_race" },
  { slug: "swimming", name: "Swimming", format: "timed_race" },
  { slug: "football", name: "Football", format: "team_game" },
  { slug: "basketball", name: "Basketball", format: "team_game" },
  { slug: "cycling", name: "Cycling", format: "timed_race" },
  { slug: "gymnastics", name: "Gymnastics", format: "judged" },
  { slug: "tennis", name: "Tennis", format: "sets_match" },
  { slug: "volleyball", name: "Volleyball", format: "sets_match" },
  { slug: "rowing", name: "Rowing", format: "timed_race" },
  { slug: "judo", name: "Judo", format: "combat" },
  { slug: "handball", name: "Handball", format: "team_game" },
  { slug: "hockey", name: "Hockey", format: "team_game" },
  { slug: "boxing", name: "Boxing", format: "combat" },
  { slug: "fencing", name: "Fencing", format: "combat" },
  { slug: "sailing", name: "Sailing", format: "timed_race" },
];
