// Peak detection in the stream worker: after each partition batch commits, judges every series of the
// partition whose windows became final (watermark), keeping each series' detector in memory and its state in
// Postgres, and writes the step in one transaction (detection-store.ts). A worker that takes a partition over
// reloads the states from Postgres, so it neither re-fires nor forgets a peak in progress.
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { draftsFromEvents, type AnomalyDraft, type AnomalyEnd } from "./anomaly-drafts";
import type { GroupingOptions } from "./candidate-store";
import type { DetectionConfig } from "./config";
import type { DetectionEvent } from "./peak-tracker";
import {
  loadDetectorStates,
  readFinalCounts,
  readSessionSchedule,
  StaleDetectorStateError,
  writeDetection,
  type DetectorStateWrite,
  type JudgedBucket,
  type SeriesKey,
} from "./detection-store";
import { bucketsToJudge, lastFinalBucketStart } from "./final-buckets";
import { SeriesDetection } from "./series-detection";
import { SessionRamps } from "./session-ramps";
import type { Assessment } from "./types";

/** What the traffic stage reports after a partition batch committed. */
export interface CommittedPartitionBatch {
  partition: number;
  /** The partition's watermark after the batch: windows ending at or before it are final. */
  watermark: number;
  /** Series that had actions in the batch (others of the partition are known from earlier). */
  series: readonly SeriesKey[];
}

export interface LiveDetectionOptions {
  db: Db;
  config: DetectionConfig;
  grouping: GroupingOptions;
  /** After a silence, at most this many zero windows are fed (one day of 10 s windows by default). */
  maxZeroFillBuckets?: number;
  /**
   * A series' state is written when it raised an event, and otherwise once this many windows were judged
   * since its last write (default 30: 5 minutes of 10 s windows). Serialising the state costs far more than
   * judging a window; a worker that takes over re-judges at most this many windows from stored buckets, and
   * the anomaly key and the job's dedupe key make that re-run write nothing twice.
   */
  checkpointEveryBuckets?: number;
  log: Logger;
}

export interface LiveDetectionStats {
  steps: number;
  bucketsJudged: number;
  anomalies: number;
  jobsQueued: number;
  staleStates: number;
  failedSteps: number;
  /** CPU time in the detectors and de-dup (no I/O), summed. */
  detectorMicros: number;
}

interface LiveSeries {
  country: string;
  sport: string;
  detection: SeriesDetection;
  /** Last window fed to the detector in memory. */
  lastJudged: number | null;
  /** Last window of the state Postgres holds (null: none yet). */
  storedLastJudged: number | null;
}

/** The session schedule read from Postgres, for some sports over some span of event time. */
interface LoadedSchedule {
  ramps: SessionRamps;
  sports: Set<string>;
  from: number;
  to: number;
  /** Wall-clock ms of the read: a games loaded later (npm run games:load) is picked up within a minute. */
  readAt: number;
}

/** Wall-clock ms after which the schedule is read again. */
const SCHEDULE_REFRESH_MS = 60_000;

/** How much event time around the windows to judge one schedule read covers (sessions are few). */
const SCHEDULE_MARGIN_MS = 6 * 3_600_000;

interface PartitionSeries {
  series: Map<string, LiveSeries>;
  lastFinal: number;
}

export class LiveDetection {
  readonly stats: LiveDetectionStats = {
    steps: 0,
    bucketsJudged: 0,
    anomalies: 0,
    jobsQueued: 0,
    staleStates: 0,
    failedSteps: 0,
    detectorMicros: 0,
  };
  private readonly partitions = new Map<number, PartitionSeries>();
  private readonly windowMs: number;
  private readonly maxZeroFill: number;
  private readonly checkpointMs: number;
  private schedule: LoadedSchedule | null = null;

  constructor(private readonly options: LiveDetectionOptions) {
    this.windowMs = options.config.baseline.windowSeconds * 1000;
    this.maxZeroFill = options.maxZeroFillBuckets ?? Math.round(86_400_000 / this.windowMs);
    this.checkpointMs = (options.checkpointEveryBuckets ?? 30) * this.windowMs;
  }

  /** Partitions moved: another worker may have judged ours meanwhile, so reload every state on next use. */
  onAssigned(): void {
    this.partitions.clear();
  }

