import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WaveformOverview } from "./overview";
import { prng } from "./signals";

function run(x: Float32Array[], bins: number, block = 1000) {
  const o = new WaveformOverview(bins);
  o.prepare({ sampleRate: 48_000, channels: x.length, maxBlockFrames: block });
  for (let off = 0; off < x[0]!.length; off += block) {
    const n = Math.min(block, x[0]!.length - off);
    o.process(
      x.map((c) => c.subarray(off, off + n)),
      n,
    );
  }
  return o.result();
}

function noise(frames: number, seed: number): Float32Array {
  const rand = prng(seed);
  return Float32Array.from({ length: frames }, () => rand() * 2 - 1);
}

/** Exact min/max of x over frames [start, end). */
function extremes(x: Float32Array, start: number, end: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < end; i++) {
    lo = Math.min(lo, x[i]!);
    hi = Math.max(hi, x[i]!);
  }
  return [lo, hi];
}

describe("WaveformOverview", () => {
  it("is exact when the length is bins·2^k", () => {
    const bins = 50;
    const x = [noise(bins * 64, 1), noise(bins * 64, 2)];
    const w = run(x, bins, 333);
    expect(w.bins).toBe(bins);
    for (let ch = 0; ch < 2; ch++) {
      for (let j = 0; j < bins; j++) {
        const [lo, hi] = extremes(x[ch]!, j * 64, (j + 1) * 64);
        expect(w.min[ch]![j]).toBe(lo);
        expect(w.max[ch]![j]).toBe(hi);
      }
    }
  });

  it("returns one bin per frame when the audio is shorter than the bin count", () => {
    const x = [Float32Array.from([0.5, -0.25, 0.125])];
    expect(run(x, 10)).toEqual({ bins: 3, min: [[0.5, -0.25, 0.125]], max: [[0.5, -0.25, 0.125]] });
    expect(run([new Float32Array(0)], 10)).toEqual({ bins: 0, min: [[]], max: [[]] });
  });

  it("for any length, each bin covers its slice and borrows less than one bin from its neighbours", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 64 }), (frames, bins) => {
        const x = noise(frames, frames);
        const w = run([x], bins, 97);
        expect(w.bins).toBe(Math.min(bins, frames));
        const width = Math.ceil(frames / w.bins);
        for (let j = 0; j < w.bins; j++) {
          const start = Math.floor((j * frames) / w.bins);
          const end = Math.floor(((j + 1) * frames) / w.bins);
          const [lo, hi] = extremes(x, start, end);
          const [outerLo, outerHi] = extremes(x, Math.max(0, start - width), Math.min(frames, end + width));
          expect(w.max[0]![j]!).toBeGreaterThanOrEqual(hi);
          expect(w.max[0]![j]!).toBeLessThanOrEqual(outerHi);
          expect(w.min[0]![j]!).toBeLessThanOrEqual(lo);
          expect(w.min[0]![j]!).toBeGreaterThanOrEqual(outerLo);
        }
        // Nothing is lost: the global extremes appear.
        const [gLo, gHi] = extremes(x, 0, frames);
        expect(Math.max(...w.max[0]!)).toBe(gHi);
        expect(Math.min(...w.min[0]!)).toBe(gLo);
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it("rejects a bin count that is not a positive integer", () => {
    expect(() => new WaveformOverview(0)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
