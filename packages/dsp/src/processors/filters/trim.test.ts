import { describe, expect, it } from "vitest";
import { blockSizeRuns, randomBlock } from "./testSupport";
import { TrimProcessor } from "./trim";

const spec = { sampleRate: 48_000, channels: 2, maxBlockFrames: 8192 };

describe("TrimProcessor", () => {
  it("is exactly transparent at 0 dB", () => {
    const t = new TrimProcessor({ gainDb: 0 });
    t.prepare(spec);
    const input = randomBlock(1000);
    const out = input.map((c) => c.slice());
    t.process(out, 1000);
    expect(out).toEqual(input);
  });

  it("multiplies by 10^(gainDb/20), rounded once to float32", () => {
    const t = new TrimProcessor({ gainDb: 0 });
    t.setParams({ gainDb: -6 }); // before prepare: from the first sample, no glide
    t.prepare(spec);
    const input = randomBlock(500);
    const out = input.map((c) => c.slice());
    t.process(out, 500);
    const g = 10 ** (-6 / 20);
    expect(g).toBeCloseTo(0.501187233627, 12);
    for (let ch = 0; ch < 2; ch++) {
      for (let i = 0; i < 500; i++) expect(out[ch]![i]).toBe(Math.fround(input[ch]![i]! * g));
    }
  });

  it("glides a live edit linearly over 20 ms, then holds the exact gain", () => {
    const t = new TrimProcessor({ gainDb: 0 });
    t.prepare(spec);
    t.setParams({ gainDb: -6 });
    const n = 2000;
    const out = [new Float32Array(n).fill(1), new Float32Array(n).fill(1)];
    t.process(out, n);
    const g = 10 ** (-6 / 20);
    const glide = 0.02 * spec.sampleRate;
    for (let i = 0; i < n; i++) {
      const want = i < glide - 1 ? 1 + ((g - 1) * (i + 1)) / glide : g;
      expect(out[0]![i]).toBeCloseTo(want, 6);
      expect(out[1]![i]).toBe(out[0]![i]);
    }
    expect(out[0]![glide - 1]).toBe(Math.fround(g));
  });

  it("is block-size invariant", () => {
    const make = () => {
      const t = new TrimProcessor({ gainDb: 3.7 });
      t.prepare(spec);
      return t;
    };
    const { one, sizes } = blockSizeRuns(make, randomBlock(20_000));
    for (const s of sizes) expect(s).toEqual(sizes[0]);
    expect(one).toEqual(sizes[0]!.map((c) => c.subarray(0, 3000)));
  });

  it("refuses process before prepare and non-finite gains", () => {
    const t = new TrimProcessor();
    expect(() => t.process([new Float32Array(4)], 4)).toThrow(expect.objectContaining({ code: "INVALID_STATE" }));
    expect(() => t.setParams({ gainDb: Number.NaN })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(t.latencyFrames).toBe(0);
  });
});
