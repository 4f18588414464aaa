import { describe, expect, it } from "vitest";
import { splitRuns } from "./pipelineStage";

const costOf = (costs: number[], runs: [number, number][]) =>
  runs.map(([a, b]) => costs.slice(a, b).reduce((s, c) => s + c, 0));

describe("splitRuns", () => {
  it("cuts the streaming preset's pre-loudness modules into three runs with the smallest bottleneck", () => {
    // highpass, eq, compressor, multiband, saturation, imager, deesser, reverb (COST table values)
    const costs = [0.2, 0.4, 0.35, 1.55, 2.5, 0.07, 1.15, 0.85];
    const runs = splitRuns(costs, 3);
    expect(runs).toEqual([
      [0, 4],
      [4, 5],
      [5, 8],
    ]);
    expect(Math.max(...costOf(costs, runs))).toBeCloseTo(2.5, 9);
  });

  it("covers every module once, in order, whatever the number of runs", () => {
    const costs = [0.3, 2, 0.1, 0.7, 1.5];
    for (let runs = 1; runs <= 6; runs++) {
      const r = splitRuns(costs, runs);
      expect(r).toHaveLength(runs);
      expect(r[0]![0]).toBe(0);
      expect(r[r.length - 1]![1]).toBe(costs.length);
      for (let i = 1; i < r.length; i++) expect(r[i]![0]).toBe(r[i - 1]![1]);
    }
  });

  it("leaves the first run (this thread) empty when that costs the bottleneck nothing", () => {
    // The post-loudness stage: the limiter alone goes to a worker, this thread keeps the output stage.
    expect(splitRuns([1.3], 3)).toEqual([
      [0, 0],
      [0, 0],
      [0, 1],
    ]);
  });
});
