import { describe, expect, it } from "vitest";
import { RealFft } from "./fft";
import { prng } from "./signals";

describe("RealFft", () => {
  it.each([4, 8, 16, 32, 64, 512, 2048])("matches a direct DFT (N = %i)", (n) => {
    const rand = prng(n);
    const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    new RealFft(n).forward(x, re, im);
    for (let k = 0; k <= n / 2; k++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < n; t++) {
        sr += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
        si -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
      }
      expect(re[k]).toBeCloseTo(sr, 9);
      expect(im[k]).toBeCloseTo(si, 9);
    }
  });

  it("adds the windowed power spectrum (Parseval)", () => {
    const n = 256;
    const rand = prng(9);
    const x = Float64Array.from({ length: n }, () => rand() - 0.5);
    const w = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    const p = new Float64Array(n / 2 + 1).fill(1);
    new RealFft(n).addPowerSpectrum(x, w, 1, p);
    // Σ_k |X_k|² over all N bins = N·Σ(x·w)²; bins 1 … N/2−1 appear twice.
    let bins = p[0]! - 1 + (p[n / 2]! - 1);
    for (let k = 1; k < n / 2; k++) bins += 2 * (p[k]! - 1);
    let time = 0;
    for (let i = 0; i < n; i++) time += (x[i]! * w[i]!) ** 2;
    expect(bins).toBeCloseTo(n * time, 9);
  });

  it("refuses sizes that are not powers of two", () => {
    expect(() => new RealFft(12)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => new RealFft(2)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
