// Cross-market grouping in Postgres, inside the detection transaction. Series of one sport live in different
// stream partitions, possibly owned by different workers, so the shared place is the candidate_moment table:
// each new peak, in time order, joins the open candidate of its sport that grouping.ts's pickGroup chooses
// (start within the tolerance, or a market it does not hold yet within the tolerance of its latest peak, or a
// second peak on a market's rise; a play-by-play cause shared with its members when both have one), or opens
// one when play-by-play explains it: the same decisions as the evaluation's groupCandidates. Each sport (and each country, for the broad-surge check) is serialised by a
// transaction-scoped advisory lock, taken in one sorted order so two workers never deadlock. An advisory lock
// rather than an upsert on a time-bucketed key: fixed time buckets would split two peaks 5 s apart across a
// bucket edge, while the lock lets us apply the streaming rule.
import type { Tx } from "../db/client";
import { enqueueScoreMoment } from "../queue/score-moment-job";
import { splitBroadSurges } from "./broad-surges";
import {
  explainedBy,
  groupingCauses,
  groupOpenMs,
  joinGroup,
  opensGroup,
  pickGroup,
  type CauseEvent,
  type GroupingRule,
  type MarketPeak,
  type OpenGroup,
} from "./grouping";

export interface GroupingOptions {
  /**
   * Peaks of one sport within this of a candidate's first peak are one candidate moment; so is a peak of a
   * market the candidate does not hold yet within this of its latest peak (up to reactionMs after its start).
   */
  toleranceMs: number;
  /**
   * Peaks of this many sports in one country within the tolerance, none of them explained by play-by-play,
   * are a country-wide surge, not a moment.
   */
  broadMinSports: number;
  /**
   * A candidate opened by play-by-play waits this long for the audience to react, and a peak's possible
   * causes are the events of its sport involving its country this long before it.
   */
  reactionMs: number;
  /** The score-moment job runs this long after the candidate opens, so other markets can join first. */
  settleMs: number;
  /**
   * A play-by-play event at least this significant (0–1) opens a candidate before traffic reacts, and can
   * cause a peak in any country (not only its own countries') when grouping.
   */
  minEventSignificance: number;
  /**
   * A peak opens a candidate only when play-by-play names a possible cause this long before it (or none of
   * its sport is loaded); an unexplained one may still join a candidate.
   */
  explainMs: number;
  /** Plays of one sport this close that share a country are one rise there (grouping.ts). */
  overlapMs: number;
}

/** A peak anomaly just inserted in this transaction. */
export interface InsertedPeak extends MarketPeak {
  anomalyId: bigint;
}

export interface GroupingResult {
  /** Candidates created or changed. */
  candidateIds: bigint[];
  jobsQueued: number;
}

