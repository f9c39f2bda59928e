// Statistical shape of the generated audience: reactions grow with significance, nights are quiet, decoys
// show up as the traffic changes they are meant to be.
import { describe, expect, it } from "vitest";
import { actionGenerator, planGames, type GamesPlan } from "./games";
import { reactionPeakExtra } from "./reactions";
import { STEP_MS, type ActionGenerator } from "./user-actions";

/** Actions per second of the series matching `filter` in [from, to), counted from the generated steps. */
function measuredRate(
  plan: GamesPlan,
  generator: ActionGenerator,
  from: number,
  to: number,
  filter: (series: number) => boolean,
): number {
  const first = Math.max(0, Math.floor((from - plan.manifest.start) / STEP_MS));
  const last = Math.min(generator.stepCount, Math.ceil((to - plan.manifest.start) / STEP_MS));
  let count = 0;
  for (let step = first; step < last; step++) {
    for (const packed of generator.step(step)) if (filter((packed & 8191) >> 2)) count += 1;
  }
  return count / (((last - first) * STEP_MS) / 1_000);
}

const demo = planGames({ seed: 3, size: "demo", actionsPerSecond: 300 });
const demoActions = actionGenerator(demo);

describe("audience shape", () => {
  it("a reaction's size grows with significance, affinity and market", () => {
    const base = { significance: 0.4, affinity: 0.5, care: 1, marketRate: 10, diurnal: 1 };
    const sizes = [0.2, 0.4, 0.6, 0.8, 1].map((significance) => reactionPeakExtra({ ...base, significance }));
    sizes.slice(1).forEach((size, i) => expect(size).toBeGreaterThan(sizes[i]!));
    expect(reactionPeakExtra({ ...base, affinity: 0.9 })).toBeGreaterThan(reactionPeakExtra(base));
    expect(reactionPeakExtra({ ...base, marketRate: 20 })).toBeCloseTo(2 * reactionPeakExtra(base));
  });

  it("measured reactions are larger for more significant moments", () => {
    const reactions = demo.groundTruth.filter((m) => m.kind === "reaction");
    const uplifts = reactions.map((moment) => {
      const market = moment.markets[0]!;
      const series = demo.audience.series.find(
        (s) => s.country === market.country && s.sport === market.sport,
      )!;
      const isSeries = (index: number) => index === series.index;
      const before = measuredRate(demo, demoActions, moment.start - 60_000, moment.start, isSeries);
      const peak = measuredRate(demo, demoActions, moment.peak - 10_000, moment.peak + 10_000, isSeries);
      return { significance: moment.significance!, ratio: peak / Math.max(before, 0.05) };
    });
    uplifts.sort((a, b) => a.significance - b.significance);
    const third = Math.floor(uplifts.length / 3);
    const mean = (xs: { ratio: number }[]) => xs.reduce((sum, x) => sum + Math.log(x.ratio), 0) / xs.length;
    expect(uplifts.length).toBeGreaterThan(60);
    expect(mean(uplifts.slice(-third))).toBeGreaterThan(mean(uplifts.slice(0, third)));
    // Most reactions visibly lift their strongest series.
    expect(uplifts.filter((u) => u.ratio > 1.3).length).toBeGreaterThan(uplifts.length / 2);
    // Generates a demo games' traffic: ~1 s alone, several under a loaded 2-core machine.
  }, 60_000);

  it("a country's night is quieter than its evening", () => {
    const japan = demo.manifest.markets.findIndex((m) => m.code === "JP");
    const offset = demo.manifest.markets[japan]!.utcOffsetMinutes * 60_000;
    const localDay = Math.ceil((demo.manifest.start + offset) / 86_400_000) * 86_400_000 - offset;
    const at = (hour: number) => {
      const time = localDay + hour * 3_600_000;
      return time >= demo.manifest.end ? time - 86_400_000 : time;
    };
    const inJapan = (index: number) => demo.audience.series[index]!.market === japan;
    const night = measuredRate(demo, demoActions, at(3), at(3) + 3_600_000, inJapan);
    const evening = measuredRate(demo, demoActions, at(19), at(19) + 3_600_000, inJapan);
    expect(night).toBeLessThan(evening * 0.3);
    expect(demo.audience.diurnal(japan, at(4))).toBeLessThan(demo.audience.diurnal(japan, at(20)) * 0.15);
  });

  it("live sessions lift their sport, most for the countries taking part", () => {
    const final = demo.sessions.find((s) => s.stage === 3)!;
    const sport = demo.manifest.sports.findIndex((s) => s.slug === final.sport);
    const taking = demo.audience.series.find(
      (s) => s.sportIndex === sport && final.countries.includes(s.country),
    )!;
    const watching = demo.audience.series.find(
      (s) => s.sportIndex === sport && !final.countries.includes(s.country),
    )!;
    const during = final.startsAt + 30 * 60_000;
    expect(demo.audience.liveFactor(taking, during)).toBeGreaterThan(
      demo.audience.liveFactor(watching, during),
    );
    expect(demo.audience.liveFactor(watching, during)).toBeGreaterThan(1);
  });

  it("injects every kind of decoy, each visible in the traffic", () => {
    const small = planGames({ seed: 9, size: "small" });
    const actions = actionGenerator(small);
    const kinds = new Set(small.groundTruth.filter((m) => m.decoy).map((m) => m.kind));
    expect([...kinds].sort()).toEqual(["bot_burst", "outage", "push_notification", "slow_trend"]);
    const all = () => true;
    for (const decoy of small.groundTruth.filter((m) => m.decoy)) {
      const before = measuredRate(small, actions, decoy.start - 120_000, decoy.start, all);
      const at = measuredRate(small, actions, decoy.peak, decoy.peak + 20_000, all);
      if (decoy.kind === "outage") expect(at).toBeLessThan(before * 0.8);
      if (decoy.kind === "bot_burst" || decoy.kind === "push_notification") {
        const market = decoy.markets[0]!;
        const inMarket = (index: number) => {
          const series = small.audience.series[index]!;
          return (
            series.country === market.country && (decoy.kind !== "bot_burst" || series.sport === market.sport)
          );
        };
        const marketBefore = measuredRate(small, actions, decoy.start - 120_000, decoy.start, inMarket);
        const marketAt = measuredRate(small, actions, decoy.peak, decoy.peak + 20_000, inMarket);
        expect(marketAt).toBeGreaterThan(marketBefore * 1.5);
      }
    }
  });
});
