// Enrichment & summary: what happened (headline, 2–3 sentences), the human story behind it from the stories
// archive with citations, tags, and the clip in/out broadcast timecodes with the reason for them.
import { z } from "zod";
import type { AgentDefinition, ToolCallPlan, ToolEvidence } from "./definition";
import {
  calledTool,
  candidateCountries,
  clockUtc,
  countSentences,
  countryName,
  describeCandidate,
  eventLabel,
  listOf,
  LOOKBACK_MS,
  peakEndOf,
  pickCause,
  playByPlayFrom,
  secondsOfTimecode,
  storiesFrom,
  timecode,
  TIMECODE,
  type MomentSubject,
} from "./moment-evidence";
import { quoteData } from "./quote";
import type { Interest } from "./scorer-agent";
import type { PlayByPlayItem } from "./tools/evidence";

const MAX_CLIP_SECONDS = 300;

export const summarySchema = z.object({
  headline: z.string().min(10).max(120),
  description: z
    .string()
    .min(40)
    .max(700)
    .refine((text) => [2, 3].includes(countSentences(text)), "expected 2 to 3 sentences"),
  story: z.object({
    /** The human story behind the moment, from the archive; says so when the archive has none. */
    text: z.string().min(10).max(500),
    /** Ids of the stories the text draws on. */
    citations: z.array(z.string()).max(5),
  }),
  tags: z.object({
    athletes: z.array(z.string().min(1)).max(12),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/, "expected ISO 3166-1 alpha-2")).max(30),
    sport: z.string().min(1),
    event: z.string().nullable(),
  }),
  clip: z
    .object({
      sessionId: z.string(),
      in: z.string().regex(TIMECODE, "expected a broadcast timecode HH:MM:SS"),
      out: z.string().regex(TIMECODE, "expected a broadcast timecode HH:MM:SS"),
      reason: z.string().min(10).max(300),
    })
    .refine((clip) => secondsOfTimecode(clip.out) > secondsOfTimecode(clip.in), {
      message: "clip out must be after clip in",
    })
    .refine((clip) => secondsOfTimecode(clip.out) - secondsOfTimecode(clip.in) <= MAX_CLIP_SECONDS, {
      message: `a clip lasts at most ${MAX_CLIP_SECONDS} seconds`,
    })
    .nullable(),
  causeEventId: z.string().nullable(),
});
export type Summary = z.infer<typeof summarySchema>;

export interface SummaryInput extends MomentSubject {
  interest: Interest;
}

export function buildSummaryPrompt(input: SummaryInput): { system: string; user: string } {
  return {
    system: [
      "You are the enrichment and summary agent of Peaklight. Editors read what you write to decide, in " +
        "seconds, whether to publish a sporting moment the audience is reacting to.",
      "Find what happened with search_play_by_play (the window before the peak), the human story behind it " +
        "with search_stories (cite the ids of the stories you use; never invent one), and earlier facts with " +
        "memory_read. Remember one short fact worth knowing for later moments with memory_write.",
      "Write: a headline; a description of 2 to 3 sentences; the story with citations; tags (athlete names, " +
        "ISO country codes, the sport, the event); and clip in/out broadcast timecodes (HH:MM:SS, from the " +
        "play-by-play timecodes of one session) that show the build-up and the moment, ending when the " +
        "audience peak fades, with the reason. clip is null only when no play-by-play explains the peak.",
    ].join("\n"),
    user: [
      "Audience peak to explain:",
      quoteData("candidate", describeCandidate(input)),
      "The interest scorer's verdict:",
      quoteData("interest", input.interest),
      `Look between ${new Date(input.candidate.startedAt - LOOKBACK_MS).toISOString()} and ` +
        `${new Date(peakEndOf(input)).toISOString()}.`,
    ].join("\n"),
  };
}

function causeOf(input: SummaryInput, evidence: readonly ToolEvidence[]): PlayByPlayItem | null {
  const events = playByPlayFrom(evidence);
  const named = input.interest.causeEventId
    ? events.find((event) => event.id === input.interest.causeEventId)
    : undefined;
  return named ?? pickCause(input, events)?.event ?? null;
}

/** Clip points: a little before the cause (or its build-up), to when the audience peak ended. */
export function clipFor(
  input: SummaryInput,
  cause: PlayByPlayItem,
  events: readonly PlayByPlayItem[],
): NonNullable<Summary["clip"]> {
  const causeAt = Date.parse(cause.occurredAt);
  const buildUp = events
    .filter(
      (event) =>
        event.sessionId === cause.sessionId &&
        event.timecodeSeconds < cause.timecodeSeconds &&
        cause.timecodeSeconds - event.timecodeSeconds <= 60,
    )
    .sort((a, b) => a.timecodeSeconds - b.timecodeSeconds)[0];
  const inSeconds = Math.max(0, buildUp ? buildUp.timecodeSeconds - 5 : cause.timecodeSeconds - 10);
  const afterSeconds = Math.min(90, Math.max(15, Math.round((peakEndOf(input) - causeAt) / 1_000)));
  const outSeconds = cause.timecodeSeconds + afterSeconds;
  const label = eventLabel(cause.type).toLowerCase();
  return {
    sessionId: cause.sessionId,
    in: timecode(inSeconds),
    out: timecode(outSeconds),
    reason:
      (buildUp
        ? `Starts 5 s before the ${eventLabel(buildUp.type).toLowerCase()} that built up to the ${label}`
        : `Starts 10 s before the ${label}`) +
      ` and runs ${afterSeconds} s after it, as long as the audience peak lasted.`,
  };
}