  /**
   * Judges what became final. Never throws: a failed step leaves Postgres as it was and drops this
   * partition's detectors, so the next batch reloads them and judges the same windows again.
   */
  async afterBatch(batch: CommittedPartitionBatch): Promise<void> {
    const lastFinal = lastFinalBucketStart(batch.watermark, this.windowMs);
    if (!Number.isFinite(lastFinal)) return;
    try {
      const partition = await this.partitionSeries(batch);
      if (!partition) return;
      await this.judge(batch.partition, partition, lastFinal);
      partition.lastFinal = lastFinal;
    } catch (error) {
      this.partitions.delete(batch.partition);
      if (error instanceof StaleDetectorStateError) {
        this.stats.staleStates += 1;
        this.options.log.warn(
          { partition: batch.partition, reason: error.message },
          "detector state moved under this worker; reloading it",
        );
        return;
      }
      this.stats.failedSteps += 1;
      this.options.log.error(
        { err: error, partition: batch.partition },
        "peak detection step failed; the next batch judges the same windows again",
      );
    }
  }

  /** The partition's series, loading states from Postgres for the partition or for series new to it. */
  private async partitionSeries(batch: CommittedPartitionBatch): Promise<PartitionSeries | undefined> {
    const lastFinal = lastFinalBucketStart(batch.watermark, this.windowMs);
    let partition = this.partitions.get(batch.partition);
    const unknown = batch.series.filter((key) => !partition?.series.has(`${key.country}|${key.sport}`));
    if (partition && unknown.length === 0) return lastFinal > partition.lastFinal ? partition : undefined;
    const states = await loadDetectorStates(this.options.db, { partition: batch.partition, series: unknown });
    if (!partition) {
      partition = { series: new Map(), lastFinal: Number.NEGATIVE_INFINITY };
      this.partitions.set(batch.partition, partition);
    }
    for (const stored of states) {
      const key = `${stored.country}|${stored.sport}`;
      if (partition.series.has(key)) continue;
      partition.series.set(key, {
        country: stored.country,
        sport: stored.sport,
        detection: new SeriesDetection(this.options.config, stored.state),
        lastJudged: stored.lastBucketStart,
        storedLastJudged: stored.lastBucketStart,
      });
    }
    for (const { country, sport } of unknown) {
      const key = `${country}|${sport}`;
      if (partition.series.has(key)) continue;
      partition.series.set(key, {
        country,
        sport,
        detection: new SeriesDetection(this.options.config),
        lastJudged: null,
        storedLastJudged: null,
      });
    }
    return partition;
  }

  /**
   * The session schedule covering these sports over [from, to]; read again when it does not, or when it is a
   * minute old (a games loaded meanwhile).
   */
  private async sessionRamps(sports: readonly string[], from: number, to: number): Promise<SessionRamps> {
    const loaded = this.schedule;
    if (
      loaded &&
      loaded.from <= from &&
      loaded.to >= to &&
      Date.now() - loaded.readAt < SCHEDULE_REFRESH_MS &&
      sports.every((sport) => loaded.sports.has(sport))
    ) {
      return loaded.ramps;
    }
    const wanted = new Set([...sports, ...(loaded?.sports ?? [])]);
    const span = { from: from - SCHEDULE_MARGIN_MS, to: to + SCHEDULE_MARGIN_MS };
    const sessions = await readSessionSchedule(this.options.db, [...wanted], span.from, span.to);
    const ramps = new SessionRamps(sessions, this.options.config.sessionRamps);
    this.schedule = { ramps, sports: wanted, ...span, readAt: Date.now() };
    return ramps;
  }

