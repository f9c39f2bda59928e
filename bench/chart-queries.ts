// Chart reads over a whole games' worth of rollups: fills minute and hour rollups for 90 countries × 15 sports
// (hours for 17 days, minutes for 2 days, raw 10 s buckets for 3 hours), then times what the dashboard asks
// for: a country's last 2 hours (raw), a day (minutes) and a week (hours). Prints p50/p95 per range.
import { performance } from "node:perf_hooks";
import { COUNTRIES } from "../server/reference/countries";
import { SPORTS } from "../server/reference/sports";
import { BucketPartitions, DAY_MS } from "../server/traffic/partitions";
import { readCountrySeries, type Resolution } from "../server/traffic/queries";
import { percentiles } from "./measure";
import { startBenchServices } from "./services";
import { benchLog } from "./timed-aggregator";

const END = Date.UTC(2026, 7, 10);
const QUERIES = 60;

async function main(): Promise<void> {
  const services = await startBenchServices({ kafka: false });
  try {
    const db = await services.freshDatabase("peaklight_bench_charts");
    const countries = COUNTRIES.map((c) => c.code);
    const sports = SPORTS.map((s) => s.slug);
    const fill = async (table: string, from: number, stepSeconds: number) => {
      const startedAt = performance.now();
      const rows = await db.$executeRawUnsafe(
        `INSERT INTO ${table} (country, sport, bucket_start, actions, page_views, video_starts, live_blog_opens, shares)
         SELECT c, s, t, (random() * 500)::int, 0, 0, 0, 0
         FROM unnest($1::text[]) c, unnest($2::text[]) s,
              generate_series($3::timestamptz, $4::timestamptz - interval '1 second', make_interval(secs => $5)) t`,
        countries,
        sports,
        new Date(from),
        new Date(END),
        stepSeconds,
      );
      console.log(
        `  ${table}: ${rows.toLocaleString("en-US")} rows in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
      );
    };
    console.log(`Filling rollups for ${countries.length} countries × ${sports.length} sports:`);
    await fill("traffic_hour", END - 17 * DAY_MS, 3_600);
    await fill("traffic_minute", END - 2 * DAY_MS, 60);
    await new BucketPartitions(db, benchLog).ensureFor([END - 3_600_000]);
    const rawRows = await db.$executeRawUnsafe(
      `INSERT INTO traffic_bucket (country, sport, bucket_start, window_seconds, actions, page_views, video_starts, live_blog_opens, shares)
       SELECT c, s, t, 10, (random() * 50)::int, 0, 0, 0, 0
       FROM unnest($1::text[]) c, unnest($2::text[]) s,
            generate_series($3::timestamptz, $4::timestamptz - interval '1 second', interval '10 seconds') t`,
      countries,
      sports,
      new Date(END - 3 * 3_600_000),
      new Date(END),
    );
    console.log(`  traffic_bucket: ${rawRows.toLocaleString("en-US")} rows`);
    await db.$executeRawUnsafe("ANALYZE");

    const ranges: { label: string; rangeMs: number; expected: Resolution }[] = [
      { label: "last 2 hours", rangeMs: 2 * 3_600_000, expected: "raw" },
      { label: "last day", rangeMs: DAY_MS, expected: "minute" },
      { label: "last week", rangeMs: 7 * DAY_MS, expected: "hour" },
    ];
    console.log(
      `\nrange          resolution  rows/query  ms p50  ms p95  ms max   (${QUERIES} queries, random countries)`,
    );
    for (const range of ranges) {
      const timings: number[] = [];
      let rows = 0;
      for (let i = 0; i < QUERIES; i++) {
        const country = countries[i % countries.length]!;
        const startedAt = performance.now();
        const series = await readCountrySeries(db, { country, from: END - range.rangeMs, to: END });
        timings.push(performance.now() - startedAt);
        rows = series.points.length;
        if (series.resolution !== range.expected) throw new Error(`${range.label} read ${series.resolution}`);
      }
      const p = percentiles(timings)!;
      console.log(
        `${range.label.padEnd(14)} ${range.expected.padEnd(11)} ${String(rows).padStart(10)}  ${p.p50.toFixed(1).padStart(6)}  ${p.p95.toFixed(1).padStart(6)}  ${Math.max(
          ...timings,
        )
          .toFixed(1)
          .padStart(6)}`,
      );
    }
  } finally {
    await services.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
