// Day partitions of the raw bucket table: created before the first write into a day (event time, so a replay
// of an old games gets its own days), and dropped once older than the retention, counted back from the newest
// day with data so a replay of past traffic is not deleted as it is written.
import type { Logger } from "pino";
import type { Db } from "../db/client";

export const DAY_MS = 86_400_000;

export function dayStartOf(time: number): number {
  return time - (((time % DAY_MS) + DAY_MS) % DAY_MS);
}

export function partitionNameFor(dayStart: number): string {
  return `traffic_bucket_p${new Date(dayStart).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

export function dayOfPartition(name: string): number | undefined {
  const match = /^traffic_bucket_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
}

export class BucketPartitions {
  private readonly known = new Set<number>();
  /** Creations in flight, so concurrent batches for a new day share one CREATE. */
  private readonly creating = new Map<number, Promise<void>>();
  private loaded = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /** Makes sure a partition exists for every day these bucket starts fall in. */
  async ensureFor(bucketStarts: Iterable<number>): Promise<void> {
    if (!this.loaded) await this.load();
    const missing = new Set<number>();
    for (const start of bucketStarts) {
      const day = dayStartOf(start);
      if (!this.known.has(day)) missing.add(day);
    }
    for (const day of missing) {
      let creation = this.creating.get(day);
      if (!creation) {
        creation = this.create(day).finally(() => this.creating.delete(day));
        this.creating.set(day, creation);
      }
      await creation;
    }
  }

  /** Forgets what it knows, e.g. after another worker dropped a partition; the next call re-reads it. */
  invalidate(): void {
    this.loaded = false;
  }

  /** Days that have a partition, oldest first. */
  async days(): Promise<number[]> {
    if (!this.loaded) await this.load();
    return [...this.known].sort((a, b) => a - b);
  }

  /**
   * Drops raw partitions more than `retentionDays` before the newest one; rollups keep their totals.
   * Returns the dropped days.
   */
  async dropExpired(retentionDays: number): Promise<number[]> {
    const days = await this.days();
    const newest = days.at(-1);
    if (newest === undefined) return [];
    const cutoff = newest - retentionDays * DAY_MS;
    const expired = days.filter((day) => day < cutoff);
    for (const day of expired) {
      await this.db.$executeRawUnsafe(`DROP TABLE IF EXISTS "${partitionNameFor(day)}"`);
      this.known.delete(day);
      this.log.info({ partition: partitionNameFor(day) }, "dropped raw traffic partition past retention");
    }
    return expired;
  }

  private async load(): Promise<void> {
    const rows = await this.db.$queryRaw<{ name: string }[]>`
      SELECT child.relname AS name
      FROM pg_inherits
      JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
      JOIN pg_class child ON child.oid = pg_inherits.inhrelid
      WHERE parent.relname = 'traffic_bucket'`;
    this.known.clear();
    for (const { name } of rows) {
      const day = dayOfPartition(name);
      if (day !== undefined) this.known.add(day);
    }
    this.loaded = true;
  }

  private async create(day: number): Promise<void> {
    const name = partitionNameFor(day);
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    // Serialised per day by an advisory lock, so two workers creating the same day never race (IF NOT
    // EXISTS alone can still fail on a concurrent create). Names and bounds are formatted from numbers.
    await this.db.$transaction([
      this.db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))`,
      this.db.$executeRawUnsafe(
        `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF traffic_bucket FOR VALUES FROM ('${from}') TO ('${to}')`,
      ),
    ]);
    this.known.add(day);
    this.log.info({ partition: name }, "raw traffic partition ready");
  }
}

/** Postgres refused a row because its day has no partition (e.g. another worker dropped it). */
export function isMissingPartitionError(error: unknown): boolean {
  return error instanceof Error && /no partition of relation "traffic_bucket" found/.test(error.message);
}
