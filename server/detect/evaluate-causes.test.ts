import { describe, expect, it } from "vitest";
import { detectWithTraces, falsePeakCauses, missCauses } from "./evaluate-causes";
import { matchPeaks, type MarketInterval } from "./evaluate";
import { evaluationChartSvg, pickPanels } from "./evaluation-chart";
import { SYNTHETIC_START_MS, syntheticSeries } from "./synthetic-series";

const W = 10_000;
const at = (index: number) => SYNTHETIC_START_MS + index * W;
const rules = { minUpliftPct: 40, minVolume: 20 };

describe("detectWithTraces, missCauses and falsePeakCauses", () => {
  const series = [
    {
      country: "FR",
      sport: "judo",
      buckets: syntheticSeries({
        buckets: 400,
        baseViewers: 100,
        peaks: [
          { atBucket: 200, buckets: 6, upliftPct: 150 },
          { atBucket: 320, buckets: 4, upliftPct: 15 },
        ],
        seed: 3,
      }),
    },
  ];
  const { peaks, traces } = detectWithTraces(series);
  const found: MarketInterval = { country: "FR", sport: "judo", start: at(200), peak: at(201), end: at(206) };
  const tooWeak: MarketInterval = {
    country: "FR",
    sport: "judo",
    start: at(320),
    peak: at(321),
    end: at(324),
  };
  // Starts two windows into the first reaction: the open peak holds it.
  const held: MarketInterval = { country: "FR", sport: "judo", start: at(202), peak: at(202), end: at(205) };

  it("keeps a trace of every window and one peak for the injected reaction", () => {
    const trace = traces.get("FR|judo")!;
    expect(trace.observed).toHaveLength(400);
    expect(trace.peak[200]).toBe(1);
    expect(trace.phase[201]).toBe(1);
    expect(peaks.map((peak) => peak.bucketStart)).toEqual([at(200)]);
    expect(peaks[0]!.endedAt).toBeGreaterThan(at(205));
  });

  it("sorts each missed reaction into one cause", () => {
    // Began a window before `found`: the one peak goes to the reaction that began last.
    const twin: MarketInterval = { ...found, start: at(199) };
    const moments = [found, held, tooWeak, twin];
    const matching = matchPeaks(peaks, moments, [], { windowMs: W });
    const causes = missCauses(matching, moments, traces, { all: peaks, broad: [] }, { windowMs: W, rules });
    expect(Object.fromEntries([...causes].map(([cause, list]) => [cause, list.length]))).toEqual({
      "merged into an open peak (de-dup)": 1,
      "its peak went to an overlapping reaction": 1,
      "uplift under the rule": 1,
    });
  });

  it("names a decoy by its kind, and a peak shortly after a session its country is in starts as its ramp", () => {
    const decoy: MarketInterval = { ...found, kind: "bot_burst" };
    const asDecoy = matchPeaks(peaks, [], [decoy], { windowMs: W });
    expect(
      Object.fromEntries(falsePeakCauses(asDecoy, { sessions: [], reactions: [] }, { windowMs: W })),
    ).toEqual({
      "decoy: bot_burst": 1,
    });
    const unexplained = matchPeaks(peaks, [], [], { windowMs: W });
    const causes = (countries: string[]) =>
      Object.fromEntries(
        falsePeakCauses(
          unexplained,
          { sessions: [{ sport: "judo", startsAt: at(230), countries }], reactions: [] },
          { windowMs: W },
        ),
      );
    expect(causes(["DE", "FR"])).toEqual({ "session ramp": 1 });
    // A session FR takes no part in does not gather FR's audience.
    expect(causes(["DE"])).toEqual({ other: 1 });
  });

  it("draws observed, band, peaks and truth for the busiest stretch as SVG", () => {
    const truth = { moments: [found], ignored: [tooWeak], decoys: [] };
    const panels = pickPanels([...traces.values()], truth, { windowMs: W, windows: 120, count: 2 });
    expect(panels).toHaveLength(1);
    expect(panels[0]!.from).toBeLessThanOrEqual(200);
    expect(panels[0]!.to).toBeGreaterThan(206);
    const svg = evaluationChartSvg({ title: "FR judo", panels, peaks, truth, windowMs: W });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("<polygon"); // the band
    expect(svg.match(/<polyline/g)).toHaveLength(2); // observed and expected
    expect(svg).toContain("FR · judo");
  });
});
