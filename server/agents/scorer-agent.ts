// Interest scorer: is this audience peak a sporting moment worth explaining, or a coincidence (push
// notification, bot burst, outage, a repeat of a moment already covered)? A score 0–1 and one sentence why.
import { z } from "zod";
import type { AgentDefinition } from "./definition";
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
  recentMomentsFrom,
  round,
  trafficFrom,
  type MomentSubject,
} from "./moment-evidence";
import { quoteData } from "./quote";

export const interestSchema = z.object({
  interesting: z.boolean(),
  score: z.number().min(0).max(1),
  reason: z
    .string()
    .min(10)
    .max(300)
    .refine((text) => countSentences(text) === 1 && !text.includes("\n"), "expected one sentence"),
  /** The play-by-play event that explains the peak, when one does. */
  causeEventId: z.string().nullable(),
});
export type Interest = z.infer<typeof interestSchema>;

export type ScorerInput = MomentSubject;

/** Score at or above which the offline composer calls a moment interesting. */
export const INTERESTING_AT = 0.5;
/** Share of other sports in the same markets rising ≥ BROAD_RISE_PCT that marks a broad surge. */
const BROAD_SHARE = 0.5;
const BROAD_RISE_PCT = 30;

export function buildScorerPrompt(input: ScorerInput): { system: string; user: string } {
  const from = new Date(input.candidate.startedAt - LOOKBACK_MS).toISOString();
  const to = new Date(peakEndOf(input)).toISOString();
  return {
    system: [
      "You are the interest scorer of Peaklight, a newsroom tool that finds the sporting moments an audience " +
        "reacts to. You get an audience peak (markets, uplift over expected, timing) and decide whether a " +
        "sporting moment explains it (interesting) or it is a coincidence: a push notification, a bot burst, " +
        "an outage and recovery, a slow trend, or a repeat of a moment already covered.",
      "Look before you judge: search_play_by_play for the candidate's sport in the window before the peak, " +
        "traffic_context for other markets and other sports, recent_moments for what was already covered.",
      "score is 0 to 1 (0.5 or more: interesting); reason is one sentence an editor can read; causeEventId " +
        "is the id of the play-by-play event that explains the peak, or null.",
    ].join("\n"),
    user: [
      "Candidate audience peak:",
      quoteData("candidate", describeCandidate(input)),
      `Look for its cause between ${from} and ${to}.`,
    ].join("\n"),
  };
}

/** Deterministic scoring from the same evidence a model would see. */
export function scoreFromEvidence(
  input: ScorerInput,
  evidence: Parameters<typeof playByPlayFrom>[0],
): Interest {
  const { candidate } = input;
  const countries = candidateCountries(input);
  const maxUplift = Math.max(0, ...candidate.markets.map((market) => market.upliftPct));
  const upliftTerm = Math.min(1, maxUplift / 150);
  const breadth = Math.min(1, (countries.length - 1) / 3);
  const peakWhere = `the +${Math.round(maxUplift)}% peak in ${listOf(countries)}`;
  const cause = pickCause(input, playByPlayFrom(evidence));

  const traffic = trafficFrom(evidence);
  const others = traffic?.otherSportsSameMarkets ?? [];
  const risingOthers = others.filter((series) => series.changePct >= BROAD_RISE_PCT).length;
  const broadSurge = others.length >= 2 && risingOthers / others.length >= BROAD_SHARE;

  const repeat = cause
    ? recentMomentsFrom(evidence).find(
        (moment) => moment.interesting && moment.causeEventId === cause.event.id,
      )
    : undefined;

  let score = cause
    ? 0.2 + 0.55 * cause.relevance + 0.15 * upliftTerm + 0.1 * breadth
    : 0.1 + 0.15 * upliftTerm + 0.05 * breadth;
  if (broadSurge) score *= 0.4;
  if (repeat) score = Math.min(score, 0.3);
  score = round(Math.min(1, Math.max(0, score)), 3);

  let reason: string;
  if (repeat && cause) {
    reason = `The ${eventLabel(cause.event.type).toLowerCase()} behind ${peakWhere} was already covered as moment ${repeat.key}.`;
  } else if (broadSurge) {
    reason =
      `${risingOthers} of ${others.length} other sports in ${listOf(countries.map(countryName))} rose together, ` +
      `which points to a push notification or an outage rather than a sporting moment behind ${peakWhere}.`;
  } else if (cause) {
    const event = cause.event;
    reason =
      `${eventLabel(event.type)} (significance ${event.significance.toFixed(2)}) in the ${event.event} ` +
      `${event.phase} at ${clockUtc(Date.parse(event.occurredAt))}` +
      `${event.countries.length > 0 ? ` involving ${listOf(event.countries.map(countryName))}` : ""} ` +
      `${score >= INTERESTING_AT ? "explains" : "is too minor to explain"} ${peakWhere}.`;
  } else {
    reason = `No ${candidate.sport} play-by-play event in the five minutes before ${peakWhere} explains it.`;
  }
  return {
    interesting: score >= INTERESTING_AT,
    score,
    reason,
    causeEventId: cause && !repeat && !broadSurge ? cause.event.id : null,
  };
}

export const scorerAgent: AgentDefinition<ScorerInput, Interest> = {
  name: "interest-scorer",
  tools: ["search_play_by_play", "traffic_context", "recent_moments"],
  output: interestSchema,
  maxTokens: 600,
  buildPrompt: buildScorerPrompt,
  check(output, _input, evidence) {
    if (output.causeEventId === null) return [];
    const seen = playByPlayFrom(evidence).some((event) => event.id === output.causeEventId);
    return seen ? [] : [`causeEventId: ${output.causeEventId} is not an event search_play_by_play returned`];
  },
  offline: {
    nextCalls(input, evidence) {
      if (calledTool(evidence, "search_play_by_play")) return [];
      const countries = candidateCountries(input);
      return [
        {
          name: "search_play_by_play",
          input: {
            sport: input.candidate.sport,
            from: new Date(input.candidate.startedAt - LOOKBACK_MS).toISOString(),
            to: new Date(peakEndOf(input)).toISOString(),
            limit: 50,
          },
        },
        {
          name: "traffic_context",
          input: { sport: input.candidate.sport, countries, windowSeconds: 60 },
        },
        { name: "recent_moments", input: { sport: input.candidate.sport, withinMinutes: 60 } },
      ];
    },
    compose: scoreFromEvidence,
  },
};
