import { describe, expect, it } from "vitest";
import { HALF_BAND_STAGES, halfBandTaps, type OversampleFactor, Oversampler, roundTripLatency } from "./oversampler";
import { argMaxAbs, dtftMagnitude, randomSignal } from "./testSupport";

const FS = 44_100;
const FACTORS: OversampleFactor[] = [2, 4, 8];

/** Round trip of one channel through `os` in blocks of `block`, with the oversampled signal untouched. */
function roundTrip(os: Oversampler, x: Float32Array, block: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let off = 0; off < x.length; off += block) {
    const n = Math.min(block, x.length - off);
    os.upsample(0, x.subarray(off, off + n), n);
    os.downsample(0, n, y.subarray(off, off + n));
  }
  return y;
}

/** Impulse response of the up path only (top rate), for an impulse at base frame 0. */
function upImpulseResponse(factor: OversampleFactor, frames: number): Float64Array {
  const os = new Oversampler(8, factor);
  os.prepare(1, frames);
  const x = new Float32Array(frames);
  x[0] = 1;
  return os.upsample(0, x, frames).slice(0, frames * factor);
}

describe("Oversampler (half-band cascade)", () => {
  it("half-band branches sum to ½ (unity DC gain, no DC images)", () => {
    for (const { k, beta } of HALF_BAND_STAGES) {
      const d = halfBandTaps(k, beta);
      expect(2 * d.reduce((a, b) => a + b, 0)).toBeCloseTo(0.5, 14);
    }
  });

  it("has an integer latency, the same for every factor: Σ(2K−1)/2^s = 63 + 5.5 + 1.75 → 71", () => {
    expect(roundTripLatency(2)).toBe(63);
    expect(roundTripLatency(4)).toBe(68.5);
    expect(roundTripLatency(8)).toBe(70.25);
    expect(new Oversampler(8).latencyFrames).toBe(71);
    expect(new Oversampler(4).latencyFrames).toBe(69);
    expect(new Oversampler(2).latencyFrames).toBe(63);
  });

  it.each(FACTORS)("round trip ×%i is linear phase with its peak exactly at latencyFrames", (factor) => {
    const os = new Oversampler(8, factor);
    os.prepare(1, 512);
    const x = new Float32Array(512);
    x[0] = 1;
    const y = roundTrip(os, x, 512);
    const l = os.latencyFrames;
    expect(argMaxAbs(y)).toBe(l);
    for (let k = 1; k < l; k++) expect(Math.abs(y[l - k]! - y[l + k]!)).toBeLessThan(1e-7); // float32 output
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it.each(FACTORS)("round trip ×%i is flat to 20 kHz at 44.1 kHz within ±0.01 dB (spec 0.1 dB)", (factor) => {
    const os = new Oversampler(8, factor);
    os.prepare(1, 1024);
    const x = new Float32Array(1024);
    x[0] = 1;
    const y = roundTrip(os, x, 1024);
    for (let f = 0; f <= 20_000; f += 250) {
      expect(Math.abs(20 * Math.log10(dtftMagnitude(y, f, FS)))).toBeLessThan(0.01);
    }
  });

  // Images of a passband tone f ≤ 20 kHz sit at k·fs ± f: all must be ≥ 90 dB down.
  it.each(FACTORS)("×%i: images of the 0–20 kHz band are ≥ 90 dB down", (factor) => {
    const h = upImpulseResponse(factor, 256);
    let worst = -Infinity;
    for (let k = 1; k <= factor / 2; k++) {
      for (let f = k * FS - 20_000; f <= Math.min(k * FS + 20_000, (factor * FS) / 2); f += 100) {
        worst = Math.max(worst, 20 * Math.log10(dtftMagnitude(h, f, factor * FS) / factor));
      }
    }
    expect(worst).toBeLessThan(-90);
  });

  // A component at the oversampled rate that would fold into 0–20 kHz is removed ≥ 90 dB.
  it.each([
    [2, 44_100 - 5_000],
    [4, 44_100 + 12_000],
    [4, 88_200 - 19_000],
    [8, 132_300 + 3_000],
    [8, 176_400 - 20_000],
  ] as const)("×%i: a tone at %i Hz (folds into the audio band) is rejected ≥ 90 dB", (factor, f) => {
    const os = new Oversampler(8, factor);
    const frames = 8192;
    os.prepare(1, frames);
    const top = os.upsample(0, new Float32Array(frames), frames);
    for (let i = 0; i < frames * factor; i++) top[i] = Math.sin((2 * Math.PI * f * i) / (factor * FS));
    const y = new Float64Array(frames);
    os.downsample(0, frames, y);
    let peak = 0;
    for (let i = 1024; i < frames; i++) peak = Math.max(peak, Math.abs(y[i]!));
    expect(20 * Math.log10(peak)).toBeLessThan(-90);
  });

  it.each(FACTORS)("×%i is block-size invariant bit for bit", (factor) => {
    const x = randomSignal(1, 20_000, 3)[0]!;
    const results = [1, 128, 1000, 8192].map((b) => {
      const os = new Oversampler(8, factor);
      os.prepare(1, b);
      return roundTrip(os, b === 1 ? x.subarray(0, 3000) : x, b);
    });
    expect(results[1]).toEqual(results[2]);
    expect(results[1]).toEqual(results[3]);
    expect(results[0]).toEqual(results[3]!.subarray(0, 3000));
  });

  it("keeps the latency when the factor changes", () => {
    const os = new Oversampler(8, 2);
    os.prepare(1, 512);
    for (const f of [8, 4, 2] as const) {
      os.setFactor(f);
      os.reset();
      const x = new Float32Array(512);
      x[0] = 1;
      expect(argMaxAbs(roundTrip(os, x, 512))).toBe(71);
    }
  });
});
