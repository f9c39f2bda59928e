// Seeds reference data (countries, sports). Idempotent: safe on every start; edits in code win.
import type { Db } from "../server/db/client";
import { COUNTRIES } from "../server/reference/countries";
import { SPORTS } from "../server/reference/sports";

export async function seedReferenceData(db: Db): Promise<{ countries: number; sports: number }> {
  await db.$transaction([
    ...COUNTRIES.map((country) =>
      db.country.upsert({ where: { code: country.code }, create: country, update: country }),
    ),
    ...SPORTS.map((sport) => db.sport.upsert({ where: { slug: sport.slug }, create: sport, update: sport })),
  ]);
  return { countries: COUNTRIES.length, sports: SPORTS.length };
}

async function main(): Promise<void> {
  const { db } = await import("../server/db/client");
  const counts = await seedReferenceData(db());
  console.log(`Seeded ${counts.countries} countries and ${counts.sports} sports`);
  await db().$disconnect();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
