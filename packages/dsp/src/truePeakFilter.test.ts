import { describe, expect, it } from "vitest";
import { HALF_TAPS, interpolatorPhases, oversamplingFactor, TAPS, worstCaseGain } from "./truePeakFilter";

/** |Σ_t c[t]·e^{−iω·j}| with j = HALF_TAPS − 1 − t the delay of tap t: a branch's gain at ω. */
function branchGainDb(c: Float64Array, omega: number): number {
  let re = 0;
  let im = 0;
  for (let t = 0; t < TAPS; t++) {
    const j = HALF_TAPS - 1 - t;
    re += c[t]! * Math.cos(omega * j);
    im -= c[t]! * Math.sin(omega * j);
  }
  return 20 * Math.log10(Math.hypot(re, im));
}

describe("true-peak interpolation filter", () => {
  it("oversamples as BS.1770-4 Annex 2 asks: 4× below 96 kHz, 2× below 192 kHz, 1× from 192 kHz", () => {
    expect([44_100, 48_000, 88_200, 96_000, 176_400, 192_000, 384_000].map(oversamplingFactor)).toEqual([
      4, 4, 4, 2, 2, 1, 1,
    ]);
  });

  it("has mirror-image branches (p and R − p) and a symmetric half-sample branch", () => {
    const [c1, c2, c3] = interpolatorPhases(4) as [Float64Array, Float64Array, Float64Array];
    for (let t = 0; t < TAPS; t++) {
      expect(c3[t]).toBe(c1[TAPS - 1 - t]);
      expect(c2[t]).toBe(c2[TAPS - 1 - t]);
    }
  });

  it.each([2, 4])("is flat to ±0.01 dB up to 0.35·fs and within 0.25 dB at 0.4·fs (%i×)", (factor) => {
    for (const c of interpolatorPhases(factor)) {
      expect(Math.abs(branchGainDb(c, 0))).toBeLessThan(0.01);
      for (let f = 0.01; f <= 0.35; f += 0.01) expect(Math.abs(branchGainDb(c, 2 * Math.PI * f))).toBeLessThan(0.01);
      expect(Math.abs(branchGainDb(c, 2 * Math.PI * 0.4))).toBeLessThan(0.25);
    }
  });

  it("bounds its output: worst-case gain is Σ|h| of the worst branch", () => {
    const phases = interpolatorPhases(4);
    const g = worstCaseGain(phases);
    expect(g).toBeGreaterThan(1.9);
    expect(g).toBeLessThan(2.2);
    expect(worstCaseGain([])).toBe(1);
  });
});
