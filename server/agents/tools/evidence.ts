// What the agents' tools read and remember, as zod schemas (the shapes cross into prompts and back), and the
// two small I/O interfaces behind them: the evidence archive (play-by-play, stories, traffic) and memory.
import { z } from "zod";

const isoTime = z.iso.datetime({ offset: true });

export const athleteRefSchema = z.object({ id: z.string(), name: z.string(), country: z.string() });

export const playByPlayItemSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  event: z.string(),
  phase: z.string(),
  sport: z.string(),
  type: z.string(),
  occurredAt: isoTime,
  /** Seconds since the session's broadcast began: what clip in/out points are expressed in. */
  timecodeSeconds: z.number().int().nonnegative(),
  significance: z.number().min(0).max(1),
  countries: z.array(z.string()),
  athletes: z.array(athleteRefSchema),
  description: z.string(),
});
export type PlayByPlayItem = z.infer<typeof playByPlayItemSchema>;

export const storyItemSchema = z.object({
  id: z.string(),
  kind: z.string(),
  headline: z.string(),
  /** The body, cut to a few hundred characters. */
  excerpt: z.string(),
  publishedAt: isoTime,
  sport: z.string().nullable(),
  countries: z.array(z.string()),
  athleteIds: z.array(z.string()),
});
export type StoryItem = z.infer<typeof storyItemSchema>;

/** Actions of one series in the window ending at the peak, against the window before it. */
export const seriesChangeSchema = z.object({
  country: z.string(),
  sport: z.string(),
  actions: z.number(),
  previousActions: z.number(),
  changePct: z.number(),
});
export type SeriesChange = z.infer<typeof seriesChangeSchema>;

export const trafficContextSchema = z.object({
  /** The candidate's sport in markets outside the candidate. */
  sameSportOtherMarkets: z.array(seriesChangeSchema),
  /** Other sports in the candidate's markets: all rising together hints at a push or an outage. */
  otherSportsSameMarkets: z.array(seriesChangeSchema),
});
export type TrafficContext = z.infer<typeof trafficContextSchema>;

/** Short-term memory: a moment this games already produced. */
export const rememberedMomentSchema = z.object({
  key: z.string(),
  sport: z.string(),
  sessionId: z.string().nullable(),
  causeEventId: z.string().nullable(),
  headline: z.string().nullable(),
  interesting: z.boolean(),
  at: isoTime,
});
export type RememberedMoment = z.infer<typeof rememberedMomentSchema>;

/** Long-term memory subjects: `athlete:<id>`, `country:<ISO>`, `team:<ISO>-<sport>`, `session:<id>`. */
export const memorySubjectSchema = z
  .string()
  .regex(
    /^(athlete|country|team|session):[A-Za-z0-9_.-]{1,80}$/,
    "expected athlete|country|team|session:<id>",
  );

export const memoryFactSchema = z.object({
  subject: memorySubjectSchema,
  fact: z.string().min(1).max(280),
  at: isoTime,
  sourceMomentKey: z.string().nullable(),
});
export type MemoryFact = z.infer<typeof memoryFactSchema>;

export interface PlayByPlayQuery {
  sport: string;
  /** Epoch ms, inclusive. */
  from: number;
  to: number;
  countries?: string[];
  /** Full-text query (web-search syntax); unset returns the window in time order. */
  query?: string;
  limit: number;
}

export interface StoryQuery {
  query?: string;
  sport?: string;
  countries?: string[];
  athleteIds?: string[];
  /** Only stories published by then: an agent must not read the future. */
  before: number;
  limit: number;
}

export interface TrafficQuery {
  sport: string;
  countries: string[];
  /** End of the window (the peak), epoch ms. */
  at: number;
  windowSeconds: number;
}

/** The archive of one games: Postgres in production (postgres-evidence.ts), fixtures in tests. */
export interface EvidenceSource {
  playByPlay(query: PlayByPlayQuery): Promise<PlayByPlayItem[]>;
  stories(query: StoryQuery): Promise<StoryItem[]>;
  traffic(query: TrafficQuery): Promise<TrafficContext>;
}

export interface MomentMemory {
  recentMoments(query: {
    sport?: string;
    sessionId?: string;
    since: number;
    before: number;
    limit: number;
  }): Promise<RememberedMoment[]>;
  facts(query: { subjects: string[]; limit: number }): Promise<MemoryFact[]>;
  rememberFact(fact: MemoryFact): Promise<void>;
}
