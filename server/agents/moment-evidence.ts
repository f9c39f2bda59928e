// Pure helpers the agents share: the subject of a run (a candidate moment and its time frame), reading tool
// evidence back into typed items, choosing the play-by-play event that most likely caused a peak, and the
// wording of times, timecodes and sentences.
import { z } from "zod";
import type { CandidateMoment } from "../detect/grouping";
import { COUNTRY_BY_CODE } from "../reference/countries";
import type { ToolEvidence } from "./definition";
import {
  memoryFactSchema,
  playByPlayItemSchema,
  rememberedMomentSchema,
  storyItemSchema,
  trafficContextSchema,
  type MemoryFact,
  type PlayByPlayItem,
  type RememberedMoment,
  type StoryItem,
  type TrafficContext,
} from "./tools/evidence";

/** What the scorer and the summary are asked about. */
export interface MomentSubject {
  candidate: CandidateMoment;
  /** Window size of the buckets the candidate's peaks are in. */
  bucketSeconds: number;
}

/** How far before the first peak the cause is looked for: audiences react within a few minutes. */
export const LOOKBACK_MS = 5 * 60_000;

/** End of the last peak bucket: the agents work "at" this time and see nothing after it. */
export function peakEndOf(subject: MomentSubject): number {
  return subject.candidate.lastPeakAt + subject.bucketSeconds * 1_000;
}

export function candidateCountries(subject: MomentSubject): string[] {
  return subject.candidate.markets.map((market) => market.country);
}

/** The candidate as the prompt shows it: ISO times, markets with their names and sizes. */
export function describeCandidate(subject: MomentSubject): Record<string, unknown> {
  const { candidate } = subject;
  return {
    key: candidate.key,
    sport: candidate.sport,
    firstPeakAt: new Date(candidate.startedAt).toISOString(),
    lastPeakEndsAt: new Date(peakEndOf(subject)).toISOString(),
    extraViewers: Math.round(candidate.extraViewers),
    detectorScore: round(candidate.score, 3),
    markets: candidate.markets.map((market) => ({
      country: market.country,
      name: countryName(market.country),
      marketSizeThousands: COUNTRY_BY_CODE.get(market.country)?.marketSize ?? null,
      peakAt: new Date(market.bucketStart).toISOString(),
      observed: market.observed,
      expected: Math.round(market.expectedViewers),
      upliftPct: Math.round(market.upliftPct),
    })),
  };
}

function itemsOf<T>(
  evidence: readonly ToolEvidence[],
  tool: string,
  field: string,
  schema: z.ZodType<T>,
): T[] {
  const items: T[] = [];
  const seen = new Set<string>();
  for (const entry of evidence) {
    if (entry.name !== tool || entry.isError) continue;
    const list = entry.result[field];
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) continue;
      const key = JSON.stringify(raw);
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(parsed.data);
    }
  }
  return items;
}

export const playByPlayFrom = (evidence: readonly ToolEvidence[]): PlayByPlayItem[] =>
  itemsOf(evidence, "search_play_by_play", "items", playByPlayItemSchema);
export const storiesFrom = (evidence: readonly ToolEvidence[]): StoryItem[] =>
  itemsOf(evidence, "search_stories", "items", storyItemSchema);
export const recentMomentsFrom = (evidence: readonly ToolEvidence[]): RememberedMoment[] =>
  itemsOf(evidence, "recent_moments", "items", rememberedMomentSchema);
export const factsFrom = (evidence: readonly ToolEvidence[]): MemoryFact[] =>
  itemsOf(evidence, "memory_read", "facts", memoryFactSchema);

export function trafficFrom(evidence: readonly ToolEvidence[]): TrafficContext | null {
  for (const entry of evidence) {
    if (entry.name !== "traffic_context" || entry.isError) continue;
    const parsed = trafficContextSchema.safeParse(entry.result);
    if (parsed.success) return parsed.data;
  }
  return null;
}

export const calledTool = (evidence: readonly ToolEvidence[], name: string) =>
  evidence.some((entry) => entry.name === name);

export interface CauseChoice {
  event: PlayByPlayItem;
  /** Significance, discounted when none of the candidate's countries took part. */
  relevance: number;
}

/**
 * The play-by-play event most likely behind the peak: in the look-back window, most significant for the
 * candidate's markets, the latest on a tie (audiences react to what just happened).
 */
export function pickCause(subject: MomentSubject, events: readonly PlayByPlayItem[]): CauseChoice | null {
  const countries = new Set(candidateCountries(subject));
  const from = subject.candidate.startedAt - LOOKBACK_MS;
  const to = peakEndOf(subject);
  let best: CauseChoice | null = null;
  for (const event of events) {
    const at = Date.parse(event.occurredAt);
    if (event.sport !== subject.candidate.sport || at < from || at > to) continue;
    const involved = event.countries.some((country) => countries.has(country));
    const relevance = round(event.significance * (involved ? 1 : 0.6), 3);
    if (
      !best ||
      relevance > best.relevance ||
      (relevance === best.relevance &&
        (at > Date.parse(best.event.occurredAt) ||
          (at === Date.parse(best.event.occurredAt) && event.id < best.event.id)))
    ) {
      best = { event, relevance };
    }
  }
  return best;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function countryName(code: string): string {
  return COUNTRY_BY_CODE.get(code)?.name ?? code;
}

/** "world_record" → "World record". */
export function eventLabel(type: string): string {
  const words = type.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Finland", "Finland and Sweden", "Finland, Sweden and Norway". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** 14:03:20 UTC. */
export function clockUtc(ts: number): string {
  return `${new Date(ts).toISOString().slice(11, 19)} UTC`;
}

/** Broadcast timecode HH:MM:SS from seconds since the broadcast began. */
export function timecode(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(whole / 3_600))}:${pad(Math.floor((whole % 3_600) / 60))}:${pad(whole % 60)}`;
}

export const TIMECODE = /^\d{2}:[0-5]\d:[0-5]\d$/;

export function secondsOfTimecode(code: string): number {
  const [h, m, s] = code.split(":").map(Number);
  return (h ?? 0) * 3_600 + (m ?? 0) * 60 + (s ?? 0);
}

/**
 * Sentences in a text: a boundary is . ! or ? (closing quotes allowed) then space then a capital, digit or
 * opening quote; not after a lone initial ("J. Smith") or a common abbreviation.
 */
export function countSentences(text: string): number {
  const trimmed = text.trim();
  if (!trimmed) return 0;
  const boundaries = trimmed.match(
    /(?<!\b[A-Z])(?<!\b(?:Mr|Mrs|Ms|Dr|St|vs|Jr|Sr|No))[.!?]+["'”’)]*\s+(?=["'“‘(]?[A-Z0-9])/g,
  );
  return (boundaries?.length ?? 0) + 1;
}
