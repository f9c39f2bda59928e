// What the editors' dashboard reads about moments, and what it may send back: the JSON shapes of
// /api/moments, /api/moments/[id], its review and version routes, and the /api/live/moments stream.
// Times are epoch milliseconds; ids are decimal strings (moment ids are bigint in Postgres).
import { z } from "zod";
import { MOMENT_STATUSES, type MomentStatus } from "./moment-status";

/** One inbox row, also the payload of a `moment` event on /api/live/moments. */
export interface MomentSummary {
  id: string;
  /** The candidate moment it came from: what a chart's peak marker (an anomaly) links to. */
  candidateId: string;
  key: string;
  sport: string;
  /** Lead market (largest uplift) and every market. */
  country: string;
  countries: string[];
  status: MomentStatus;
  peakAt: number;
  /** The current headline: the latest editor version's, else the agents', else null (not described yet). */
  headline: string | null;
  /** Lead market's uplift over expected, in percent. */
  upliftPct: number;
  interestScore: number | null;
  /** model | offline | null: who wrote the agents' text (offline output is marked in the UI). */
  generatedBy: string | null;
  /** Latest editor version, 0 while the agents' text stands. */
  version: number;
  updatedAt: number;
  /** The id of the moment's latest audit event: what the live stream resumes after. */
  lastEventId: string;
}

export interface MomentMarket {
  country: string;
  bucketStart: number;
  observed: number;
  expectedViewers: number;
  upliftPct: number;
}

export interface MomentText {
  headline: string | null;
  description: string | null;
  clipIn: string | null;
  clipOut: string | null;
}

export interface MomentVersionView extends MomentText {
  version: number;
  editor: string;
  note: string | null;
  createdAt: number;
}

export interface MomentAuditEntry {
  id: string;
  /** An editor's name, agent:<stage> or channel:<id>. */
  actor: string;
  /** opened | scored | described | routed | approved | rejected | edited | delivered | delivery_failed */
  action: string;
  reason: string | null;
  at: number;
}

export interface EvidenceEvent {
  id: string;
  sessionId: string;
  type: string;
  occurredAt: number;
  /** Broadcast timecode HH:MM:SS. */
  timecode: string;
  significance: number;
  description: string;
}

export interface CitedStory {
  id: string;
  headline: string;
  kind: string;
  publishedAt: number;
  excerpt: string;
}

export interface MomentDetail extends MomentSummary {
  markets: MomentMarket[];
  interesting: boolean | null;
  interestReason: string | null;
  /** What is shown: the latest editor version, else the agents' text. */
  current: MomentText;
  /** The agents' text, kept beside the editors' versions. */
  ai: MomentText;
  story: string | null;
  citedStories: CitedStory[];
  tags: { athletes: string[]; countries: string[]; sport: string; event: string } | null;
  clip: {
    sessionId: string | null;
    /** When the session's broadcast began (timecode 00:00:00), to place timecodes on the time axis. */
    broadcastStart: number | null;
    reason: string | null;
  };
  /** Play-by-play of the moment's session(s) around the peak, oldest first. */
  evidence: EvidenceEvent[];
  /** The lead market's traffic around the peak (about 10 minutes either side), oldest first. */
  traffic: { bucketStart: number; actions: number; expected: number | null }[];
  versions: MomentVersionView[];
  audit: MomentAuditEntry[];
  decisions: { channelId: string; decision: "send" | "skip"; decidedBy: string; reason: string }[];
  deliveries: {
    channelId: string;
    status: string;
    attempts: number;
    error: string | null;
    sentAt: number | null;
  }[];
  review: { by: string; at: number; reason: string | null } | null;
}

/** GET /api/moments response: newest first, and counts per status for the same filters (status excepted). */
export interface MomentInbox {
  moments: MomentSummary[];
  counts: Record<MomentStatus, number>;
  /**
   * The latest audit event id when the inbox was read: open /api/live/moments?since=<this> (or send it as
   * Last-Event-ID) to receive every change after the read, none missed. Always set by GET /api/moments.
   */
  lastEventId?: string;
}

const editor = z.string().trim().min(1, "say who you are").max(80);
const timecode = z.string().regex(/^\d{2}:[0-5]\d:[0-5]\d$/, "expected a broadcast timecode HH:MM:SS");

/** POST /api/moments/[id]/review */
export const reviewRequestSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("approve"), editor, reason: z.string().trim().max(500).optional() }),
  z.object({
    action: z.literal("reject"),
    editor,
    reason: z.string().trim().min(3, "say why the moment is rejected").max(500),
  }),
]);
export type ReviewRequest = z.infer<typeof reviewRequestSchema>;

/** POST /api/moments/[id]/versions: a complete edit, kept as a new version beside the agents' text. */
export const versionRequestSchema = z
  .object({
    editor,
    headline: z.string().trim().min(3).max(200),
    description: z.string().trim().min(3).max(2000),
    clipIn: timecode.nullable(),
    clipOut: timecode.nullable(),
    note: z.string().trim().max(500).optional(),
    /**
     * The version the editor started from (MomentSummary.version). When given and another editor saved a
     * newer one meanwhile, the edit is refused (409) instead of silently replacing theirs.
     */
    baseVersion: z.number().int().min(0).optional(),
  })
  .refine((edit) => edit.clipIn === null || edit.clipOut === null || edit.clipIn < edit.clipOut, {
    message: "clip in must be before clip out",
    path: ["clipOut"],
  });
export type VersionRequest = z.infer<typeof versionRequestSchema>;

/** GET /api/moments query. */
export const inboxQuerySchema = z.object({
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, "expected an ISO country code such as FR")
    .optional(),
  sport: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, "expected a sport slug such as football")
    .optional(),
  status: z.enum(MOMENT_STATUSES).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;
