import { describe, expect, it } from "vitest";
import { InProcessTransport } from "./inproc-transport";
import { partitionForKey, type StreamBatch } from "./transport";

describe("in-process transport", () => {
  it("delivers every message once, in order per key, with consecutive offsets per partition", async () => {
    const transport = new InProcessTransport();
    await transport.ensureTopic("actions", 3);
    const batches: StreamBatch[] = [];
    const subscription = await transport.consume({
      groupId: "g",
      topic: "actions",
      onBatch: async (batch) => {
        batches.push(batch);
      },
    });
    const messages = Array.from({ length: 3_000 }, (_, i) => ({ key: `K${i % 7}`, value: String(i) }));
    await transport.send("actions", messages.slice(0, 1_500));
    await transport.send("actions", messages.slice(1_500));
    await expect.poll(() => batches.reduce((n, b) => n + b.records.length, 0)).toBe(3_000);
    await subscription.stop();
    await transport.close();

    const perKey = new Map<string, number[]>();
    for (const batch of batches) {
      for (const record of batch.records) {
        expect(partitionForKey(record.key!, 3)).toBe(batch.partition);
        const list = perKey.get(record.key!) ?? [];
        list.push(Number(record.value!.toString()));
        perKey.set(record.key!, list);
      }
    }
    for (const values of perKey.values()) expect(values).toEqual([...values].sort((a, b) => a - b));
    for (const partition of [0, 1, 2]) {
      const offsets = batches
        .filter((b) => b.partition === partition)
        .flatMap((b) => b.records.map((r) => Number(r.offset)));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    expect(transport.lag("actions")).toBe(0);
  });

  it("delivers a failed batch again, after a back-off, from the same offset", async () => {
    const transport = new InProcessTransport();
    await transport.ensureTopic("actions", 1);
    const seen: string[] = [];
    const retries: number[] = [];
    let failuresLeft = 2;
    const subscription = await transport.consume({
      groupId: "g",
      topic: "actions",
      onBatch: async (batch) => {
        if (failuresLeft-- > 0) throw new Error("Postgres is busy");
        seen.push(...batch.records.map((record) => record.offset));
      },
      onRetry: (_error, _partition, attempt) => retries.push(attempt),
    });
    await transport.send(
      "actions",
      Array.from({ length: 5 }, (_, i) => ({ key: "K", value: String(i) })),
    );
    await expect.poll(() => seen.length).toBe(5);
    await subscription.stop();
    await transport.close();
    expect(seen).toEqual(["0", "1", "2", "3", "4"]);
    expect(retries).toEqual([1, 2]);
    expect(transport.lag("actions")).toBe(0);
  });
});
