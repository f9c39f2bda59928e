// One moment as the editor's detail view shows it (MomentDetail): the current text (latest editor version,
// else the agents'), the play-by-play evidence around the peak with broadcast timecodes, the stories it
// cites, the lead market's traffic, where the clip sits on the wall clock, and its versions, audit trail,
// channel decisions, deliveries and review.
import { z } from "zod";
import { secondsOfTimecode, timecode } from "../agents/moment-evidence";
import type { Db } from "../db/client";
import { marketsOf, toSummary } from "./moment-summaries";
import type { EvidenceEvent, MomentDetail, MomentText } from "./moment-views";

/** Evidence window around the peak: the build-up before it, the reaction after. */
const EVIDENCE_BEFORE_MS = 5 * 60_000;
const EVIDENCE_AFTER_MS = 2 * 60_000;
const MAX_EVIDENCE = 200;
/** Traffic of the lead market either side of the peak. */
const TRAFFIC_AROUND_MS = 10 * 60_000;
const EXCERPT_CHARS = 240;

const storedTagsSchema = z.object({
  athletes: z.array(z.string()),
  countries: z.array(z.string()),
  sport: z.string(),
  event: z.string().nullable(),
});

function secondsOf(code: string | null): number | null {
  return code ? secondsOfTimecode(code) : null;
}

/** The story's opening, cut at a word boundary. */
export function excerptOf(body: string, chars = EXCERPT_CHARS): string {
  const text = body.replace(/\s+/g, " ").trim();
  if (text.length <= chars) return text;
  const cut = text.slice(0, chars);
  const space = cut.lastIndexOf(" ");
  return `${(space > chars / 2 ? cut.slice(0, space) : cut).replace(/[,;:.\s]+$/, "")}…`;
}

