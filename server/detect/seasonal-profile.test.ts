import { describe, expect, it } from "vitest";
import { baselineConfigSchema } from "./config";
import { SeasonalProfile, type SeasonalProfileState } from "./seasonal-profile";

const config = baselineConfigSchema.parse({ seasonMinDays: 1 });
const WINDOW_MS = config.windowSeconds * 1000;
const DAY_MS = 86_400_000;

/** Three days of a series whose evening is busier, with fractional bin means. */
function learned(days = 3): SeasonalProfile {
  const profile = new SeasonalProfile(config);
  for (let start = 0; start < days * DAY_MS; start += WINDOW_MS) {
    const hour = new Date(start).getUTCHours();
    profile.observe(start, (hour >= 19 ? 200 : 100) + ((start / WINDOW_MS) % 7) / 3);
  }
  return profile;
}

const factors = (profile: SeasonalProfile) =>
  Array.from({ length: 96 }, (_, bin) => profile.factorAt(3 * DAY_MS + bin * 15 * 60_000));

describe("SeasonalProfile state", () => {
  it("saves its bins compactly and loads them back exactly", () => {
    const profile = learned();
    const saved = JSON.parse(JSON.stringify(profile.toJSON())) as SeasonalProfileState;
    expect(typeof saved.binMeans).toBe("string");
    expect(typeof saved.binDays).toBe("string");
    const restored = new SeasonalProfile(config, saved);
    expect(factors(restored)).toEqual(factors(profile));
    expect(restored.toJSON()).toEqual(profile.toJSON());
  });

  it("loads a state saved with arrays (before the compact form)", () => {
    const profile = learned();
    const saved = JSON.parse(JSON.stringify(profile.toJSON())) as SeasonalProfileState;
    const before: SeasonalProfileState = {
      ...saved,
      binMeans: (saved.binMeans as string).split(",").map(Number),
      binDays: (saved.binDays as string).split(",").map(Number),
    };
    const restored = new SeasonalProfile(config, JSON.parse(JSON.stringify(before)));
    expect(factors(restored)).toEqual(factors(profile));
    expect(restored.toJSON()).toEqual(profile.toJSON());
  });

  it("places buckets in bins as a freshly loaded profile does, across bins, days and gaps", () => {
    // A loaded profile has not placed any bucket yet: it works out each bucket's bin from scratch.
    const profile = learned(2);
    for (let start = 2 * DAY_MS - 3 * WINDOW_MS; start < 3 * DAY_MS; start += WINDOW_MS) {
      const loaded = new SeasonalProfile(config, JSON.parse(JSON.stringify(profile.toJSON())));
      expect(profile.factorAt(start)).toBe(loaded.factorAt(start));
      // Skipped buckets (flagged ones, gaps) leave the open bin behind.
      if ((start / WINDOW_MS) % 97 < 60) {
        profile.observe(start, 100 + ((start / WINDOW_MS) % 5));
        loaded.observe(start, 100 + ((start / WINDOW_MS) % 5));
        expect(profile.toJSON()).toEqual(loaded.toJSON());
      }
    }
  });

  it("saves a bin folded in after the last save", () => {
    const profile = learned(1);
    const first = profile.toJSON();
    // The next day's first bin folds in yesterday's last one.
    for (let start = DAY_MS; start < DAY_MS + 30 * 60_000; start += WINDOW_MS) profile.observe(start, 150);
    const second = profile.toJSON();
    expect(second.binDays).not.toEqual(first.binDays);
    expect(new SeasonalProfile(config, JSON.parse(JSON.stringify(second))).toJSON()).toEqual(second);
  });
});
