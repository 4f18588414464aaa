import { describe, expect, it } from "vitest";
import { concat, pinkNoise, prng, sine, whiteNoise } from "./signals";

const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe("test signals", () => {
  it("prng is deterministic per seed and uniform on [0, 1)", () => {
    const a = prng(123);
    const b = prng(123);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, v) => s + v, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(prng(124)()).not.toBe(prng(123)());
  });

  it("sine has the requested length, peak level, phase and channel count", () => {
    const x = sine({
      sampleRate: 48_000,
      frequency: 1000,
      amplitudeDbfs: -6,
      seconds: 0.5,
      phase: Math.PI / 2,
      channels: 3,
    });
    expect(x).toHaveLength(3);
    expect(x[0]!.length).toBe(24_000);
    expect(x[0]![0]).toBeCloseTo(10 ** (-6 / 20), 6); // sin(π/2) = 1 at n = 0
    expect(Array.from(x[2]!)).toEqual(Array.from(x[0]!));
    expect(x[1]).not.toBe(x[0]); // copies, not the same array
  });

  it("concat joins per channel", () => {
    const y = concat([Float32Array.of(1), Float32Array.of(2)], [Float32Array.of(3, 4), Float32Array.of(5, 6)]);
    expect(y.map((c) => Array.from(c))).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ]);
    expect(() => concat([Float32Array.of(1)], [Float32Array.of(1), Float32Array.of(2)])).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });

  it("noise has the requested RMS, independent channels, and repeats per seed", () => {
    for (const gen of [whiteNoise, pinkNoise]) {
      const [a, b] = gen({ sampleRate: 48_000, seconds: 0.25, rmsDb: -20, channels: 2, seed: 3 }) as [
        Float32Array,
        Float32Array,
      ];
      expect(20 * Math.log10(rms(a))).toBeCloseTo(-20, 1);
      expect(a[100]).not.toBe(b[100]);
      expect(gen({ sampleRate: 48_000, seconds: 0.25, rmsDb: -20, channels: 2, seed: 3 })[0]).toEqual(a);
    }
  });
});
