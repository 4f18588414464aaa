import { describe, expect, it } from "vitest";
import { Biquad, type BiquadCoefs, biquadMagnitude } from "./biquad";
import { prng } from "./signals";

const coefs: BiquadCoefs = { b0: 0.2, b1: 0.3, b2: -0.1, a1: -0.9, a2: 0.4 };

/** Direct form I, straight from the difference equation. */
function reference(c: BiquadCoefs, x: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  for (let n = 0; n < x.length; n++) {
    const xn1 = n >= 1 ? x[n - 1]! : 0;
    const xn2 = n >= 2 ? x[n - 2]! : 0;
    const yn1 = n >= 1 ? y[n - 1]! : 0;
    const yn2 = n >= 2 ? y[n - 2]! : 0;
    y[n] = c.b0 * x[n]! + c.b1 * xn1 + c.b2 * xn2 - c.a1 * yn1 - c.a2 * yn2;
  }
  return y;
}

describe("Biquad (transposed direct form II)", () => {
  it("matches the difference equation, with state carried across blocks, per channel", () => {
    const rand = prng(3);
    const a = Float64Array.from({ length: 300 }, () => rand() - 0.5);
    const b = Float64Array.from({ length: 300 }, () => rand() - 0.5);
    const f = new Biquad(coefs);
    f.prepare({ sampleRate: 48_000, channels: 2, maxBlockFrames: 128 });
    const ya = a.slice();
    const yb = b.slice();
    for (let off = 0; off < 300; off += 100) f.process([ya.subarray(off, off + 100), yb.subarray(off, off + 100)]);
    const ra = reference(coefs, a);
    const rb = reference(coefs, b);
    for (let i = 0; i < 300; i++) {
      expect(ya[i]).toBeCloseTo(ra[i]!, 12);
      expect(yb[i]).toBeCloseTo(rb[i]!, 12);
    }
  });

  it("processes Float32Array in place and reset() clears the state", () => {
    const f = new Biquad(coefs);
    f.prepare({ sampleRate: 48_000, channels: 1, maxBlockFrames: 8 });
    const x = new Float32Array([1, 0, 0, 0]);
    f.process([x]);
    expect(x[0]).toBeCloseTo(0.2, 6);
    f.reset();
    const y = new Float32Array([1, 0, 0, 0]);
    f.process([y]);
    expect(Array.from(y)).toEqual(Array.from(x));
  });

  it("has the magnitude response of its coefficients", () => {
    const dc = (coefs.b0 + coefs.b1 + coefs.b2) / (1 + coefs.a1 + coefs.a2);
    expect(biquadMagnitude(coefs, 0, 48_000)).toBeCloseTo(Math.abs(dc), 12);
    const nyq = (coefs.b0 - coefs.b1 + coefs.b2) / (1 - coefs.a1 + coefs.a2);
    expect(biquadMagnitude(coefs, 24_000, 48_000)).toBeCloseTo(Math.abs(nyq), 12);
  });

  it("refuses blocks with the wrong channel count, and process before prepare", () => {
    const f = new Biquad(coefs);
    expect(() => f.process([new Float32Array(4)])).toThrow(expect.objectContaining({ code: "INVALID_STATE" }));
    f.prepare({ sampleRate: 48_000, channels: 2, maxBlockFrames: 8 });
    expect(() => f.process([new Float32Array(4)])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
