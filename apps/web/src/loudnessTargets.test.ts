import { describe, expect, it } from "vitest";
import { formatLufs, LOUDNESS_TARGETS } from "./loudnessTargets";

describe("formatLufs", () => {
  it("uses a real minus sign and one decimal", () => {
    expect(formatLufs(-14)).toBe("−14.0 LUFS");
    expect(formatLufs(-0.04, "dBTP")).toBe("0.0 dBTP");
    expect(formatLufs(1.25, "dBTP")).toBe("1.3 dBTP");
  });
  it("reads silence as minus infinity", () => {
    expect(formatLufs(null)).toBe("−∞ LUFS");
  });
});

describe("LOUDNESS_TARGETS", () => {
  it("has unique ids and ceilings at or below 0 dBTP", () => {
    expect(new Set(LOUDNESS_TARGETS.map((t) => t.id)).size).toBe(LOUDNESS_TARGETS.length);
    for (const t of LOUDNESS_TARGETS) expect(t.truePeakDbtp).toBeLessThanOrEqual(0);
  });
});
