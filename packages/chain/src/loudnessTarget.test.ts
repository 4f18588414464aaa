import { describe, expect, it } from "vitest";
import { loudnessTargetOf } from "./loudnessTarget.ts";
import { presetChain } from "./presets.ts";

describe("loudnessTargetOf", () => {
  it("reads the loudness module's target, and null when it is bypassed or missing", () => {
    const chain = presetChain("streaming", { targetLufs: -16 });
    expect(loudnessTargetOf(chain)).toBe(-16);
    const bypassed = {
      ...chain,
      modules: chain.modules.map((m) => (m.type === "loudness" ? { ...m, bypass: true } : m)),
    };
    expect(loudnessTargetOf(bypassed)).toBeNull();
    expect(loudnessTargetOf({ ...chain, modules: chain.modules.filter((m) => m.type !== "loudness") })).toBeNull();
  });
});
