import { describe, expect, it } from "vitest";
import { ComplexFft } from "./complexFft";
import { Resampler } from "./resampler";
import { bandPower, maxBinOutside, powerSpectrum, randomSignal, toDb } from "./testSupport";

/** Resamples all of x, feeding `blocks` (cycled) frames per call, then flushes. */
function resample(
  x: Float32Array[],
  inRate: number,
  outRate: number,
  blocks: readonly number[] = [4096],
): Float32Array[] {
  const r = new Resampler(inRate, outRate, x.length);
  const total = Math.ceil((x[0]!.length * outRate) / inRate);
  const out = x.map(() => new Float32Array(total + 1));
  const tmp = x.map(() => new Float32Array(r.maxOutputFrames(Math.max(...blocks))));
  let w = 0;
  const take = (k: number) => {
    for (let c = 0; c < x.length; c++) out[c]!.set(tmp[c]!.subarray(0, k), w);
    w += k;
  };
  for (let off = 0, b = 0; off < x[0]!.length; b++) {
    const n = Math.min(blocks[b % blocks.length]!, x[0]!.length - off);
    take(
      r.process(
        x.map((c) => c.subarray(off, off + n)),
        n,
        tmp,
      ),
    );
    off += n;
  }
  take(r.flush(tmp));
  expect(w).toBe(total);
  return out.map((c) => c.subarray(0, w));
}

function tone(rate: number, f: number, seconds: number, amplitude = 0.5): Float32Array[] {
  const n = Math.round(rate * seconds);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * Math.sin((2 * Math.PI * f * i) / rate);
  return [x];
}

const FFT = 65_536;
/** Spectrum of the middle of y (away from the start and end transients). */
const midSpectrum = (y: Float32Array) => powerSpectrum(y, FFT, "bh7", Math.floor((y.length - FFT) / 2));

describe("ComplexFft", () => {
  it("matches the DFT and inverts", () => {
    const n = 64;
    const fft = new ComplexFft(n);
    const x = randomSignal(2, n, 1);
    const re = Float64Array.from(x[0]!);
    const im = Float64Array.from(x[1]!);
    fft.forward(re, im);
    for (const k of [0, 1, 5, 63]) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * k * j) / n;
        sr += x[0]![j]! * Math.cos(a) - x[1]![j]! * Math.sin(a);
        si += x[0]![j]! * Math.sin(a) + x[1]![j]! * Math.cos(a);
      }
      expect(re[k]).toBeCloseTo(sr, 12);
      expect(im[k]).toBeCloseTo(si, 12);
    }
    fft.inverse(re, im);
    for (let j = 0; j < n; j++) expect(re[j]).toBeCloseTo(x[0]![j]!, 14);
  });
});

