import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LookaheadGain } from "./lookaheadGain";

describe("LookaheadGain", () => {
  it("s[n] ≤ target/q[m] for every m in [n − L − 16, n − L] (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 8, noNaN: true }), { minLength: 50, maxLength: 1500 }),
        (lookahead, target, beta, q) => {
          const g = new LookaheadGain(300);
          g.configure(lookahead, target, beta);
          g.restart(1);
          const s = q.map((v) => g.step(v));
          for (let n = 0; n < q.length; n++) {
            for (let m = Math.max(0, n - lookahead - 16); m <= n - lookahead; m++) {
              if (q[m]! > target && s[n]! > (target / q[m]!) * (1 + 1e-12)) return false;
            }
            if (!(s[n]! > 0 && s[n]! <= 1)) return false;
          }
          return true;
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it("is exactly 1 while every q is at or below the target", () => {
    const g = new LookaheadGain(100);
    g.configure(50, 0.5, 0.99);
    g.restart(1);
    for (let i = 0; i < 5000; i++) expect(g.step(0.5 * Math.abs(Math.sin(i)))).toBe(1);
  });

  it("ramps down over the look-ahead along an S-curve and releases exponentially (in dB)", () => {
    const g = new LookaheadGain(100);
    const beta = Math.exp(-1 / 480);
    g.configure(40, 1, beta);
    g.restart(1);
    const s: number[] = [];
    for (let i = 0; i < 3000; i++) s.push(g.step(i === 100 ? 4 : 0));
    // The ramp starts when the peak enters and ends L = 40 steps later, at 1/4 (−12 dB).
    expect(s[99]).toBe(1);
    expect(s[100]).toBeLessThan(1);
    expect(s[140]).toBeCloseTo(0.25, 12);
    for (let n = 101; n <= 140; n++) expect(s[n]!).toBeLessThan(s[n - 1]!);
    // Held for the 17 intervals of the interpolator's reach, then the release (from n = 157 on).
    expect(s[156]).toBeCloseTo(0.25, 12);
    const db0 = 20 * Math.log10(0.25);
    // Far into the release, the averages are smooth: the dB value decays as β^n.
    const k = 1500;
    expect(20 * Math.log10(s[k]!)).toBeCloseTo(db0 * beta ** (k - 156 - 21), 1);
  });
});
