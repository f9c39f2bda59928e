// Waits until a local Kafka broker serves clients, and until its group coordinator can take consumer groups.
import { setTimeout as sleep } from "node:timers/promises";
import { Kafka, logLevel } from "kafkajs";
import { KafkaBrokerError } from "./run";

/**
 * Waits until every `__consumer_offsets` partition has a loaded group coordinator, so a consumer group joins
 * without "coordinator not available / loading" retries. Creates the topic on a fresh broker as a side effect.
 */
export async function waitForGroupCoordinator(brokers: string, timeoutMs = 60_000): Promise<void> {
  const admin = quietClient(brokers).admin();
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  const until = async (attempt: () => Promise<void>) => {
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        lastError = error;
        if (Date.now() > deadline) {
          throw new KafkaBrokerError(
            `Group coordinator on ${brokers} not ready after ${timeoutMs} ms: ${String(lastError)}`,
          );
        }
        await sleep(200);
      }
    }
  };
  try {
    await until(() => admin.connect());
    // The first FindCoordinator makes the broker create __consumer_offsets.
    await until(async () => void (await admin.describeGroups(["peaklight-coordinator-probe"])));
    let partitions = 0;
    await until(async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: ["__consumer_offsets"] });
      partitions = topics[0]?.partitions.length ?? 0;
      if (partitions === 0) throw new Error("__consumer_offsets has no partitions yet");
    });
    const probes = groupIdsCoveringPartitions(partitions);
    await until(async () => void (await admin.describeGroups(probes)));
  } finally {
    await admin.disconnect();
  }
}

// Kafka places a group on partition abs(javaStringHash(groupId)) % partitions; one probe group per partition.
function groupIdsCoveringPartitions(partitions: number): string[] {
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < partitions; i++) {
    const groupId = `peaklight-coordinator-probe-${i}`;
    let hash = 0;
    for (let c = 0; c < groupId.length; c++) hash = (Math.imul(31, hash) + groupId.charCodeAt(c)) | 0;
    const partition = (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions;
    if (!byPartition.has(partition)) byPartition.set(partition, groupId);
  }
  return [...byPartition.values()];
}

export async function waitUntilServing(brokers: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const admin = quietClient(brokers).admin();
    try {
      await admin.connect();
      // Metadata lists only unfenced brokers, so seeing ours means it has caught up and takes requests.
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0) return;
      lastError = new Error("the broker is not registered yet");
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(250);
  }
  throw new Error(`not serving after ${timeoutMs / 1000} s (last error: ${String(lastError)})`);
}

function quietClient(brokers: string): Kafka {
  return new Kafka({
    clientId: "peaklight-kafka-probe",
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
}
