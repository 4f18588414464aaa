import { describe, expect, expectTypeOf, it } from "vitest";
import { ChainError } from "./errors.ts";
import {
  defaultParams,
  findParamSpec,
  isModuleType,
  MODULE_SPECS,
  MODULE_TYPES,
  type ModuleParams,
  moduleSpec,
  type ParamKey,
  paramSpec,
} from "./moduleSpecs.ts";
import type { ParamSpec } from "./paramSpec.ts";
import type { ChainModule, ModuleOf } from "./schema.ts";

const allSpecs = MODULE_TYPES.flatMap((type) =>
  (MODULE_SPECS[type].params as readonly ParamSpec[]).map((spec) => [`${type}.${spec.key}`, spec] as const),
);

describe("MODULE_SPECS", () => {
  it("lists the thirteen module types under their own names", () => {
    expect(MODULE_TYPES).toEqual([
      "trim",
      "highpass",
      "eq",
      "compressor",
      "multiband",
      "saturation",
      "imager",
      "deesser",
      "reverb",
      "loudness",
      "limiter",
      "fade",
      "output",
    ]);
    for (const type of MODULE_TYPES) {
      const spec = MODULE_SPECS[type];
      expect(spec.type).toBe(type);
      expect(spec.label.length).toBeGreaterThan(0);
      expect(spec.description.length).toBeGreaterThan(0);
      expect(spec.params.length).toBeGreaterThan(0);
    }
  });

  it.each(MODULE_TYPES)("%s: parameter keys are unique flat identifiers", (type) => {
    const keys = (MODULE_SPECS[type].params as readonly ParamSpec[]).map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-z][A-Za-z0-9]*$/);
  });

  it.each(allSpecs)("%s: range and default are consistent", (_, spec) => {
    expect(spec.label.length).toBeGreaterThan(0);
    switch (spec.kind) {
      case "number":
        expect(Number.isFinite(spec.min) && Number.isFinite(spec.max)).toBe(true);
        expect(spec.min).toBeLessThan(spec.max);
        expect(spec.default).toBeGreaterThanOrEqual(spec.min);
        expect(spec.default).toBeLessThanOrEqual(spec.max);
        if (spec.scale === "log") expect(spec.min).toBeGreaterThan(0);
        if (spec.step !== undefined) expect(spec.step).toBeGreaterThan(0);
        break;
      case "enum":
        expect(spec.options.length).toBeGreaterThanOrEqual(2);
        expect(new Set(spec.options).size).toBe(spec.options.length);
        expect(spec.options).toContain(spec.default);
        break;
      case "boolean":
        expect(typeof spec.default).toBe("boolean");
        break;
    }
  });

  it("has the mastering ranges the design asks for", () => {
    expect(paramSpec("limiter", "ceilingDbtp")).toMatchObject({ min: -12, max: 0, default: -1, unit: "dBTP" });
    expect(paramSpec("limiter", "truePeak")).toMatchObject({ kind: "boolean", default: true });
    expect(paramSpec("loudness", "targetLufs")).toMatchObject({ min: -30, max: -5, default: -14, unit: "LUFS" });
    expect(paramSpec("eq", "b3Freq")).toMatchObject({ min: 20, max: 20_000, scale: "log", unit: "Hz" });
    expect(paramSpec("eq", "b6Q")).toMatchObject({ min: 0.1, max: 10, scale: "log" });
    expect(paramSpec("compressor", "ratio")).toMatchObject({ min: 1, max: 20, scale: "log", unit: "ratio" });
    expect(paramSpec("output", "dither")).toMatchObject({ options: ["none", "tpdf", "tpdfShaped"], default: "tpdf" });
    expect(paramSpec("highpass", "freqHz")).toMatchObject({ min: 5, max: 150, scale: "log" });
    expect(paramSpec("reverb", "mixPct")).toMatchObject({ min: 0, max: 30 });
    expect(paramSpec("imager", "monoBelowHz")).toMatchObject({ min: 0, max: 300, default: 0, scale: "linear" });
  });

  it("gives each EQ band six prefixed keys and each multiband band five", () => {
    const eqKeys = (MODULE_SPECS.eq.params as readonly ParamSpec[]).map((s) => s.key);
    expect(eqKeys).toHaveLength(36);
    expect(eqKeys.slice(0, 6)).toEqual(["b1Type", "b1Freq", "b1Gain", "b1Q", "b1Mode", "b1On"]);
    const mbKeys = (MODULE_SPECS.multiband.params as readonly ParamSpec[]).map((s) => s.key);
    expect(mbKeys).toHaveLength(4 + 4 * 5);
    expect(mbKeys).toContain("b4ReleaseMs");
  });

  it("orders the multiband crossover defaults", () => {
    const d = defaultParams("multiband");
    expect(d.crossover1Hz).toBeLessThan(d.crossover2Hz);
    expect(d.crossover2Hz).toBeLessThan(d.crossover3Hz);
  });
});

describe("lookups", () => {
  it("defaultParams returns a fresh object with every key at its default", () => {
    const a = defaultParams("limiter");
    expect(a).toEqual({ ceilingDbtp: -1, releaseMs: 100, lookaheadMs: 5, truePeak: true, stereoLinkPct: 100 });
    a.ceilingDbtp = -3;
    expect(defaultParams("limiter").ceilingDbtp).toBe(-1);
  });

  it("paramSpec and moduleSpec refuse what does not exist", () => {
    expect(() => paramSpec("limiter", "nope" as ParamKey<"limiter">)).toThrow(ChainError);
    expect(() => paramSpec("limiter", "nope" as ParamKey<"limiter">)).toThrow(/limiter has no parameter "nope"/);
    expect(() => moduleSpec("nope" as "trim")).toThrow(/unknown module type "nope"/);
    expect(findParamSpec("limiter", "constructor")).toBeUndefined();
    expect(findParamSpec("toString", "x")).toBeUndefined();
    expect(isModuleType("toString")).toBe(false);
    expect(isModuleType("eq")).toBe(true);
  });

  it("derives parameter types from the specs", () => {
    expectTypeOf<ModuleParams<"limiter">>().toEqualTypeOf<{
      ceilingDbtp: number;
      releaseMs: number;
      lookaheadMs: number;
      truePeak: boolean;
      stereoLinkPct: number;
    }>();
    expectTypeOf<ModuleParams<"output">["bitDepth"]>().toEqualTypeOf<"16" | "24" | "32f">();
    expectTypeOf<ModuleParams<"eq">["b6Mode"]>().toEqualTypeOf<"stereo" | "mid" | "side">();
    expectTypeOf<ModuleOf<"limiter">["params"]>().toEqualTypeOf<ModuleParams<"limiter">>();
    expectTypeOf<ChainModule["type"]>().toEqualTypeOf<(typeof MODULE_TYPES)[number]>();
  });
});
