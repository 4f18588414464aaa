import { describe, expect, it } from "vitest";
import { DecoupledPeakDetector, smoothBranchingStep, timeConstantCoef } from "./envelope";

const FS = 48_000;

describe("level detectors (Giannoulis et al. 2012)", () => {
  it("Eq. (7): a one-pole with α = exp(−1/(τ·fs)) reaches 1 − 1/e of a step after τ·fs samples", () => {
    for (const ms of [0.125, 1, 30, 2000]) {
      const a = timeConstantCoef(ms, FS);
      const n = (ms * FS) / 1000; // an integer for these times
      let y = 0;
      for (let i = 0; i < n; i++) y = a * y + (1 - a);
      expect(y).toBeCloseTo(1 - Math.exp(-1), 9);
    }
    expect(timeConstantCoef(0, FS)).toBe(0);
  });

  it("Eq. (16): the smooth branching detector rises with α_A and falls with α_R", () => {
    const aA = timeConstantCoef(5, FS);
    const aR = timeConstantCoef(50, FS);
    let y = 0;
    for (let i = 0; i < 240; i++) y = smoothBranchingStep(y, 10, aA, aR); // τ_A = 240 samples
    expect(y).toBeCloseTo(10 * (1 - Math.exp(-1)), 6);
    const top = y;
    for (let i = 0; i < 2400; i++) y = smoothBranchingStep(y, 0, aA, aR); // τ_R = 2400 samples
    expect(y).toBeCloseTo(top * Math.exp(-1), 6);
  });

  it("Eq. (17): the decoupled detector's attack is the one-pole of τ_A; its release τ_R then τ_A", () => {
    const det = new DecoupledPeakDetector(2);
    det.setTimes(5, 50, FS);
    let y = 0;
    for (let i = 0; i < 240; i++) y = det.step(1, 10);
    expect(y).toBeCloseTo(10 * (1 - Math.exp(-1)), 6);
    for (let i = 0; i < FS; i++) det.step(1, 10);
    // Release: y_1 decays with τ_R and y_L follows with τ_A:
    // y_L(t)/y_L(0) = (τ_R·e^(−t/τ_R) − τ_A·e^(−t/τ_A))/(τ_R − τ_A).
    const n = 2400;
    for (let i = 0; i < n; i++) y = det.step(1, 0);
    const tR = 2400;
    const tA = 240;
    expect(y / 10).toBeCloseTo((tR * Math.exp(-n / tR) - tA * Math.exp(-n / tA)) / (tR - tA), 3);
    expect(det.value(0)).toBe(0); // channels are independent
  });

  it("Eq. (17): holds the peak between the crests of a tone (the release stage bridges them)", () => {
    const det = new DecoupledPeakDetector(1);
    det.setTimes(10, 200, FS);
    let min = Infinity;
    for (let i = 0; i < FS; i++) {
      const xL = 12 * Math.max(0, Math.abs(Math.sin((2 * Math.PI * 1000 * i) / FS)) - 0.3); // 0 near zero crossings
      const y = det.step(0, xL);
      if (i > FS / 2) min = Math.min(min, y);
    }
    expect(min).toBeGreaterThan(12 * 0.7 - 0.05);
  });

  it("flushes to exactly 0 on silence (no subnormals)", () => {
    const det = new DecoupledPeakDetector(1);
    det.setTimes(1, 5, FS);
    det.step(0, 20);
    let y = 1;
    for (let i = 0; i < FS; i++) y = det.step(0, 0);
    expect(y).toBe(0);
  });
});
