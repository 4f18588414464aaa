import { describe, expect, it } from "vitest";
import { type BiquadCoefs, biquadMagnitude } from "../../biquad";
import { analogEqMagnitude, EQ_BAND_TYPES, type EqBandType, eqSectionCoefs } from "./eqSection";
import { toDb } from "./testSupport";

const RATES = [44_100, 48_000];
const F0S = [20, 100, 1000, 3000, 6000, 10_000, 14_000, 16_000, 18_000, 20_000];
const QS = [0.1, 0.3, 0.5, Math.SQRT1_2, 1, 2, 4, 10];

interface Deviation {
  /** Largest |digital − analogue| in dB below fs/4. */
  belowQuarter: number;
  /** Largest |digital − analogue| in dB from 10 Hz up to 0.9·Nyquist. */
  toNinetyPercent: number;
}

/** Deviation of `c` from the analogue prototype on a 1 %-spaced grid (LP/HP: where it is above −24 dB). */
function deviation(c: BiquadCoefs, type: EqBandType, fs: number, f0: number, gainDb: number, q: number): Deviation {
  let belowQuarter = 0;
  let toNinetyPercent = 0;
  for (let f = 10; f <= 0.45 * fs; f *= 1.01) {
    const analog = analogEqMagnitude(type, f, f0, gainDb, q);
    if ((type === "lowPass" || type === "highPass") && analog < 10 ** (-24 / 20)) continue;
    const e = Math.abs(toDb(biquadMagnitude(c, f, fs) / analog));
    if (f < fs / 4) belowQuarter = Math.max(belowQuarter, e);
    toNinetyPercent = Math.max(toNinetyPercent, e);
  }
  return { belowQuarter, toNinetyPercent };
}

function worst(type: EqBandType, gains: number[], qs: number[], f0s = F0S): Deviation {
  let w: Deviation = { belowQuarter: 0, toNinetyPercent: 0 };
  for (const fs of RATES) {
    for (const f0 of f0s) {
      for (const q of qs) {
        for (const g of gains) {
          const d = deviation(eqSectionCoefs(type, fs, f0, g, q), type, fs, f0, g, q);
          w = {
            belowQuarter: Math.max(w.belowQuarter, d.belowQuarter),
            toNinetyPercent: Math.max(w.toNinetyPercent, d.toNinetyPercent),
          };
        }
      }
    }
  }
  return w;
}

/** RBJ cookbook peakingEQ (bilinear transform, prewarped at f0): the design that cramps near Nyquist. */
function rbjPeaking(fs: number, f0: number, gainDb: number, q: number): BiquadCoefs {
  const a = 10 ** (gainDb / 40);
  const w = (2 * Math.PI * f0) / fs;
  const al = Math.sin(w) / (2 * q);
  const a0 = 1 + al / a;
  return {
    b0: (1 + al * a) / a0,
    b1: (-2 * Math.cos(w)) / a0,
    b2: (1 - al * a) / a0,
    a1: (-2 * Math.cos(w)) / a0,
    a2: (1 - al / a) / a0,
  };
}

