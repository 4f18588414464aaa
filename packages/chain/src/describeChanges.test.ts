import { describe, expect, it } from "vitest";
import { createModule } from "./createModule.ts";
import { describeChanges, describeParamChange } from "./describeChanges.ts";
import type { Chain, ChainModule } from "./schema.ts";

const chainOf = (...modules: ChainModule[]): Chain => ({ schemaVersion: 1, modules });
const eq = createModule("eq", "eq");
const comp = createModule("compressor", "comp");
const sat = createModule("saturation", "sat");
const lim = createModule("limiter", "lim");

describe("describeChanges", () => {
  it("names module and parameter by their labels, with values to the parameter's step and its unit", () => {
    const after = createModule("limiter", "lim", { ceilingDbtp: -0.3, truePeak: false });
    const { changes, lines } = describeChanges(chainOf(lim), chainOf(after));
    expect(changes).toHaveLength(2);
    expect(lines).toEqual([
      "Limiter \u00b7 Ceiling \u22121.0 \u2192 \u22120.3 dBTP",
      "Limiter \u00b7 True peak on \u2192 off",
    ]);
  });

  it("words additions, removals, moves and bypass changes, positions counted from 1", () => {
    const deesser = createModule("deesser", "ds");
    const before = chainOf(eq, comp, sat, lim);
    const after = chainOf(comp, { ...sat, bypass: true }, eq, deesser, lim);
    expect(describeChanges(before, after).lines).toEqual([
      "Bypassed Saturation",
      "Moved Equalizer 1 \u2192 3",
      "Added De-esser",
    ]);
    expect(describeChanges(after, before).lines).toEqual([
      "Removed De-esser",
      "Moved Equalizer 3 \u2192 1",
      "Enabled Saturation",
    ]);
  });

  it("tells two modules of one type apart by their position among them", () => {
    const eq2 = createModule("eq", "eq-2", { b2Gain: 3 });
    expect(describeChanges(chainOf(eq, createModule("eq", "eq-2")), chainOf(eq, eq2)).lines).toEqual([
      "Equalizer 2 \u00b7 Band 2 gain 0.0 \u2192 3.0 dB",
    ]);
  });

  it("writes units on both sides where the unit is part of the number, and choices by their labels", () => {
    expect(describeParamChange("compressor", "ratio", 2, 4)).toBe("2.0:1 \u2192 4.0:1");
    expect(describeParamChange("saturation", "character", "tape", "soft")).toBe("Tape \u2192 Soft clip");
    expect(describeParamChange("eq", "b1Type", "lowShelf", "bell")).toBe("Low shelf \u2192 Bell");
    expect(describeParamChange("multiband", "bands", "4", "3")).toBe("4 \u2192 3"); // no labels: as stored
    expect(describeParamChange("compressor", "attackMs", 30, 12.5)).toBe("30 \u2192 12.5 ms");
    expect(describeParamChange("trim", "gainDb", -0.04, 0)).toBe("0.0 \u2192 0.0 dB");
  });

  it("finds nothing to say between equal chains", () => {
    expect(describeChanges(chainOf(eq, lim), chainOf(eq, lim))).toEqual({ changes: [], lines: [] });
  });
});
