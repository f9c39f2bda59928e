"use client";
// What a moment rests on: the human story with the stories it cites, why the scorer found it interesting,
// its markets with their uplifts, and the play-by-play around the peak.
import type { MomentDetail } from "../server/moments/moment-views";

const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, signDisplay: "always" });

export function SectionHeading({ children }: { children: string }) {
  return <h4 className="mb-1 text-xs font-semibold tracking-wide text-slate-400 uppercase">{children}</h4>;
}

export function MomentStory({ detail }: { detail: MomentDetail }) {
  return (
    <>
      <div>
        <SectionHeading>Human story</SectionHeading>
        {detail.story ? (
          <p className="text-sm leading-relaxed text-slate-200">{detail.story}</p>
        ) : (
          <p className="text-sm text-slate-500">No story found in the archive.</p>
        )}
        {detail.citedStories.length > 0 && (
          <ul aria-label="Cited stories" className="mt-2 space-y-1.5 border-l-2 border-slate-700 pl-3">
            {detail.citedStories.map((story) => (
              <li key={story.id} className="text-sm">
                <span className="font-medium">{story.headline}</span>{" "}
                <span className="text-xs text-slate-400">
                  {story.kind} · {new Date(story.publishedAt).toLocaleDateString()}
                </span>
                <p className="text-xs text-slate-400">{story.excerpt}</p>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <SectionHeading>Interest</SectionHeading>
        <p className="text-sm">
          {detail.interestScore !== null ? (
            <>
              <span className="font-semibold tabular-nums">{detail.interestScore.toFixed(2)}</span>
              {detail.interesting !== null && (detail.interesting ? " — interesting" : " — not interesting")}
            </>
          ) : (
            <span className="text-slate-500">Not scored yet.</span>
          )}
        </p>
        {detail.interestReason && <p className="text-sm text-slate-300">{detail.interestReason}</p>}
      </div>
    </>
  );
}

export function MomentEvidence(props: { detail: MomentDetail; countryNames: Record<string, string> }) {
  const { detail, countryNames } = props;
  return (
    <>
      <div>
        <SectionHeading>Markets</SectionHeading>
        <table className="w-full text-sm tabular-nums">
          <thead className="text-xs text-slate-400">
            <tr>
              <th className="text-left font-normal">Country</th>
              <th className="text-right font-normal">Observed</th>
              <th className="text-right font-normal">Expected</th>
              <th className="text-right font-normal">Uplift</th>
            </tr>
          </thead>
          <tbody>
            {detail.markets.map((market) => (
              <tr key={market.country}>
                <td>{countryNames[market.country] ?? market.country}</td>
                <td className="text-right">{whole.format(market.observed)}</td>
                <td className="text-right">{whole.format(market.expectedViewers)}</td>
                <td className="text-right">{percent.format(market.upliftPct)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        <SectionHeading>Evidence</SectionHeading>
        {detail.evidence.length === 0 ? (
          <p className="text-sm text-slate-500">No play-by-play around the peak.</p>
        ) : (
          <ol
            aria-label="Play-by-play around the peak"
            className="max-h-56 space-y-1 overflow-y-auto pr-1 text-sm"
          >
            {detail.evidence.map((event) => (
              <li key={event.id} className="flex gap-2">
                <span className="shrink-0 font-mono text-xs text-fuchsia-300 tabular-nums">
                  {event.timecode}
                </span>
                <span className={event.significance >= 0.7 ? "font-medium" : "text-slate-300"}>
                  {event.description}
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </>
  );
}