export async function groupNewPeaks(
  tx: Tx,
  peaks: readonly InsertedPeak[],
  options: GroupingOptions,
): Promise<GroupingResult> {
  if (peaks.length === 0) return { candidateIds: [], jobsQueued: 0 };
  const lockKeys = [
    ...new Set([
      ...peaks.map((peak) => `peaklight:candidates:${peak.sport}`),
      ...peaks.map((peak) => `peaklight:surge:${peak.country}`),
    ]),
  ].sort();
  for (const key of lockKeys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;

  // One read of the play-by-play that can explain these peaks or the members of candidates they may join
  // (candidates started up to groupOpenMs before the first peak; causes up to reactionMs or explainMs before a
  // peak, and plays overlapping a cause up to overlapMs before it), plus each sport's latest event before
  // that, which tells opensGroup the sport's play-by-play is loaded.
  const first = Math.min(...peaks.map((peak) => peak.bucketStart));
  const last = Math.max(...peaks.map((peak) => peak.bucketStart));
  const from =
    first -
    options.toleranceMs -
    groupOpenMs(options) -
    Math.max(options.reactionMs, options.explainMs) -
    options.overlapMs;
  const events = [
    ...(await latestPlayByPlayBefore(tx, [...new Set(peaks.map((peak) => peak.sport))], from)),
    ...(await readCauseEvents(tx, from, last + options.toleranceMs)),
  ];
  const changed = new Set<bigint>();
  const broadIds = await markBroadSurges(tx, peaks, options, events, changed);
  const sportPeaks = peaks
    .filter((peak) => peak.kind === "peak" && !broadIds.has(peak.anomalyId))
    .sort((a, b) => a.bucketStart - b.bucketStart || a.country.localeCompare(b.country));
  if (sportPeaks.length === 0) return { candidateIds: [...changed], jobsQueued: 0 };

  // The same streaming rule as the evaluation (grouping.ts): each peak in time order joins the open
  // candidate pickGroup chooses, with the play-by-play that can have caused it and its members, or opens one.
  const rule: GroupingRule = {
    toleranceMs: options.toleranceMs,
    reactionMs: options.reactionMs,
    minEventSignificance: options.minEventSignificance,
    explainMs: options.explainMs,
    overlapMs: options.overlapMs,
  };
  const groups = await openGroups(tx, sportPeaks, rule, events);
  const membersOf = new Map<LiveGroup, InsertedPeak[]>();
  for (const peak of sportPeaks) {
    const causes = groupingCauses(peak, events, rule);
    let group = pickGroup(groups, peak, causes, rule, events);
    if (!group) {
      // Unexplained while its sport has play-by-play: stays an anomaly without a candidate.
      if (!opensGroup(peak, events, rule)) continue;
      // Two moments of one sport may start in the same window: the second one's key names its country.
      const plain = `${peak.sport}|${peak.bucketStart}`;
      const key = groups.some((other) => other.key === plain) ? `${plain}|${peak.country}` : plain;
      const at = new Date(peak.bucketStart);
      const created = await tx.$queryRaw<{ id: bigint }[]>`
        INSERT INTO candidate_moment (key, sport, started_at, status)
        VALUES (${key}, ${peak.sport}, ${at}, 'open')
        ON CONFLICT (key) DO UPDATE SET updated_at = now()
        RETURNING id`;
      group = { id: created[0]!.id, key, sport: peak.sport, startedAt: peak.bucketStart, causes: null };
      groups.push(group);
    }
    joinGroup(group, peak, causes);
    group.startedAt = Math.min(group.startedAt, peak.bucketStart);
    const members = membersOf.get(group) ?? [];
    members.push(peak);
    membersOf.set(group, members);
  }

  let jobsQueued = 0;
  for (const [group, members] of membersOf) {
    await tx.$executeRaw`
      UPDATE anomaly SET candidate_id = ${group.id}
      WHERE id = ANY(${members.map((peak) => peak.anomalyId)}::bigint[])`;
    await refreshCandidate(tx, group.id);
    changed.add(group.id);
    const queued = await enqueueScoreMoment(
      tx,
      { anomalyId: members[0]!.anomalyId.toString(), candidateId: group.id.toString() },
      options.settleMs,
    );
    if (queued) jobsQueued += 1;
  }
  return { candidateIds: [...changed], jobsQueued };
}

interface LiveGroup extends OpenGroup {
  id: bigint;
  key: string;
  causes: string[] | null;
}

/**
 * The candidates these peaks may join (not dismissed, of their sports, started close enough), each with the
 * causes its members share among `events`.
 */
async function openGroups(
  tx: Tx,
  peaks: readonly InsertedPeak[],
  rule: GroupingRule,
  events: readonly CauseEvent[],
): Promise<LiveGroup[]> {
  const sports = [...new Set(peaks.map((peak) => peak.sport))];
  const first = Math.min(...peaks.map((peak) => peak.bucketStart));
  const last = Math.max(...peaks.map((peak) => peak.bucketStart));
  const rows = await tx.$queryRaw<
    {
      id: bigint;
      key: string;
      sport: string;
      started_at: Date;
      cause_games_id: string | null;
      cause_event_id: string | null;
    }[]
  >`
    SELECT id, key, sport, started_at, cause_games_id, cause_event_id
    FROM candidate_moment
    WHERE sport = ANY(${sports}::text[]) AND status <> 'dismissed'
      AND started_at >= ${new Date(first - groupOpenMs(rule))}
      AND started_at <= ${new Date(last + rule.toleranceMs)}
    ORDER BY id`;
  const members =
    rows.length === 0
      ? []
      : await tx.$queryRaw<{ candidate_id: bigint; country: string; sport: string; window_start: Date }[]>`
          SELECT candidate_id, country, sport, window_start FROM anomaly
          WHERE candidate_id = ANY(${rows.map((row) => row.id)}::bigint[]) AND kind = 'peak' AND status <> 'broad'
          ORDER BY window_start, country`;
  const groups = rows.map((row): LiveGroup => {
    const cause = row.cause_event_id ? `${row.cause_games_id}|${row.cause_event_id}` : null;
    return {
      id: row.id,
      key: row.key,
      sport: row.sport,
      startedAt: row.started_at.getTime(),
      causeEventId: cause,
      causes: cause ? [cause] : null,
    };
  });
  const byId = new Map(groups.map((group) => [group.id, group]));
  for (const member of members) {
    const group = byId.get(member.candidate_id)!;
    const peak = { sport: member.sport, country: member.country, bucketStart: member.window_start.getTime() };
    joinGroup(group, peak, groupingCauses(peak, events, rule));
  }
  return groups;
}

/**
 * Each sport's latest play-by-play event before `before` (none: not loaded that far), too old to be a possible
 * cause of the peaks grouped, so opensGroup sees the sport's play-by-play as loaded. One index probe per sport.
 */
async function latestPlayByPlayBefore(
  tx: Tx,
  sports: readonly string[],
  before: number,
): Promise<CauseEvent[]> {
  const rows = await tx.$queryRaw<PlayByPlayRow[]>`
    SELECT e.games_id, e.id, e.sport, e.occurred_at, e.countries, e.significance
    FROM unnest(${[...sports]}::text[]) AS s(sport)
    CROSS JOIN LATERAL (
      SELECT games_id, id, sport, occurred_at, countries, significance FROM play_by_play p
      WHERE p.sport = s.sport AND p.occurred_at < ${new Date(before)}
      ORDER BY p.occurred_at DESC LIMIT 1
    ) e`;
  return rows.map(causeEventOf);
}

interface PlayByPlayRow {
  games_id: string;
  id: string;
  sport: string;
  occurred_at: Date;
  countries: string[];
  significance: number;
}

function causeEventOf(row: PlayByPlayRow): CauseEvent {
  return {
    id: `${row.games_id}|${row.id}`,
    sport: row.sport,
    at: row.occurred_at.getTime(),
    countries: row.countries,
    significance: row.significance,
  };
}

/** The play-by-play between two times, as grouping's possible causes of peaks (which filter by sport). */
async function readCauseEvents(tx: Tx, from: number, to: number): Promise<CauseEvent[]> {
  const rows = await tx.$queryRaw<PlayByPlayRow[]>`
    SELECT games_id, id, sport, occurred_at, countries, significance FROM play_by_play
    WHERE occurred_at >= ${new Date(from)} AND occurred_at <= ${new Date(to)}`;
  return rows.map(causeEventOf);
}

/**
 * Opens a candidate (status awaiting-traffic, no markets, no job yet) for each significant play-by-play
 * event in (after, upTo]: the traffic clock, so events loaded ahead of time open when their moment comes.
 * Every partition's step runs this over its own range; the event's key makes the second one a no-op.
 */
export async function openFromPlayByPlay(
  tx: Tx,
  range: { after: number; upTo: number },
  options: GroupingOptions,
): Promise<bigint[]> {
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO candidate_moment (key, sport, started_at, status, cause_games_id, cause_event_id)
    SELECT sport || '|event|' || games_id || '|' || id, sport, occurred_at, 'awaiting-traffic', games_id, id
    FROM play_by_play
    WHERE occurred_at > to_timestamp(${range.after} / 1000.0)
      AND occurred_at <= to_timestamp(${range.upTo} / 1000.0)
      AND significance >= ${options.minEventSignificance}
    ON CONFLICT (key) DO NOTHING
    RETURNING id`;
  return rows.map((row) => row.id);
}

/**
 * Marks peaks that are part of a country-wide surge (several sports of one country at once, counting peaks
 * other workers stored) as `broad`, takes them out of their candidates, and returns the broad ids.
 */
async function markBroadSurges(
  tx: Tx,
  peaks: readonly InsertedPeak[],
  options: GroupingOptions,
  events: readonly CauseEvent[],
  changed: Set<bigint>,
): Promise<Set<bigint>> {
  const countries = [...new Set(peaks.map((peak) => peak.country))];
  const from = new Date(Math.min(...peaks.map((peak) => peak.bucketStart)) - options.toleranceMs);
  const to = new Date(Math.max(...peaks.map((peak) => peak.bucketStart)) + options.toleranceMs);
  const nearby = await tx.$queryRaw<
    {
      id: bigint;
      country: string;
      sport: string;
      window_start: Date;
      detected_at: Date;
      observed: number;
      expected: number;
      uplift_pct: number;
      score: number;
      status: string;
      candidate_id: bigint | null;
    }[]
  >`
    SELECT id, country, sport, window_start, detected_at, observed, expected, uplift_pct, score, status,
           candidate_id
    FROM anomaly
    WHERE kind = 'peak' AND country = ANY(${countries}::text[]) AND window_start BETWEEN ${from} AND ${to}`;
  const asPeaks = nearby.map((row) => ({
    row,
    peak: {
      kind: "peak" as const,
      country: row.country,
      sport: row.sport,
      bucketStart: row.window_start.getTime(),
      detectedAt: row.detected_at.getTime(),
      observed: row.observed,
      expectedViewers: row.expected,
      upliftPct: row.uplift_pct,
      score: row.score,
    },
  }));
  const { broadPeaks } = splitBroadSurges(
    asPeaks.map((entry) => entry.peak),
    {
      toleranceMs: options.toleranceMs,
      minSports: options.broadMinSports,
      explained: explainedBy(events, options),
    },
  );
  const broad = new Set(broadPeaks);
  const broadRows = asPeaks.filter((entry) => broad.has(entry.peak)).map((entry) => entry.row);
  if (broadRows.length === 0) return new Set();
  await tx.$executeRaw`
    UPDATE anomaly SET status = 'broad', candidate_id = NULL
    WHERE id = ANY(${broadRows.map((row) => row.id)}::bigint[])`;
  for (const candidateId of new Set(
    broadRows.flatMap((row) => (row.candidate_id ? [row.candidate_id] : [])),
  )) {
    await refreshCandidate(tx, candidateId);
    changed.add(candidateId);
  }
  return new Set(broadRows.map((row) => row.id));
}

/**
 * Derives a candidate's markets, score, extra viewers and status from its anomalies (strongest peak per
 * country, largest uplift first), so the row never disagrees with them. A candidate left without markets
 * goes back to waiting (play-by-play) or is dismissed.
 */
export async function refreshCandidate(tx: Tx, candidateId: bigint): Promise<void> {
  await tx.$executeRaw`
    UPDATE candidate_moment c SET
      markets = coalesce(m.markets, '[]'::jsonb),
      score = coalesce(m.score, 0),
      extra_viewers = coalesce(m.extra, 0),
      last_peak_at = m.last_peak,
      started_at = least(c.started_at, coalesce(m.first_peak, c.started_at)),
      status = CASE WHEN m.n > 0 THEN 'open'
                    WHEN c.cause_event_id IS NOT NULL THEN 'awaiting-traffic'
                    ELSE 'dismissed' END,
      updated_at = now()
    FROM (
      SELECT count(*) AS n, max(score) AS score, sum(greatest(0, observed - expected)) AS extra,
             max(window_start) AS last_peak, min(window_start) AS first_peak,
             jsonb_agg(jsonb_build_object(
               'country', country, 'anomalyId', id::text,
               'bucketStart', (extract(epoch FROM window_start) * 1000)::bigint,
               'observed', observed, 'expectedViewers', expected, 'upliftPct', uplift_pct, 'score', score
             ) ORDER BY uplift_pct DESC, country) AS markets
      FROM (
        SELECT DISTINCT ON (country) * FROM anomaly
        WHERE candidate_id = ${candidateId} AND status <> 'broad'
        ORDER BY country, uplift_pct DESC
      ) strongest
    ) m
    WHERE c.id = ${candidateId}`;
}
