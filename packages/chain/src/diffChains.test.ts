import { describe, expect, it } from "vitest";
import { createModule } from "./createModule.ts";
import { diffChains } from "./diffChains.ts";
import type { Chain, ChainModule } from "./schema.ts";

const chainOf = (...modules: ChainModule[]): Chain => ({ schemaVersion: 1, modules });
const eq = createModule("eq", "eq");
const comp = createModule("compressor", "comp");
const lim = createModule("limiter", "lim");
const out = createModule("output", "out");

describe("diffChains", () => {
  it("finds nothing between equal chains", () => {
    expect(diffChains(chainOf(eq, comp, lim), chainOf(eq, comp, lim))).toEqual([]);
    expect(diffChains(chainOf(), chainOf())).toEqual([]);
  });

  it("lists parameter changes one by one, in parameter order", () => {
    const after = createModule("limiter", "lim", { releaseMs: 50, ceilingDbtp: -0.3 });
    expect(diffChains(chainOf(lim), chainOf(after))).toEqual([
      { kind: "param", moduleId: "lim", type: "limiter", key: "ceilingDbtp", from: -1, to: -0.3 },
      { kind: "param", moduleId: "lim", type: "limiter", key: "releaseMs", from: 100, to: 50 },
    ]);
  });

  it("reports enum, boolean and bypass changes", () => {
    const before = createModule("eq", "eq");
    const after = createModule("eq", "eq", { b2Mode: "side", b6On: false }, { bypass: true });
    expect(diffChains(chainOf(before), chainOf(after))).toEqual([
      { kind: "bypass", moduleId: "eq", type: "eq", from: false, to: true },
      { kind: "param", moduleId: "eq", type: "eq", key: "b2Mode", from: "stereo", to: "side" },
      { kind: "param", moduleId: "eq", type: "eq", key: "b6On", from: true, to: false },
    ]);
  });

  it("reports added and removed modules with their positions", () => {
    expect(diffChains(chainOf(eq, lim), chainOf(eq, comp, lim, out))).toEqual([
      { kind: "added", moduleId: "comp", type: "compressor", to: 1 },
      { kind: "added", moduleId: "out", type: "output", to: 3 },
    ]);
    expect(diffChains(chainOf(eq, comp, lim), chainOf(lim))).toEqual([
      { kind: "removed", moduleId: "eq", type: "eq", from: 0 },
      { kind: "removed", moduleId: "comp", type: "compressor", from: 1 },
    ]);
  });

  it("reports one move when one module moves, not every shifted neighbour", () => {
    const sat = createModule("saturation", "sat");
    const img = createModule("imager", "img");
    expect(diffChains(chainOf(eq, comp, sat, img, lim), chainOf(comp, sat, img, eq, lim))).toEqual([
      { kind: "moved", moduleId: "eq", type: "eq", from: 0, to: 3 },
    ]);
    expect(diffChains(chainOf(eq, comp), chainOf(comp, eq))).toHaveLength(1);
  });

  it("treats a new type under an old id as removed + added", () => {
    const trimAsComp = createModule("trim", "comp");
    expect(diffChains(chainOf(comp), chainOf(trimAsComp))).toEqual([
      { kind: "removed", moduleId: "comp", type: "compressor", from: 0 },
      { kind: "added", moduleId: "comp", type: "trim", to: 0 },
    ]);
  });

  it("combines a move with the edits of the moved module", () => {
    const edited = createModule("compressor", "comp", { ratio: 4 }, { bypass: true });
    // A swap of two is one move; which of the two is reported is fixed (the earlier one in `a`).
    expect(diffChains(chainOf(eq, comp), chainOf(edited, eq))).toEqual([
      { kind: "bypass", moduleId: "comp", type: "compressor", from: false, to: true },
      { kind: "param", moduleId: "comp", type: "compressor", key: "ratio", from: 2, to: 4 },
      { kind: "moved", moduleId: "eq", type: "eq", from: 0, to: 1 },
    ]);
    const sat = createModule("saturation", "sat");
    expect(diffChains(chainOf(eq, comp, sat), chainOf(sat, eq, edited))).toEqual([
      { kind: "moved", moduleId: "sat", type: "saturation", from: 2, to: 0 },
      { kind: "bypass", moduleId: "comp", type: "compressor", from: false, to: true },
      { kind: "param", moduleId: "comp", type: "compressor", key: "ratio", from: 2, to: 4 },
    ]);
  });
});
