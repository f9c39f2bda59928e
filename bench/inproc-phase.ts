// The embedded default path end to end: InProcessTransport feeding the real TrafficAggregator, which stores
// every batch in one transaction in a fresh Postgres database. Like the Kafka phase, it consumes a log that
// is already full: producing (encoding the messages to bytes) is not the path under test.
import { InProcessTransport } from "../server/stream/inproc-transport";
import { chunks, messagesPerSend, PARTITIONS, type BenchInput } from "./fixtures";
import { percentiles, startPhaseMeter, waitUntil } from "./measure";
import { measuredPhase, type PhaseResult } from "./report";
import type { BenchServices } from "./services";
import { timedAggregator, verifyStored } from "./timed-aggregator";

const PHASE = "in-process → Postgres";
const TOPIC = "user-actions";

export async function benchInProcessToPostgres(
  input: BenchInput,
  services: BenchServices,
  timeoutMs: number,
): Promise<PhaseResult> {
  const total = input.actionCount;
  const db = await services.freshDatabase("peaklight_bench_inproc");
  const transport = new InProcessTransport();
  await transport.ensureTopic(TOPIC, PARTITIONS);
  for (const chunk of chunks(input.messages, messagesPerSend(input))) await transport.send(TOPIC, chunk);
  const timed = timedAggregator(db, "bench-inproc", TOPIC);
  const meter = startPhaseMeter(services.pids);
  const subscription = await transport.consume({
    groupId: "bench-inproc",
    topic: TOPIC,
    onBatch: timed.onBatch,
    onAssigned: timed.onAssigned,
  });
  try {
    await waitUntil(PHASE, () => timed.stored() >= total, {
      timeoutMs,
      progress: () => `${timed.stored()} of ${total} stored`,
      failed: () => timed.failure,
    });
    const measurement = meter.finish(total);
    await verifyStored(db, PHASE, total);
    const { stats } = timed.aggregator;
    return measuredPhase(PHASE, total, measurement, {
      batches: stats.batches,
      bucketWrites: stats.bucketWrites,
      batchMs: percentiles(timed.batchMs),
    });
  } finally {
    meter.abandon();
    await subscription.stop();
    await transport.close();
  }
}
