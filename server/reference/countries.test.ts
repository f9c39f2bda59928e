import { describe, expect, it } from "vitest";
import { COUNTRIES } from "./countries";
import { SPORTS } from "./sports";

describe("reference countries", () => {
  it("lists 90 markets with unique codes, valid time zones and an affinity 0–1 for every sport", () => {
    expect(COUNTRIES).toHaveLength(90);
    expect(new Set(COUNTRIES.map((c) => c.code)).size).toBe(90);
    for (const country of COUNTRIES) {
      expect(country.code).toMatch(/^[A-Z]{2}$/);
      expect(country.marketSize).toBeGreaterThan(0);
      expect(() => new Intl.DateTimeFormat("en", { timeZone: country.timeZone })).not.toThrow();
      for (const sport of SPORTS) {
        const affinity = country.sportAffinity[sport.slug]!;
        expect(affinity).toBeGreaterThan(0);
        expect(affinity).toBeLessThanOrEqual(1);
      }
    }
    expect(COUNTRIES.find((c) => c.code === "KE")!.sportAffinity.athletics).toBe(1);
  });
});
