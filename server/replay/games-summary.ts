// The text `npm run games:summary` prints: what a games holds (actions per sport and per country, sessions,
// play-by-play, stories) and its ground truth, one moment per line. Pure: formats data already read.
import type { PlayByPlayEvent } from "../simulator/types";
import type { ActionCounts, GamesOnDisk } from "./games-files";

const number = (n: number) => n.toLocaleString("en-US");
const time = (ts: number) => new Date(ts).toISOString().replace("T", " ").slice(0, 19);

function table(title: string, counts: Record<string, number>, total: number): string[] {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const width = Math.max(...rows.map(([name]) => name.length), title.length);
  return [
    `${title.padEnd(width)}  ${"actions".padStart(12)}  share`,
    ...rows.map(
      ([name, count]) =>
        `${name.padEnd(width)}  ${number(count).padStart(12)}  ${((100 * count) / Math.max(1, total)).toFixed(1).padStart(5)}%`,
    ),
  ];
}

export function formatGamesSummary(
  games: GamesOnDisk,
  counts: ActionCounts = games.manifest.actionCounts,
): string {
  const { manifest } = games;
  const events = new Map<string, PlayByPlayEvent>(games.playByPlay.map((e) => [e.id, e]));
  const reactions = games.groundTruth.filter((m) => !m.decoy).length;
  const lines = [
    `${manifest.name} — ${manifest.id}`,
    `${time(manifest.start)} → ${time(manifest.end)} UTC, host ${manifest.hostCountry}, ` +
      `${manifest.markets.length} countries × ${manifest.sports.length} sports`,
    `${number(counts.total)} user actions, ${games.sessions.length} sessions, ${number(games.playByPlay.length)} play-by-play events, ` +
      `${number(games.stories.length)} stories, ${games.athletes.length} athletes`,
    "",
    ...table("sport", counts.bySport, counts.total),
    "",
    ...table("country", counts.byCountry, counts.total),
    "",
    `ground truth: ${reactions} reactions, ${games.groundTruth.length - reactions} decoys`,
    `${"start (UTC)".padEnd(19)}  ${"peak".padEnd(8)}  ${"end".padEnd(8)}  ${"kind".padEnd(17)}  sig   markets (peak uplift)  cause`,
    ...games.groundTruth.map((m) => {
      const markets = m.markets
        .slice(0, 4)
        .map(
          (market) =>
            `${market.country}|${market.sport} ${market.peakUpliftPct > 0 ? "+" : ""}${market.peakUpliftPct}%`,
        )
        .join(", ");
      const more = m.markets.length > 4 ? ` +${m.markets.length - 4} more` : "";
      const cause = m.causeEventId ? (events.get(m.causeEventId)?.description ?? m.causeEventId) : "";
      return (
        `${time(m.start)}  ${time(m.peak).slice(11)}  ${time(m.end).slice(11)}  ${m.kind.padEnd(17)}  ` +
        `${m.significance === null ? "  -  " : m.significance.toFixed(2).padStart(5)} ${markets}${more}  ${cause}`
      );
    }),
  ];
  return lines.join("\n");
}
