// Moments for the editor API and live tests, written straight to Postgres (no agents): a candidate, its
// moment in the status asked for with the agents' text, the channel decisions, and the audit events the
// stages would have recorded (through recordMomentEvent, as the stages do).
import type { Db } from "../../server/db/client";
import { recordMomentEvent } from "../../server/moments/moment-events";
import type { MomentStatus } from "../../server/moments/moment-status";

let next = 0;

export interface FixtureMoment {
  sport?: string;
  country?: string;
  countries?: string[];
  peakAt?: number;
  status?: MomentStatus;
  /** Channel decisions: channel id → send? */
  decisions?: Record<string, boolean>;
}

export async function insertMoment(db: Db, options: FixtureMoment = {}): Promise<bigint> {
  next += 1;
  const sport = options.sport ?? "football";
  const countries = options.countries ?? [options.country ?? "FR"];
  const peakAt = options.peakAt ?? Date.UTC(2026, 6, 2, 20) + next * 60_000;
  const status = options.status ?? "described";
  const described = status !== "new" && status !== "interesting" && status !== "not_interesting";
  const markets = countries.map((country, index) => ({
    country,
    anomalyId: "0",
    bucketStart: peakAt,
    observed: 300 - index * 20,
    expectedViewers: 100,
    upliftPct: 200 - index * 20,
    score: 0.8,
  }));
  return db.$transaction(async (tx) => {
    const candidate = await tx.candidateMoment.create({
      data: {
        key: `${sport}|${peakAt}|fixture${next}`,
        sport,
        startedAt: new Date(peakAt),
        status: "open",
        markets,
      },
    });
    const moment = await tx.moment.create({
      data: {
        candidateId: candidate.id,
        key: candidate.key,
        sport,
        country: countries[0]!,
        countries,
        markets,
        peakAt: new Date(peakAt),
        status,
        interesting: status === "new" ? null : status !== "not_interesting",
        interestScore: status === "new" ? null : 0.8,
        interestReason: status === "new" ? null : "A decisive goal in the final explains the peak.",
        generatedBy: "offline",
        ...(described
          ? {
              headline: `Fixture moment ${next} lifts ${countries[0]}`,
              description: "The agents' description of the moment. It has two sentences.",
              clipIn: "00:10:00",
              clipOut: "00:10:40",
              routedAt: new Date(),
            }
          : {}),
      },
    });
    await recordMomentEvent(tx, moment.id, { actor: "agent:score", action: "opened" });
    for (const [channelId, send] of Object.entries(options.decisions ?? {})) {
      await tx.channelDecision.create({
        data: {
          momentId: moment.id,
          channelId,
          decision: send ? "send" : "skip",
          decidedBy: send ? "rules_passed" : "min_score",
          reason: send ? "passes the channel's rules" : "score below the channel's minimum",
          priority: 0,
          markets: countries,
          payload: { format: "feed", item: { title: "fixture" } },
        },
      });
    }
    return moment.id;
  });
}