describe("matched EQ sections against their analogue prototypes (44.1 and 48 kHz)", () => {
  it("bells of ±3 and ±6 dB, every f0 from 20 Hz to 20 kHz and Q from 0.1 to 10: ±0.1 dB below fs/4, ±0.5 dB up to 0.9·Nyquist", () => {
    const w = worst("bell", [-6, -3, 3, 6], QS);
    expect(w.belowQuarter).toBeLessThan(0.1);
    expect(w.toNinetyPercent).toBeLessThan(0.5);
  });

  it("typical mastering bells up to ±12 dB meet the same bounds", () => {
    const settings: [number, number, number][] = [
      [60, 12, 0.7],
      [250, -4, 1.4],
      [3000, -12, 2],
      [5000, 8, 2],
      [9000, 10, 3],
      [12_000, 4, 0.7],
      [16_000, 6, 1],
      [18_000, -9, 4],
      [20_000, 12, 2],
    ];
    for (const fs of RATES) {
      for (const [f0, g, q] of settings) {
        const d = deviation(eqSectionCoefs("bell", fs, f0, g, q), "bell", fs, f0, g, q);
        expect(d.belowQuarter).toBeLessThan(0.1);
        expect(d.toNinetyPercent).toBeLessThan(0.5);
      }
    }
  });

  it("documents the worst case over the full range of gains (±18 dB): 0.2 dB below fs/4, 0.9 dB up to 0.9·Nyquist", () => {
    // A second-order section cannot follow a broad, deep bell whose skirt runs past Nyquist exactly;
    // the deviation grows with |gain| and is largest for Q ≈ 0.5…1 with f0 above 6 kHz.
    const w = worst("bell", [-18, -12, 12, 18], QS);
    expect(w.belowQuarter).toBeLessThan(0.2);
    expect(w.toNinetyPercent).toBeLessThan(0.9);
  });

  it("plain RBJ (bilinear) bells would fail: they cramp towards Nyquist", () => {
    const fs = 44_100;
    const [f0, g, q] = [10_000, 6, 1];
    const rbj = deviation(rbjPeaking(fs, f0, g, q), "bell", fs, f0, g, q);
    const matched = deviation(eqSectionCoefs("bell", fs, f0, g, q), "bell", fs, f0, g, q);
    expect(rbj.toNinetyPercent).toBeGreaterThan(1.5);
    expect(matched.toNinetyPercent).toBeLessThan(0.5);
    // Higher up it gets worse: a 16 kHz bell at 44.1 kHz is squeezed to a fraction of its width.
    const rbj16 = deviation(rbjPeaking(fs, 16_000, g, q), "bell", fs, 16_000, g, q);
    expect(rbj16.belowQuarter).toBeGreaterThan(0.1);
    expect(rbj16.toNinetyPercent).toBeGreaterThan(3);
    // RBJ forces 0 dB at Nyquist; the analogue bell is still at +1.5 dB at 0.9·Nyquist.
    expect(toDb(analogEqMagnitude("bell", 0.45 * fs, f0, g, q))).toBeGreaterThan(1.5);
  });

  it("shelves with Q 0.1…1 and gains up to ±12 dB: ±0.1 dB below fs/4, ±0.5 dB up to 0.9·Nyquist", () => {
    for (const type of ["lowShelf", "highShelf"] as const) {
      const w = worst(type, [-12, -6, -1, 1, 6, 12], [0.1, 0.3, 0.5, Math.SQRT1_2, 1]);
      expect(w.belowQuarter).toBeLessThan(0.1);
      expect(w.toNinetyPercent).toBeLessThan(0.5);
    }
  });

  it("shelves reach their gain: exactly at DC (low shelf), within 0.05 dB at the far end (high shelf)", () => {
    for (const fs of RATES) {
      for (const g of [-12, -3, 3, 12]) {
        const ls = eqSectionCoefs("lowShelf", fs, 100, g, 0.7);
        expect(toDb(biquadMagnitude(ls, 0, fs))).toBeCloseTo(g, 9);
        expect(toDb(biquadMagnitude(ls, 10, fs))).toBeCloseTo(g, 1);
        const hs = eqSectionCoefs("highShelf", fs, 1000, g, 0.7);
        expect(toDb(biquadMagnitude(hs, 0, fs))).toBeCloseTo(0, 9);
        const far = toDb(biquadMagnitude(hs, 0.45 * fs, fs));
        expect(Math.abs(far - g)).toBeLessThan(0.05);
        // Half the gain (in dB) at f0, as the prototype: |H(f0)| = A.
        expect(toDb(biquadMagnitude(hs, 1000, fs))).toBeCloseTo(g / 2, 1);
      }
    }
  });

  it("high- and low-pass with Q = 1/√2 are −3.01 dB at f0 and follow the prototype", () => {
    for (const fs of RATES) {
      for (const f0 of [20, 100, 1000, 5000, 10_000, 15_000, 20_000]) {
        for (const type of ["highPass", "lowPass"] as const) {
          const c = eqSectionCoefs(type, fs, f0, 0, Math.SQRT1_2);
          expect(toDb(biquadMagnitude(c, f0, fs))).toBeCloseTo(-3.0103, 6);
        }
      }
    }
    const lp = worst("lowPass", [0], QS);
    expect(lp.belowQuarter).toBeLessThan(0.1);
    expect(lp.toNinetyPercent).toBeLessThan(0.75);
    // Vicanek's high-pass has one free coefficient (b = b0·[1, −2, 1]); it follows the prototype
    // closely for Q near 1/√2 and f0 up to fs/4, and deviates by several dB near Nyquist otherwise.
    const hp = worst("highPass", [0], [Math.SQRT1_2], [20, 100, 1000, 3000, 6000, 10_000]);
    expect(hp.belowQuarter).toBeLessThan(0.05);
    expect(hp.toNinetyPercent).toBeLessThan(0.1);
  });

  it("a cut is the exact inverse of the boost (bells, shelves)", () => {
    for (const type of ["bell", "lowShelf", "highShelf"] as const) {
      for (const [f0, g, q] of [
        [80, 9, 0.7],
        [2500, 4.5, 3],
        [17_000, 15, 0.5],
      ] as const) {
        const boost = eqSectionCoefs(type, 48_000, f0, g, q);
        const cut = eqSectionCoefs(type, 48_000, f0, -g, q);
        for (const f of [30, 300, 3000, 15_000, 23_000]) {
          expect(toDb(biquadMagnitude(cut, f, 48_000))).toBeCloseTo(-toDb(biquadMagnitude(boost, f, 48_000)), 8);
        }
      }
    }
  });

  it("every design over the parameter ranges is finite and stable, also with f0 above Nyquist", () => {
    for (const fs of [22_050, 44_100, 48_000, 96_000, 192_000]) {
      for (const type of EQ_BAND_TYPES) {
        for (const f0 of [20, 55, 400, 3000, 12_000, 20_000]) {
          for (const q of [0.1, 0.7, 3, 10]) {
            for (const g of [-18, -0.1, 0.1, 18]) {
              const c = eqSectionCoefs(type, fs, f0, g, q);
              for (const v of Object.values(c)) expect(Number.isFinite(v)).toBe(true);
              // Poles inside the unit circle: |a2| < 1 and |a1| < 1 + a2.
              expect(Math.abs(c.a2)).toBeLessThan(1);
              expect(Math.abs(c.a1)).toBeLessThan(1 + c.a2);
            }
          }
        }
      }
    }
  });

  it("0 dB bells and shelves are the identity section", () => {
    for (const type of ["bell", "lowShelf", "highShelf"] as const) {
      expect(eqSectionCoefs(type, 48_000, 1000, 0, 1)).toEqual({ b0: 1, b1: 0, b2: 0, a1: 0, a2: 0 });
    }
  });
});