/** Deterministic summary from the same evidence a model would see. */
export function summaryFromEvidence(input: SummaryInput, evidence: readonly ToolEvidence[]): Summary {
  const { candidate } = input;
  const events = playByPlayFrom(evidence);
  const cause = causeOf(input, evidence);
  const countries = [...new Set([...candidateCountries(input), ...(cause?.countries ?? [])])].sort();
  const maxUplift = Math.round(Math.max(0, ...candidate.markets.map((market) => market.upliftPct)));
  const audience =
    `The audience in ${listOf(candidateCountries(input).map(countryName))} rose to ${maxUplift}% above ` +
    `expected, about ${Math.round(candidate.extraViewers)} extra actions at the peak.`;
  const stories = storiesFrom(evidence);
  const story = stories[0];
  const storyPart = story
    ? {
        text: `${story.headline} (${story.kind}, ${story.publishedAt.slice(0, 10)})`.slice(0, 500),
        citations: [story.id],
      }
    : { text: "The stories archive has nothing on the people involved yet.", citations: [] };

  if (!cause) {
    return {
      headline:
        `Audience surge in ${candidate.sport} in ${listOf(candidateCountries(input).map(countryName))}`.slice(
          0,
          120,
        ),
      description: `No play-by-play event in ${candidate.sport} explains this peak at ${clockUtc(candidate.startedAt)}. ${audience}`,
      story: storyPart,
      tags: { athletes: [], countries, sport: candidate.sport, event: null },
      clip: null,
      causeEventId: null,
    };
  }
  const label = eventLabel(cause.type);
  const who =
    cause.athletes.length > 0
      ? listOf(
          cause.athletes.slice(0, 3).map((athlete) => `${athlete.name} (${countryName(athlete.country)})`),
        )
      : listOf(cause.countries.map(countryName));
  const headline = (
    cause.athletes.length > 0
      ? `${cause.athletes[0]!.name}: ${label.toLowerCase()} in the ${cause.event} ${cause.phase}`
      : `${label} for ${listOf(cause.countries.map(countryName)) || candidate.sport} in the ${cause.event} ${cause.phase}`
  ).slice(0, 120);
  return {
    headline: headline.length >= 10 ? headline : `${label} in ${candidate.sport}`,
    description:
      `${label} in the ${cause.event} ${cause.phase} at ${clockUtc(Date.parse(cause.occurredAt))}` +
      `${who ? `, involving ${who}` : ""}. ${audience}`,
    story: storyPart,
    tags: {
      athletes: cause.athletes.map((athlete) => athlete.name),
      countries,
      sport: candidate.sport,
      event: cause.event,
    },
    clip: clipFor(input, cause, events),
    causeEventId: cause.id,
  };
}

function offlineCalls(input: SummaryInput, evidence: readonly ToolEvidence[]): ToolCallPlan[] {
  const sport = input.candidate.sport;
  if (!calledTool(evidence, "search_play_by_play")) {
    return [
      {
        name: "search_play_by_play",
        input: {
          sport,
          from: new Date(input.candidate.startedAt - LOOKBACK_MS).toISOString(),
          to: new Date(peakEndOf(input)).toISOString(),
          limit: 50,
        },
      },
    ];
  }
  const cause = causeOf(input, evidence);
  if (!calledTool(evidence, "search_stories")) {
    const athleteIds = cause?.athletes.map((athlete) => athlete.id) ?? [];
    const subjects = [
      ...athleteIds.map((id) => `athlete:${id}`),
      ...(cause?.countries ?? candidateCountries(input)).map((country) => `team:${country}-${sport}`),
    ].slice(0, 20);
    return [
      {
        name: "search_stories",
        input:
          athleteIds.length > 0
            ? { sport, athleteIds, limit: 3 }
            : { sport, countries: cause?.countries ?? candidateCountries(input), limit: 3 },
      },
      ...(subjects.length > 0 ? [{ name: "memory_read" as const, input: { subjects } }] : []),
    ];
  }
  if (cause && !calledTool(evidence, "memory_write")) {
    const subject = cause.athletes[0]
      ? `athlete:${cause.athletes[0].id}`
      : `team:${cause.countries[0] ?? input.candidate.markets[0]?.country ?? "XX"}-${sport}`;
    return [
      {
        name: "memory_write",
        input: {
          subject,
          fact: `${eventLabel(cause.type)} in the ${cause.event} ${cause.phase} at ${clockUtc(Date.parse(cause.occurredAt))}`.slice(
            0,
            280,
          ),
        },
      },
    ];
  }
  return [];
}

export const summaryAgent: AgentDefinition<SummaryInput, Summary> = {
  name: "enrichment-summary",
  tools: ["search_play_by_play", "search_stories", "memory_read", "memory_write"],
  output: summarySchema,
  maxTokens: 1_500,
  buildPrompt: buildSummaryPrompt,
  check(output, input, evidence) {
    const problems: string[] = [];
    const storyIds = new Set(storiesFrom(evidence).map((story) => story.id));
    for (const id of output.story.citations) {
      if (!storyIds.has(id)) problems.push(`story.citations: ${id} is not a story search_stories returned`);
    }
    const events = playByPlayFrom(evidence);
    if (output.clip && !events.some((event) => event.sessionId === output.clip!.sessionId)) {
      problems.push(`clip.sessionId: ${output.clip.sessionId} is not a session search_play_by_play returned`);
    }
    if (output.causeEventId && !events.some((event) => event.id === output.causeEventId)) {
      problems.push(`causeEventId: ${output.causeEventId} is not an event search_play_by_play returned`);
    }
    if (output.tags.sport !== input.candidate.sport) {
      problems.push(`tags.sport: expected ${input.candidate.sport}`);
    }
    return problems;
  },
  offline: { nextCalls: offlineCalls, compose: summaryFromEvidence },
};
