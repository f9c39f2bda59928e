// Daily time-of-day profile of one series: the typical viewers per time-of-day bin, learned across days from
// the buckets the baseline did not flag, and turned into a multiplicative factor once there is enough history.
import type { BaselineConfig } from "./config";

const DAY_MS = 86_400_000;
/** A bin's mean only counts when at least this share of its buckets were seen (a half-empty bin is noise). */
const MIN_BIN_COVERAGE = 0.25;
/** A day's bin mean may move the profile by at most this factor, so one odd day cannot rewrite it. */
const MAX_DAILY_CHANGE = 2;
const MIN_FACTOR = 0.1;
const MAX_FACTOR = 10;

export interface SeasonalProfileState {
  /**
   * Per time-of-day bin. Saved as the numbers joined by commas (see toJSON): exact, and the state's JSON need
   * not format 2 × 96 numbers at each checkpoint. A state from before holds arrays; both load.
   */
  binMeans: number[] | string;
  binDays: number[] | string;
  /** Sum of the filled bins' means and their count: the profile's mean in O(1). */
  meansTotal: number;
  filledBins: number;
  firstBucketStart: number | null;
  openBin: number;
  openDay: number;
  openTotal: number;
  openCount: number;
}

export class SeasonalProfile {
  private readonly binMs: number;
  private readonly bucketsPerBin: number;
  /** The state's bins, as arrays (they are strings in a saved state until loaded here). */
  private readonly binMeans: number[];
  private readonly binDays: number[];
  /**
   * The bins as saved, kept until a bin is folded in: that happens once per bin (15 min), while the state is
   * saved every few minutes.
   */
  private savedBins: { binMeans: string; binDays: string } | null = null;
  /**
   * The time span (epoch ms) of the open bin on its day, once observe has placed a bucket in it: most buckets
   * fall in it, and then need no time-of-day arithmetic (a remainder of epoch ms is a slow float operation).
   */
  private openFrom = 0;
  private openUntil = 0;

  constructor(
    private readonly config: BaselineConfig,
    private readonly state: SeasonalProfileState = emptyProfile(config),
  ) {
    this.binMs = config.seasonBinMinutes * 60_000;
    this.bucketsPerBin = this.binMs / (config.windowSeconds * 1000);
    this.binMeans = state.binMeans = loadBins(state.binMeans);
    this.binDays = state.binDays = loadBins(state.binDays);
  }

  toJSON(): SeasonalProfileState {
    this.savedBins ??= { binMeans: this.binMeans.join(","), binDays: this.binDays.join(",") };
    return { ...this.state, binMeans: this.savedBins.binMeans, binDays: this.savedBins.binDays };
  }

  /** Multiplicative factor for the bucket's time of day: 1 until enough days are seen, then blended in. */
  factorAt(bucketStart: number): number {
    const s = this.state;
    if (s.firstBucketStart === null || s.filledBins === 0) return 1;
    const days = (bucketStart - s.firstBucketStart) / DAY_MS;
    const minDays = this.config.seasonMinDays;
    const weight = Math.min(1, Math.max(0, (days - minDays) / minDays));
    if (weight === 0) return 1;
    const bin = this.inOpenBin(bucketStart) ? s.openBin : this.binOf(bucketStart);
    if (this.binDays[bin] === 0) return 1;
    const profileMean = s.meansTotal / s.filledBins;
    if (profileMean <= 0) return 1;
    const shape = Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, this.binMeans[bin]! / profileMean));
    return 1 + weight * (shape - 1);
  }

  /** Adds a normal (not flagged) bucket to its time-of-day bin; a bin is folded in when the next one opens. */
  observe(bucketStart: number, observed: number): void {
    const s = this.state;
    if (s.firstBucketStart === null) s.firstBucketStart = bucketStart;
    if (!this.inOpenBin(bucketStart)) {
      const bin = this.binOf(bucketStart);
      const day = Math.floor(bucketStart / DAY_MS);
      if (bin !== s.openBin || day !== s.openDay) {
        this.closeOpenBin();
        s.openBin = bin;
        s.openDay = day;
      }
      this.openFrom = day * DAY_MS + bin * this.binMs;
      this.openUntil = Math.min(this.openFrom + this.binMs, (day + 1) * DAY_MS);
    }
    s.openTotal += observed;
    s.openCount += 1;
  }

  private closeOpenBin(): void {
    const s = this.state;
    const { binMeans, binDays } = this;
    if (s.openBin >= 0 && s.openCount >= this.bucketsPerBin * MIN_BIN_COVERAGE) {
      const binMean = s.openTotal / s.openCount;
      const bin = s.openBin;
      const previous = binMeans[bin]!;
      let next = binMean;
      if (binDays[bin]! > 0) {
        const bounded =
          previous <= 0
            ? binMean
            : Math.min(previous * MAX_DAILY_CHANGE, Math.max(previous / MAX_DAILY_CHANGE, binMean));
        next = previous + this.config.seasonGain * (bounded - previous);
      } else {
        s.filledBins += 1;
      }
      s.meansTotal += next - (binDays[bin]! > 0 ? previous : 0);
      binMeans[bin] = next;
      binDays[bin]! += 1;
      this.savedBins = null;
    }
    s.openTotal = 0;
    s.openCount = 0;
  }

  private inOpenBin(bucketStart: number): boolean {
    return bucketStart >= this.openFrom && bucketStart < this.openUntil;
  }

  private binOf(bucketStart: number): number {
    const timeOfDay = ((bucketStart % DAY_MS) + DAY_MS) % DAY_MS;
    return Math.floor(timeOfDay / this.binMs);
  }
}

export function emptyProfile(config: BaselineConfig): SeasonalProfileState {
  const bins = Math.ceil((24 * 60) / config.seasonBinMinutes);
  return {
    binMeans: new Array<number>(bins).fill(0),
    binDays: new Array<number>(bins).fill(0),
    meansTotal: 0,
    filledBins: 0,
    firstBucketStart: null,
    openBin: -1,
    openDay: -1,
    openTotal: 0,
    openCount: 0,
  };
}

/** A saved bin list back as numbers: String(number) and Number(string) round-trip every double exactly. */
function loadBins(saved: number[] | string): number[] {
  return typeof saved === "string" ? saved.split(",").map(Number) : saved;
}
