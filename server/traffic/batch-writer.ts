// Group commit for one worker's partitions: while a transaction is in flight, the batches that become ready
// wait and then go together in the next one. A worker consuming several partitions at once thus writes one
// transaction per round instead of one per partition, each waiting on the others for the country totals they
// share (and for the NOTIFY lock every commit takes).
import type { Db } from "../db/client";
import { writePartitionBatches, type PartitionWrite } from "./bucket-store";
import { isMissingPartitionError, type BucketPartitions } from "./partitions";

interface QueuedWrite {
  write: PartitionWrite;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class BatchWriter {
  private queue: QueuedWrite[] = [];
  private writing = false;

  constructor(
    private readonly db: Db,
    private readonly partitions: BucketPartitions,
  ) {}

  /**
   * Resolves once the write is committed, possibly in one transaction with other partitions' writes; rejects
   * if that transaction failed (then none of its writes happened). Writes of one partition must not overlap.
   */
  write(write: PartitionWrite): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    if (this.writing || this.queue.length === 0) return;
    const group = this.queue;
    this.queue = [];
    this.writing = true;
    void this.commit(group).finally(() => {
      this.writing = false;
      this.flush();
    });
  }

  private async commit(group: QueuedWrite[]): Promise<void> {
    const writes = group.map((queued) => queued.write);
    const bucketStarts = writes.flatMap((write) => write.buckets.map((bucket) => bucket.bucketStart));
    try {
      await this.partitions.ensureFor(bucketStarts);
      try {
        await writePartitionBatches(this.db, writes);
      } catch (error) {
        if (!isMissingPartitionError(error)) throw error;
        // Another worker dropped a day we thought existed: re-read the partitions and write once more.
        this.partitions.invalidate();
        await this.partitions.ensureFor(bucketStarts);
        await writePartitionBatches(this.db, writes);
      }
    } catch (error) {
      for (const queued of group) queued.reject(error);
      return;
    }
    for (const queued of group) queued.resolve();
  }
}
