import { describe, expect, it } from "vitest";
import { dayOfPartition, dayStartOf, partitionNameFor } from "./partitions";

describe("day partitions", () => {
  it("names a UTC day's partition and reads the day back from the name", () => {
    const day = Date.UTC(2026, 6, 24);
    expect(partitionNameFor(day)).toBe("traffic_bucket_p20260724");
    expect(dayOfPartition("traffic_bucket_p20260724")).toBe(day);
    expect(dayOfPartition("traffic_minute")).toBeUndefined();
  });

  it("puts the last window of a day in that day and midnight in the next", () => {
    const day = Date.UTC(2026, 6, 24);
    expect(dayStartOf(day + 86_399_990)).toBe(day);
    expect(dayStartOf(day + 86_400_000)).toBe(day + 86_400_000);
  });
});
