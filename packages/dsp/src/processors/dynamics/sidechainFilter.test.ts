import { describe, expect, it } from "vitest";
import { biquadMagnitude } from "../../biquad";
import { BiquadCascade, BUTTERWORTH4_Q, highpassCoefs } from "./sidechainFilter";

const FS = 48_000;
const db = (g: number) => 20 * Math.log10(g);

describe("side-chain filters", () => {
  it("RBJ high-pass, Butterworth Q: −3.01 dB at f0, 2nd-order slope below, flat above", () => {
    const c = highpassCoefs(FS, 100);
    expect(db(biquadMagnitude(c, 100, FS))).toBeCloseTo(-3.0103, 3);
    // |H| = 1/√(1 + (f0/f)⁴) for the analogue prototype; the bilinear transform is exact at f0.
    expect(db(biquadMagnitude(c, 25, FS))).toBeCloseTo(db(1 / Math.sqrt(1 + 4 ** 4)), 1);
    expect(db(biquadMagnitude(c, 5000, FS))).toBeCloseTo(0, 4);
    expect(biquadMagnitude(c, 0, FS)).toBeCloseTo(0, 12);
  });

  it("two sections with BUTTERWORTH4_Q make a 4th-order Butterworth: −3.01 dB at f0, −24 dB/octave", () => {
    const f0 = 6000;
    const [c1, c2] = [highpassCoefs(FS, f0, BUTTERWORTH4_Q[0]), highpassCoefs(FS, f0, BUTTERWORTH4_Q[1])];
    const mag = (f: number) => db(biquadMagnitude(c1, f, FS) * biquadMagnitude(c2, f, FS));
    expect(mag(f0)).toBeCloseTo(-3.0103, 3);
    expect(mag(f0 / 8) - mag(f0 / 16)).toBeCloseTo(24, 0);
  });

  it("BiquadCascade filters like the sections it holds, whatever the chunking", () => {
    const f = new BiquadCascade(2);
    f.resize(1);
    f.setSection(0, highpassCoefs(FS, 3000, BUTTERWORTH4_Q[0]));
    f.setSection(1, highpassCoefs(FS, 3000, BUTTERWORTH4_Q[1]));
    const x = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.9) + (i === 3 ? 1 : 0));
    const whole = new Float64Array(1000);
    f.filterBlock(0, x, 0, 1000, whole);
    f.reset();
    const parts = new Float64Array(1000);
    const tmp = new Float64Array(7);
    for (let off = 0; off < 1000; off += 7) {
      const n = Math.min(7, 1000 - off);
      f.filterBlock(0, x, off, n, tmp);
      parts.set(tmp.subarray(0, n), off);
    }
    expect(parts).toEqual(whole);
    // A fresh cascade with unset sections is the identity.
    const id = new BiquadCascade(3);
    id.resize(1);
    const y = new Float64Array(1000);
    id.filterBlock(0, x, 0, 1000, y);
    expect(y).toEqual(x);
  });

  it("filterStereo is bit for bit filterBlock on channels 0 and 1, in any chunking", () => {
    for (const sections of [1, 2, 3]) {
      const make = () => {
        const f = new BiquadCascade(sections);
        f.resize(2);
        for (let k = 0; k < sections; k++) f.setSection(k, highpassCoefs(FS, 300 + 200 * k, BUTTERWORTH4_Q[k % 2]));
        return f;
      };
      const n = 3000;
      const x = [0, 1].map((ch) =>
        Float32Array.from({ length: n }, (_, i) => Math.sin(0.01 * i * (ch + 1)) + (i % 7) / 10),
      );
      const ref = make();
      const want = [new Float64Array(n), new Float64Array(n)];
      for (let ch = 0; ch < 2; ch++) ref.filterBlock(ch, x[ch]!, 0, n, want[ch]!);
      const f = make();
      const got = [new Float64Array(n), new Float64Array(n)];
      for (let off = 0; off < n; off += 701) {
        const m = Math.min(701, n - off);
        f.filterStereo(x[0]!, x[1]!, off, m, got[0]!.subarray(off), got[1]!.subarray(off));
      }
      for (let ch = 0; ch < 2; ch++) for (let i = 0; i < n; i++) expect(got[ch]![i]).toBe(want[ch]![i]);
    }
  });
});
