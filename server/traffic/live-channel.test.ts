import { describe, expect, it } from "vitest";
import { chunkChanges, parseChanges, type BucketChange } from "./live-channel";

describe("traffic change notifications", () => {
  it("splits large change sets into payloads Postgres NOTIFY accepts, losing none", () => {
    const changes: BucketChange[] = Array.from({ length: 2_000 }, (_, i) => [
      "FR",
      `sport-${i % 15}`,
      1_767_225_600_000 + i * 10_000,
      i,
      i + 1,
    ]);
    const payloads = chunkChanges(changes);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8_000);
    expect(payloads.flatMap(parseChanges)).toEqual(changes);
  });

  it("rejects a payload of the wrong shape", () => {
    expect(() => parseChanges('[["FR","athletics","soon",1,2]]')).toThrow();
  });
});
