import { describe, expect, it } from "vitest";
import { statusLook, STATUS_LOOK } from "./status-colors";

describe("status colours", () => {
  it("gives every status a distinct colour and unknown ones a neutral look", () => {
    const colors = Object.values(STATUS_LOOK).map((look) => look.color);
    expect(new Set(colors).size).toBe(colors.length);
    expect(statusLook("open")).toBe(STATUS_LOOK.open);
    expect(statusLook("something-new").label).toBe("something-new");
  });
});