describe("Resampler", () => {
  it.each([
    [44_100, 48_000],
    [48_000, 44_100],
  ])("%i → %i is flat to 20 kHz within ±0.1 dB (measured ±0.06)", (inRate, outRate) => {
    for (const f of [40, 1000, 5000, 10_000, 15_000, 18_000, 19_500, 20_000]) {
      const y = resample(tone(inRate, f, 2), inRate, outRate)[0]!;
      const gainDb = toDb(bandPower(midSpectrum(y), f, outRate, 10) / 0.125); // A²/2 = 0.125
      expect(Math.abs(gainDb)).toBeLessThan(0.07);
    }
  });

  // Every spur (images, aliases, filter leakage) at least 100 dB under the tone, bin for bin.
  it.each([
    [44_100, 48_000, 20_000],
    [44_100, 48_000, 19_000],
    [48_000, 44_100, 20_000],
    [48_000, 44_100, 997],
    [44_100, 96_000, 20_000],
    [96_000, 44_100, 20_000],
    [44_100, 88_200, 20_000],
    [44_100, 192_000, 15_000],
  ])("%i → %i: a %i Hz tone has no spur within 100 dB", (inRate, outRate, f) => {
    const p = midSpectrum(resample(tone(inRate, f, 2), inRate, outRate)[0]!);
    const peak = maxBinOutside(p, outRate, [], 0).power;
    const spur = maxBinOutside(p, outRate, [f], 12).power;
    expect(toDb(spur / peak)).toBeLessThan(-100);
  });

  // Tones the filter must remove: above the output's Nyquist (would alias) or in the transition
  // band (their images land inside the output band).
  it.each([
    [48_000, 44_100, 23_000],
    [96_000, 44_100, 30_000],
    [96_000, 48_000, 40_000],
    [44_100, 48_000, 21_500], // image at 22.6 kHz
  ])("%i → %i: the stopband components of a %i Hz tone are ≥ 100 dB down", (inRate, outRate, f) => {
    const ref = midSpectrum(resample(tone(inRate, 1000, 2), inRate, outRate)[0]!);
    const refPeak = maxBinOutside(ref, outRate, [], 0).power;
    const p = midSpectrum(resample(tone(inRate, f, 2), inRate, outRate)[0]!);
    // Only the tone itself may remain (when it is below the output Nyquist, in the transition band).
    const worst = maxBinOutside(p, outRate, f < outRate / 2 ? [f] : [], 12).power;
    expect(toDb(worst / refPeak)).toBeLessThan(-100);
  });

  it("is time-aligned: no latency to drop (44.1 → 48 kHz impulse lands at n·160/147)", () => {
    const x = [new Float32Array(44_100)];
    x[0]![14_700] = 1; // input time 14700 = output time 16000 exactly
    const y = resample(x, 44_100, 48_000)[0]!;
    let at = 0;
    for (let i = 0; i < y.length; i++) if (Math.abs(y[i]!) > Math.abs(y[at]!)) at = i;
    expect(at).toBe(16_000);
    // A sine keeps its phase: y[n] ≈ sin(2π·f·n/48000).
    const s = resample(tone(44_100, 1000, 1, 1), 44_100, 48_000)[0]!;
    for (let n = 1000; n < 47_000; n += 997) expect(s[n]).toBeCloseTo(Math.sin((2 * Math.PI * 1000 * n) / 48_000), 4);
  });

  it("writes exactly ⌈n·out/in⌉ frames and does not depend on the block partition", () => {
    const x = randomSignal(2, 30_011, 21, 0.5);
    for (const [inRate, outRate] of [
      [44_100, 48_000],
      [48_000, 44_100],
      [44_100, 88_200],
      [96_000, 44_100],
    ] as const) {
      const ref = resample(x, inRate, outRate, [65_536]);
      expect(resample(x, inRate, outRate, [4096])).toEqual(ref);
      expect(resample(x, inRate, outRate, [1, 7, 1000, 333, 5000])).toEqual(ref);
      const short = x.map((c) => c.subarray(0, 3000));
      expect(resample(short, inRate, outRate, [1])).toEqual(resample(short, inRate, outRate, [3000]));
    }
  });

  it("treats every channel alike (mono, stereo and 3 channels agree)", () => {
    const x = randomSignal(3, 10_000, 22, 0.5);
    const three = resample(x, 44_100, 48_000);
    const two = resample(x.slice(0, 2), 44_100, 48_000);
    const one = resample([x[2]!], 44_100, 48_000);
    expect(three[0]).toEqual(two[0]);
    expect(three[1]).toEqual(two[1]);
    expect(three[2]).toEqual(one[0]);
  });

  it("passes samples through at 1:1 and restarts cleanly after reset()", () => {
    const x = randomSignal(2, 5000, 23);
    expect(resample(x, 48_000, 48_000)).toEqual(x);
    const r = new Resampler(44_100, 48_000, 2);
    const out = [new Float32Array(r.maxOutputFrames(5000)), new Float32Array(r.maxOutputFrames(5000))];
    const first = r.process(x, 5000, out);
    const a = out.map((c) => c.slice(0, first));
    r.reset();
    const second = r.process(x, 5000, out);
    expect(second).toBe(first);
    expect(out.map((c) => c.slice(0, second))).toEqual(a);
  });

  it("reports its filters and look-ahead (44.1 → 48 kHz: 249 sharp taps at 88.2 kHz, 12-tap interpolator)", () => {
    const r = new Resampler(44_100, 48_000, 2);
    expect(r.sharpTaps).toBe(249);
    expect(r.interpolatorTaps).toBe(12);
    expect(r.latencyInputFrames).toBe(Math.ceil((124 + 6) / 2));
    expect(() =>
      new Resampler(44_100, 48_000, 2).process(x2(10), 10, [new Float32Array(1), new Float32Array(1)]),
    ).toThrow(/room/);
  });
});

function x2(n: number): Float32Array[] {
  return [new Float32Array(n), new Float32Array(n)];
}
