import { describe, expect, it } from "vitest";
import { loudnessTargetOf, soundSignature } from "./loudnessTarget.ts";
import { presetChain } from "./presets.ts";
import type { Chain } from "./schema.ts";

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

describe("soundSignature", () => {
  const chain = presetChain("streaming");
  const withModules = (modules: Chain["modules"]): Chain => ({ ...chain, modules });
  const set = (type: string, patch: object) =>
    withModules(chain.modules.map((m) => (m.type === type ? ({ ...m, ...patch } as typeof m) : m)));

  it("changes with anything that changes the sound", () => {
    const base = soundSignature(chain);
    const eq = chain.modules.find((m) => m.type === "eq")!;
    const on = set("eq", { bypass: !eq.bypass });
    expect(soundSignature(on)).not.toBe(base);
    const edited = set("limiter", {
      params: { ...chain.modules.find((m) => m.type === "limiter")!.params, ceilingDbtp: -2 },
    });
    expect(soundSignature(edited)).not.toBe(base);
    const reversed = withModules([...chain.modules].reverse());
    expect(soundSignature(reversed)).not.toBe(base);
    expect(soundSignature(withModules(chain.modules.slice(1)))).not.toBe(base);
  });

  it("ignores ids, parameter order and the parameters of a bypassed module", () => {
    const base = soundSignature(chain);
    const renamed = withModules(chain.modules.map((m, i) => ({ ...m, id: `other-${i}` })));
    expect(soundSignature(renamed)).toBe(base);
    const shuffled = withModules(
      chain.modules.map((m) => ({ ...m, params: Object.fromEntries(Object.entries(m.params).reverse()) }) as typeof m),
    );
    expect(soundSignature(shuffled)).toBe(base);
    const off = set("eq", { bypass: true });
    const eqParams = off.modules.find((m) => m.type === "eq")!.params;
    const offEdited = set("eq", { bypass: true, params: { ...eqParams, b2Gain: 5 } });
    expect(soundSignature(offEdited)).toBe(soundSignature(off));
  });
});