  private async judge(partitionId: number, partition: PartitionSeries, lastFinal: number): Promise<void> {
    const { options, windowMs } = this;
    const due = [...partition.series.values()].filter(
      (series) => series.lastJudged === null || series.lastJudged < lastFinal,
    );
    if (due.length === 0) return;
    const earliest = lastFinal - (this.maxZeroFill + 1) * windowMs;
    // Judged series are read from the earliest of them on, so that the partition's traffic is known over every
    // window any of them judges now (usually they all judged the same last window); a new one from a day back.
    const judgedAfter = Math.min(...due.map((series) => series.lastJudged ?? Number.POSITIVE_INFINITY));
    const after = (series: LiveSeries) =>
      series.lastJudged === null || !Number.isFinite(judgedAfter)
        ? earliest
        : Math.max(judgedAfter, earliest);
    const counts = await readFinalCounts(
      options.db,
      due.map((series) => ({ country: series.country, sport: series.sport, after: after(series) })),
      lastFinal,
    );

    const ramps = await this.sessionRamps(
      due.map((series) => series.sport),
      Math.min(...due.map(after)),
      lastFinal,
    );

    // Windows in which the partition stored anything: the others are a gap (nothing flowed), not zeros.
    const partitionTraffic = new Set<number>();
    for (const series of counts.values())
      for (const start of series.actions.keys()) partitionTraffic.add(start);

    const startedAt = process.hrtime.bigint();
    const buckets: JudgedBucket[] = [];
    const states: DetectorStateWrite[] = [];
    const anomalies: AnomalyDraft[] = [];
    const ends: AnomalyEnd[] = [];
    const judgedThrough = new Map<LiveSeries, number>();
    const checkpointed = new Set<LiveSeries>();
    let judged = 0;
    for (const series of due) {
      const seriesCounts = counts.get(`${series.country}|${series.sport}`);
      const { observations, stored: storedWindows } = bucketsToJudge({
        lastJudged: series.lastJudged,
        lastFinal,
        counts: seriesCounts?.actions ?? new Map(),
        engaged: seriesCounts?.engaged ?? new Map(),
        windowMs,
        maxZeroFill: this.maxZeroFill,
        partitionTraffic,
      });
      if (observations.length === 0) continue;
      const judgedNow: Assessment[] = [];
      const events: DetectionEvent[] = [];
      for (const observation of observations) {
        observation.sessionRamp = ramps.rampAt(series.sport, observation.bucketStart, windowMs);
        const step = series.detection.update(observation);
        judgedNow.push(step.assessment);
        if (step.events.length > 0) events.push(...step.events);
        const { assessment } = step;
        if (storedWindows.has(observation.bucketStart) && !assessment.warmingUp) {
          buckets.push({
            country: series.country,
            sport: series.sport,
            bucketStart: observation.bucketStart,
            expected: assessment.expectedViewers,
            expectedLow: assessment.lowerViewers,
            expectedHigh: assessment.upperViewers,
          });
        }
      }
      judged += observations.length;
      if (events.length > 0) {
        const drafts = draftsFromEvents({
          country: series.country,
          sport: series.sport,
          detector: series.detection.detectorName,
          windowMs,
          events,
          assessments: new Map(judgedNow.map((assessment) => [assessment.bucketStart, assessment])),
        });
        anomalies.push(...drafts.anomalies);
        ends.push(...drafts.ends);
      }
      const last = observations[observations.length - 1]!.bucketStart;
      judgedThrough.set(series, last);
      const stored = series.storedLastJudged;
      if (events.length > 0 || stored === null || last - stored >= this.checkpointMs) {
        checkpointed.add(series);
        states.push({
          country: series.country,
          sport: series.sport,
          partition: partitionId,
          detector: series.detection.detectorName,
          state: series.detection.toJSON(),
          lastBucketStart: last,
          previousLastBucketStart: stored,
        });
      }
    }
    this.stats.detectorMicros += Number(process.hrtime.bigint() - startedAt) / 1000;
    if (judgedThrough.size === 0) return;

    // Events up to the end of the last final window; after a (re)start, look back one reaction time.
    const eventsAfter = Number.isFinite(partition.lastFinal)
      ? partition.lastFinal + windowMs
      : lastFinal + windowMs - options.grouping.reactionMs;
    const result = await writeDetection(options.db, {
      buckets,
      states,
      anomalies,
      ends,
      grouping: options.grouping,
      eventRange: { after: eventsAfter, upTo: lastFinal + windowMs },
    });
    for (const [series, last] of judgedThrough) {
      series.lastJudged = last;
      if (checkpointed.has(series)) series.storedLastJudged = last;
    }
    this.stats.steps += 1;
    this.stats.bucketsJudged += judged;
    this.stats.anomalies += result.anomalyIds.length;
    this.stats.jobsQueued += result.jobsQueued;
    if (result.anomalyIds.length > 0) {
      options.log.info(
        {
          partition: partitionId,
          anomalyIds: result.anomalyIds.map(String),
          candidateIds: result.candidateIds.map(String),
          jobsQueued: result.jobsQueued,
        },
        "anomalies detected",
      );
    }
  }
}
