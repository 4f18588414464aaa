import { describe, expect, it } from "vitest";
import { interpolatorPhases, TAPS } from "../../truePeakFilter";
import { intervalPeak, PEAK_LEFT } from "./oversampledPeak";
import { noise, tone, truePeak } from "./testSupport";
import { GUARD_FRAMES, TruePeakGuard } from "./truePeakGuard";

/** Runs the guard alone (no gain path) over `x`, then GUARD_FRAMES + 64 zeros. */
function guardOnly(x: Float32Array[], limit: number) {
  const g = new TruePeakGuard();
  g.prepare(x.length);
  g.setLimit(limit, true);
  const n = x[0]!.length + GUARD_FRAMES + 64;
  const y = x.map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < x.length; c++) g.push(c, i < x[c]!.length ? x[c]![i]! : 0);
    for (let c = 0; c < x.length; c++) y[c]![i] = g.output(c);
    g.advance();
  }
  return { y, g };
}

describe("intervalPeak", () => {
  it("equals the interpolator of the BS.1770-4 meter, branch by branch", () => {
    const phases = interpolatorPhases(4);
    const b = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.7) + 0.3 * Math.cos(i * 0.2));
    for (let at = 0; at + TAPS <= b.length; at++) {
      let ref = Math.abs(b[at + PEAK_LEFT]!);
      for (const c of phases) {
        let y = 0;
        for (let t = 0; t < TAPS; t++) y += c[t]! * b[at + t]!;
        ref = Math.max(ref, Math.abs(y));
      }
      expect(intervalPeak(b, at)).toBeCloseTo(ref, 13);
    }
  });
});

describe("TruePeakGuard alone (the limiter's safety net)", () => {
  it.each([
    ["full-scale noise", noise(24_000, 2, 1, 1)],
    ["half-scale noise", noise(24_000, 2, 0.5, 2)],
    ["fs/4 sine at 45°, 0 dBTP", tone(24_000, 2, 12_000, 1, 48_000, Math.PI / 4)],
    ["17 kHz sine", tone(24_000, 2, 17_000, 1, 48_000)],
  ] as const)("%s: the true peak ends ≤ the limit, every correction verified", (_, x) => {
    for (const limit of [0.9, 0.5]) {
      const { y, g } = guardOnly(x as Float32Array[], limit);
      expect(truePeak(y, 48_000)).toBeLessThanOrEqual(limit * (1 + 1e-7));
      expect(g.unverified).toBe(0);
    }
  });

  it("passes a signal below the limit untouched, GUARD_FRAMES late", () => {
    const x = noise(5000, 1, 0.3, 3);
    const { y, g } = guardOnly(x, 0.9);
    expect(g.corrections).toBe(0);
    for (let i = 0; i < 5000; i++) expect(y[0]![i + GUARD_FRAMES]).toBe(x[0]![i]);
  });
});
