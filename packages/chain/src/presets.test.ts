import { describe, expect, it } from "vitest";
import { diffChains } from "./diffChains.ts";
import { ChainError } from "./errors.ts";
import { parseChain } from "./parseChain.ts";
import { PRESET_MODULE_ORDER, PRESET_NAMES, PRESETS, type PresetName, presetChain } from "./presets.ts";
import type { Chain, ModuleOf } from "./schema.ts";

function moduleOf<T extends Chain["modules"][number]["type"]>(chain: Chain, type: T): ModuleOf<T> {
  const found = chain.modules.filter((m) => m.type === type);
  expect(found).toHaveLength(1);
  return found[0] as ModuleOf<T>;
}

/** The targets each preset promises (the delivery specs they are named after). */
const TARGETS: Record<PresetName, { lufs: number; dbtp: number }> = {
  streaming: { lufs: -14, dbtp: -1 },
  apple: { lufs: -16, dbtp: -1 },
  broadcast: { lufs: -23, dbtp: -1 },
  cd: { lufs: -9.5, dbtp: -0.3 },
  podcast: { lufs: -16, dbtp: -1 },
  gentle: { lufs: -14, dbtp: -1 },
  loud: { lufs: -9, dbtp: -1 },
};

describe("PRESETS", () => {
  it("are the seven named presets", () => {
    expect([...PRESET_NAMES].sort()).toEqual(Object.keys(TARGETS).sort());
  });

  it.each(PRESET_NAMES)("%s parses, in mastering order, with a label and description", (name) => {
    const chain = presetChain(name);
    expect(parseChain(JSON.parse(JSON.stringify(chain)))).toEqual(chain);
    expect(chain.modules.map((m) => m.type)).toEqual([...PRESET_MODULE_ORDER]);
    expect(PRESETS[name].label.length).toBeGreaterThan(0);
    expect(PRESETS[name].description.length).toBeGreaterThan(20);
  });

  it.each(PRESET_NAMES)("%s hits its stated loudness and true-peak targets", (name) => {
    const chain = presetChain(name);
    const { lufs, dbtp } = TARGETS[name];
    expect(PRESETS[name]).toMatchObject({ targetLufs: lufs, ceilingDbtp: dbtp });
    const loudness = moduleOf(chain, "loudness");
    const limiter = moduleOf(chain, "limiter");
    expect(loudness).toMatchObject({ bypass: false, params: { targetLufs: lufs } });
    expect(limiter).toMatchObject({ bypass: false, params: { ceilingDbtp: dbtp, truePeak: true } });
    expect(moduleOf(chain, "output").bypass).toBe(false);
  });

  it.each(PRESET_NAMES)("%s keeps reverb and fades out of the way", (name) => {
    const chain = presetChain(name);
    const reverb = moduleOf(chain, "reverb");
    expect(reverb.bypass || reverb.params.mixPct <= 5).toBe(true);
    const fade = moduleOf(chain, "fade");
    expect(fade.bypass || (fade.params.inS === 0 && fade.params.outS === 0)).toBe(true);
  });

  it("cd writes 44.1 kHz / 16-bit with noise-shaped dither", () => {
    expect(moduleOf(presetChain("cd"), "output").params).toEqual({
      sampleRate: "44100",
      bitDepth: "16",
      dither: "tpdfShaped",
    });
  });

  it("podcast is mono-compatible and de-essed", () => {
    const chain = presetChain("podcast");
    const imager = moduleOf(chain, "imager").params;
    expect(imager.monoBelowHz).toBeGreaterThan(0);
    for (const w of [imager.widthPct, imager.lowWidthPct, imager.midWidthPct, imager.highWidthPct]) {
      expect(w).toBeLessThanOrEqual(100);
    }
    expect(moduleOf(chain, "deesser").bypass).toBe(false);
  });

  it("loud compresses harder than gentle and adds saturation", () => {
    const loud = presetChain("loud");
    const gentle = presetChain("gentle");
    expect(moduleOf(loud, "compressor").params.ratio).toBeGreaterThan(moduleOf(gentle, "compressor").params.ratio);
    expect(moduleOf(loud, "saturation").bypass).toBe(false);
    expect(moduleOf(loud, "multiband").bypass).toBe(false);
    expect(moduleOf(gentle, "saturation").bypass).toBe(true);
  });

  it("share module ids, so switching presets is a parameter diff", () => {
    const changes = diffChains(presetChain("streaming"), presetChain("apple"));
    expect(changes).toEqual([
      { kind: "param", moduleId: "loudness", type: "loudness", key: "targetLufs", from: -14, to: -16 },
    ]);
  });
});

describe("presetChain", () => {
  it("returns a fresh chain each time", () => {
    const a = presetChain("streaming");
    moduleOf(a, "limiter").params.ceilingDbtp = -5;
    expect(moduleOf(presetChain("streaming"), "limiter").params.ceilingDbtp).toBe(-1);
  });

  it("applies target overrides, validated", () => {
    const chain = presetChain("streaming", { targetLufs: -11, ceilingDbtp: -0.5 });
    expect(moduleOf(chain, "loudness").params.targetLufs).toBe(-11);
    expect(moduleOf(chain, "limiter").params.ceilingDbtp).toBe(-0.5);
    expect(() => presetChain("streaming", { targetLufs: -40 })).toThrow(
      'module "loudness" (loudness): targetLufs = \u221240 is out of range \u221230\u2026\u22125 LUFS',
    );
  });

  it("refuses an unknown preset", () => {
    expect(() => presetChain("spotify" as PresetName)).toThrow(ChainError);
    expect(() => presetChain("toString" as PresetName)).toThrow(/unknown preset "toString"; known: streaming, apple/);
  });
});
