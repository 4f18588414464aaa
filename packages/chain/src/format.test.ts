import { describe, expect, it } from "vitest";
import { describeModule, describeValue, formatNumber, formatParamValue, formatRange } from "./format.ts";
import { paramSpec } from "./moduleSpecs.ts";
import type { NumberParamSpec } from "./paramSpec.ts";

describe("format", () => {
  it("writes numbers with a real minus sign", () => {
    expect(formatNumber(-12)).toBe("\u221212");
    expect(formatNumber(0.5)).toBe("0.5");
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe("\u2212Infinity");
    expect(formatNumber(-1e-7)).toBe("\u22121e-7");
    expect(formatNumber(1e-7)).toBe("1e-7");
  });

  it("writes ranges and values with their unit", () => {
    expect(formatRange(paramSpec("limiter", "ceilingDbtp") as NumberParamSpec)).toBe("\u221212\u20260 dBTP");
    expect(formatRange(paramSpec("compressor", "ratio") as NumberParamSpec)).toBe("1:1\u202620:1");
    expect(formatRange(paramSpec("reverb", "mixPct") as NumberParamSpec)).toBe("0\u202630 %");
    expect(formatRange(paramSpec("eq", "b1Q") as NumberParamSpec)).toBe("0.1\u202610");
    expect(formatParamValue(paramSpec("limiter", "ceilingDbtp"), -0.3)).toBe("\u22120.3 dBTP");
    expect(formatParamValue(paramSpec("compressor", "ratio"), 4)).toBe("4:1");
    expect(formatParamValue(paramSpec("limiter", "truePeak"), false)).toBe("off");
    expect(formatParamValue(paramSpec("output", "dither"), "tpdf")).toBe("TPDF");
    expect(formatParamValue(paramSpec("output", "bitDepth"), "32f")).toBe("32-bit float");
    expect(formatParamValue(paramSpec("output", "sampleRate"), "keep")).toBe("As the mix");
    expect(formatParamValue(paramSpec("multiband", "bands"), "3")).toBe("3");
  });

  it("describes any value without throwing", () => {
    expect(describeValue("3")).toBe('string "3"');
    expect(describeValue(16)).toBe("number 16");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("nothing");
    expect(describeValue([1])).toBe("an array");
    expect(describeValue({})).toBe("an object");
    expect(describeValue(Object.create(null))).toBe("an object");
    expect(describeValue(10n)).toBe("bigint 10n");
    expect(describeValue(Symbol("s"))).toBe("a symbol");
    expect(describeValue("x".repeat(100))).toBe(`string "${"x".repeat(40)}\u2026"`);
  });

  it("names a module by id when it has a valid one, else by position", () => {
    expect(describeModule("lim", "limiter", 3)).toBe('module "lim" (limiter)');
    expect(describeModule("a b", "limiter", 3)).toBe("modules[3] (limiter)");
    expect(describeModule(7, undefined, 0)).toBe("modules[0]");
  });
});
