import { describe, expect, it } from "vitest";
import { chunkBandChanges, parseBandChanges, type BandChange } from "./band-channel";

describe("band channel payloads", () => {
  it("round-trips judged buckets in payloads under the NOTIFY limit", () => {
    const changes: BandChange[] = Array.from({ length: 400 }, (_, index) => [
      "FR",
      "football",
      1_700_000_000_000 + index * 10_000,
      120.5,
      80.25,
      160.75,
      1_000 + index,
    ]);
    const payloads = chunkBandChanges(changes);
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.every((payload) => Buffer.byteLength(payload) < 8_000)).toBe(true);
    expect(payloads.flatMap(parseBandChanges)).toEqual(changes);
    expect(chunkBandChanges([])).toEqual([]);
    expect(() => parseBandChanges('[["FR","football",1]]')).toThrow();
  });
});
