// Reference sports: slug (the stream's key part) and display name. Seeded by prisma/seed.ts.

export interface SportReference {
  slug: string;
  name: string;
}

export const SPORTS: readonly SportReference[] = [
  { slug: "athletics", name: "Athletics" },
  { slug: "swimming", name: "Swimming" },
  { slug: "football", name: "Football" },
  { slug: "basketball", name: "Basketball" },
  { slug: "cycling", name: "Cycling" },
  { slug: "gymnastics", name: "Gymnastics" },
  { slug: "tennis", name: "Tennis" },
  { slug: "volleyball", name: "Volleyball" },
  { slug: "rowing", name: "Rowing" },
  { slug: "judo", name: "Judo" },
  { slug: "handball", name: "Handball" },
  { slug: "hockey", name: "Hockey" },
  { slug: "boxing", name: "Boxing" },
  { slug: "fencing", name: "Fencing" },
  { slug: "sailing", name: "Sailing" },
];