export async function readMomentDetail(db: Db, id: bigint): Promise<MomentDetail | null> {
  const moment = await db.moment.findUnique({
    where: { id },
    include: {
      versions: { orderBy: { version: "asc" } },
      events: { orderBy: { id: "asc" } },
      decisions: { orderBy: [{ priority: "asc" }, { channelId: "asc" }] },
      deliveries: { orderBy: { channelId: "asc" } },
    },
  });
  if (!moment) return null;
  const peakAt = moment.peakAt.getTime();
  const gamesId = moment.gamesId;
  const clipIn = secondsOf(moment.clipIn);
  const clipOut = secondsOf(moment.clipOut);

  const [evidenceRows, stories, traffic, clipSession] = await Promise.all([
    gamesId
      ? db.playByPlayEvent.findMany({
          where: {
            gamesId,
            OR: [
              {
                sport: moment.sport,
                occurredAt: {
                  gte: new Date(peakAt - EVIDENCE_BEFORE_MS),
                  lte: new Date(peakAt + EVIDENCE_AFTER_MS),
                },
              },
              ...(moment.clipSessionId && clipIn !== null && clipOut !== null
                ? [
                    {
                      sport: moment.sport,
                      sessionId: moment.clipSessionId,
                      timecodeSeconds: { gte: clipIn, lte: clipOut },
                    },
                  ]
                : []),
              ...(moment.causeEventId ? [{ id: moment.causeEventId }] : []),
            ],
          },
          orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
          take: MAX_EVIDENCE,
        })
      : [],
    gamesId && moment.storyCitations.length > 0
      ? db.story.findMany({ where: { gamesId, id: { in: moment.storyCitations } } })
      : [],
    db.trafficBucket.findMany({
      where: {
        country: moment.country,
        sport: moment.sport,
        bucketStart: {
          gte: new Date(peakAt - TRAFFIC_AROUND_MS),
          lte: new Date(peakAt + TRAFFIC_AROUND_MS),
        },
      },
      select: { bucketStart: true, actions: true, expected: true },
      orderBy: { bucketStart: "asc" },
    }),
    gamesId && moment.clipSessionId
      ? db.gamesSession.findUnique({
          where: { gamesId_id: { gamesId, id: moment.clipSessionId } },
          select: { startsAt: true },
        })
      : null,
  ]);

  const latest = moment.versions.find((version) => version.version === moment.version);
  const ai: MomentText = {
    headline: moment.headline,
    description: moment.description,
    clipIn: moment.clipIn,
    clipOut: moment.clipOut,
  };
  const current: MomentText = latest
    ? {
        headline: latest.headline,
        description: latest.description,
        clipIn: latest.clipIn,
        clipOut: latest.clipOut,
      }
    : ai;
  const lastEvent = moment.events.at(-1);
  const summary = toSummary({
    id: moment.id,
    candidate_id: moment.candidateId,
    key: moment.key,
    sport: moment.sport,
    country: moment.country,
    countries: moment.countries,
    status: moment.status,
    peak_at: moment.peakAt,
    markets: moment.markets,
    headline: current.headline,
    interest_score: moment.interestScore,
    generated_by: moment.generatedBy,
    version: moment.version,
    updated_at: moment.updatedAt,
    last_event_id: lastEvent?.id ?? null,
  });
  const tags = storedTagsSchema.safeParse(moment.tags);
  const storyById = new Map(stories.map((story) => [story.id, story]));
  const evidence: EvidenceEvent[] = evidenceRows.map((row) => ({
    id: row.id,
    sessionId: row.sessionId,
    type: row.type,
    occurredAt: row.occurredAt.getTime(),
    timecode: timecode(row.timecodeSeconds),
    significance: row.significance,
    description: row.description,
  }));

  return {
    ...summary,
    markets: marketsOf(moment.markets).map(
      ({ country, bucketStart, observed, expectedViewers, upliftPct }) => ({
        country,
        bucketStart,
        observed,
        expectedViewers,
        upliftPct,
      }),
    ),
    interesting: moment.interesting,
    interestReason: moment.interestReason,
    current,
    ai,
    story: moment.story,
    citedStories: moment.storyCitations.flatMap((storyId) => {
      const story = storyById.get(storyId);
      return story
        ? [
            {
              id: story.id,
              headline: story.headline,
              kind: story.kind,
              publishedAt: story.publishedAt.getTime(),
              excerpt: excerptOf(story.body),
            },
          ]
        : [];
    }),
    tags: tags.success ? { ...tags.data, event: tags.data.event ?? "" } : null,
    clip: {
      sessionId: moment.clipSessionId,
      // The simulator stamps a play-by-play event at session start + timecode (the demo re-times both with
      // the same clock), so the session's start is the wall time of timecode 00:00:00.
      broadcastStart: clipSession?.startsAt.getTime() ?? null,
      reason: moment.clipReason,
    },
    evidence,
    traffic: traffic.map((bucket) => ({
      bucketStart: bucket.bucketStart.getTime(),
      actions: bucket.actions,
      expected: bucket.expected,
    })),
    versions: moment.versions.map((version) => ({
      version: version.version,
      editor: version.editor,
      note: version.note,
      createdAt: version.createdAt.getTime(),
      headline: version.headline,
      description: version.description,
      clipIn: version.clipIn,
      clipOut: version.clipOut,
    })),
    audit: moment.events.map((event) => ({
      id: event.id.toString(),
      actor: event.actor,
      action: event.action,
      reason: event.reason,
      at: event.createdAt.getTime(),
    })),
    decisions: moment.decisions.map((decision) => ({
      channelId: decision.channelId,
      decision: decision.decision === "send" ? "send" : "skip",
      decidedBy: decision.decidedBy,
      reason: decision.reason,
    })),
    deliveries: moment.deliveries.map((delivery) => ({
      channelId: delivery.channelId,
      status: delivery.status,
      attempts: delivery.attempts,
      error: delivery.error,
      sentAt: delivery.sentAt?.getTime() ?? null,
    })),
    review:
      moment.reviewedBy && moment.reviewedAt
        ? { by: moment.reviewedBy, at: moment.reviewedAt.getTime(), reason: moment.reviewReason }
        : null,
  };
}
