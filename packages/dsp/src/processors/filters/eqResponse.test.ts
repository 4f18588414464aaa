import { describe, expect, it } from "vitest";
import { defaultEqParams, type EqParams, EqProcessor, eqCurveBands } from "./eq";
import { eqResponseDb } from "./eqResponse";

const FS = 48_000;

/** The gain (dB) the processor applies to a steady sine at `f` on the mid and on the side signal. */
function measured(params: EqParams, f: number): { mid: number; side: number } {
  const p = new EqProcessor(params);
  p.prepare({ sampleRate: FS, channels: 2, maxBlockFrames: 8192 });
  const n = FS; // one second: the filters settle in the first half, the second half is measured
  // L = sin, R = 0: mid and side both carry sin / 2.
  const left = new Float32Array(n);
  for (let i = 0; i < n; i++) left[i] = Math.sin((2 * Math.PI * f * i) / FS);
  const right = new Float32Array(n);
  p.process([left, right], n);
  const rms = (x: (i: number) => number) => {
    let s = 0;
    for (let i = n / 2; i < n; i++) s += x(i) ** 2;
    return Math.sqrt(s / (n / 2));
  };
  const input = Math.SQRT1_2 / 2;
  return {
    mid: 20 * Math.log10(rms((i) => (left[i]! + right[i]!) / 2) / input),
    side: 20 * Math.log10(rms((i) => (left[i]! - right[i]!) / 2) / input),
  };
}

describe("eqResponseDb", () => {
  it("reads the bands out of the module's parameters, in order", () => {
    const bands = eqCurveBands({ ...defaultEqParams(), b3Gain: 4, b3Mode: "side", b6On: false });
    expect(bands).toHaveLength(6);
    expect(bands[2]).toMatchObject({ type: "bell", freq: 500, gainDb: 4, mode: "side", on: true });
    expect(bands[5]).toMatchObject({ type: "highShelf", on: false });
  });

  it("is flat with the default bands, and bands that are off add nothing", () => {
    const freqs = [20, 100, 1000, 10_000, 20_000];
    const flat = eqResponseDb(eqCurveBands(defaultEqParams()), FS, freqs);
    expect([...flat.mid, ...flat.side].every((x) => x === 0)).toBe(true);
    const off = eqResponseDb(eqCurveBands({ ...defaultEqParams(), b2Gain: 9, b2On: false }), FS, freqs);
    expect([...off.mid].every((x) => x === 0)).toBe(true);
  });

  it("equals what the processor does to sines, band by band and in mid/side", () => {
    const params: EqParams = {
      ...defaultEqParams(),
      b1Type: "highPass",
      b1Freq: 40,
      b1Q: 0.7,
      b3Gain: 6,
      b3Freq: 1000,
      b3Q: 1.2,
      b4Gain: -4.5,
      b4Freq: 3000,
      b4Mode: "side",
      b6Gain: 3,
      b6Mode: "mid",
    };
    const freqs = [30, 200, 1000, 3000, 12_000];
    const curve = eqResponseDb(eqCurveBands(params), FS, freqs);
    for (const [i, f] of freqs.entries()) {
      const m = measured(params, f);
      expect(curve.mid[i]!).toBeCloseTo(m.mid, 1);
      expect(curve.side[i]!).toBeCloseTo(m.side, 1);
    }
    // The bell reads its gain at its centre; the side-only cut is on the side alone.
    expect(curve.mid[2]!).toBeCloseTo(6, 0);
    expect(curve.side[3]! - curve.mid[3]!).toBeLessThan(-4);
  });
});
