import { RealFft } from "../../fft";
import type { Processor, ProcessSpec } from "../../processor";
import { prng } from "../../signals";
import { processInBlocks } from "../blockRunner";

/*
 * Measurement helpers for the effect tests (pure, no test-runner imports): windowed spectra, spur
 * search, and block-partition drivers for processors.
 */

/**
 * 7-term Blackman-Harris window, highest sidelobe ≈ −180 dB (H.-H. Albrecht, "A family of cosine-sum
 * windows for high-resolution measurements", ICASSP 2001, Table 1): enough dynamic range to see
 * spurs 100 dB and more below a tone. Main lobe ±7 bins.
 */
const BH7 = [
  0.27105140069342, 0.43329793923448, 0.21812299954311, 0.06592544638803, 0.01081174209837, 0.00077658482522,
  0.00001388721735,
];
/** 4-term Blackman-Harris window (F. J. Harris, Proc. IEEE 66(1), 1978): sidelobes −92 dB, main lobe ±4 bins. */
const BH4 = [0.35875, 0.48829, 0.14128, 0.01168];

export function cosineSumWindow(size: number, terms: "bh4" | "bh7"): Float64Array {
  const a = terms === "bh4" ? BH4 : BH7;
  const w = new Float64Array(size);
  for (let n = 0; n < size; n++) {
    let v = 0;
    for (let k = 0; k < a.length; k++) v += (k % 2 === 0 ? 1 : -1) * a[k]! * Math.cos((2 * Math.PI * k * n) / size);
    w[n] = v;
  }
  return w;
}

/**
 * One-sided power spectrum of x[offset … offset+size) with the window, scaled by 2/(N·Σw²) so the
 * bins sum to the mean-square power (Parseval): white noise of variance σ² sums to σ², and the bins
 * around a sine of amplitude A sum to A²/2. Bins 0 … size/2.
 */
export function powerSpectrum(x: ArrayLike<number>, size: number, terms: "bh4" | "bh7", offset = 0): Float64Array {
  const w = cosineSumWindow(size, terms);
  const input = new Float64Array(size);
  for (let i = 0; i < size; i++) input[i] = x[offset + i]!;
  let sumSq = 0;
  for (let i = 0; i < size; i++) sumSq += w[i]! * w[i]!;
  const out = new Float64Array(size / 2 + 1);
  new RealFft(size).addPowerSpectrum(input, w, 2 / (size * sumSq), out);
  return out;
}

/** Welch average of `powerSpectrum` over consecutive half-overlapping segments of x. */
export function averagedPowerSpectrum(x: ArrayLike<number>, size: number, terms: "bh4" | "bh7"): Float64Array {
  const acc = new Float64Array(size / 2 + 1);
  let count = 0;
  for (let off = 0; off + size <= x.length; off += size / 2) {
    const p = powerSpectrum(x, size, terms, off);
    for (let k = 0; k < acc.length; k++) acc[k]! += p[k]!;
    count++;
  }
  for (let k = 0; k < acc.length; k++) acc[k]! /= count;
  return acc;
}

export const toDb = (power: number): number => 10 * Math.log10(power);

/** Sum of the bins within ±`halfWidth` bins of frequency `f` (Hz). */
export function bandPower(p: Float64Array, f: number, sampleRate: number, halfWidth: number): number {
  const size = (p.length - 1) * 2;
  const c = Math.round((f * size) / sampleRate);
  let s = 0;
  for (let k = Math.max(0, c - halfWidth); k <= Math.min(p.length - 1, c + halfWidth); k++) s += p[k]!;
  return s;
}

/** Largest bin of `p` between fLo and fHi (Hz) that is not within ±guard bins of any frequency in `exclude`. */
export function maxBinOutside(
  p: Float64Array,
  sampleRate: number,
  exclude: readonly number[],
  guard: number,
  fLo = 0,
  fHi = sampleRate / 2,
): { power: number; frequency: number } {
  const size = (p.length - 1) * 2;
  const centres = exclude.map((f) => Math.round((f * size) / sampleRate));
  let best = 0;
  let at = 0;
  for (let k = Math.ceil((fLo * size) / sampleRate); k <= Math.min(p.length - 1, (fHi * size) / sampleRate); k++) {
    if (centres.some((c) => Math.abs(k - c) <= guard)) continue;
    if (p[k]! > best) {
      best = p[k]!;
      at = (k * sampleRate) / size;
    }
  }
  return { power: best, frequency: at };
}

/** Independent uniform noise per channel in [−amplitude, amplitude). */
export function randomSignal(channels: number, frames: number, seed: number, amplitude = 0.5): Float32Array[] {
  const r = prng(seed);
  return Array.from({ length: channels }, () => {
    const x = new Float32Array(frames);
    for (let i = 0; i < frames; i++) x[i] = (2 * r() - 1) * amplitude;
    return x;
  });
}

/**
 * Copies `input`, runs it through `p` (prepared here with `blockFrames`) in blocks of `blockFrames`
 * and returns the output.
 */
export function runInBlocks(
  p: Processor,
  input: readonly Float32Array[],
  sampleRate: number,
  blockFrames: number,
  prepare = true,
): Float32Array[] {
  const spec: ProcessSpec = { sampleRate, channels: input.length, maxBlockFrames: blockFrames };
  if (prepare) p.prepare(spec);
  const out = input.map((c) => c.slice());
  processInBlocks(p, out, blockFrames);
  return out;
}

/** Planar buffer of `frames` zeros with a unit impulse at `at` in every channel. */
export function impulse(channels: number, frames: number, at = 0): Float32Array[] {
  return Array.from({ length: channels }, () => {
    const x = new Float32Array(frames);
    x[at] = 1;
    return x;
  });
}

/** Index of the largest |x[i]|. */
export function argMaxAbs(x: ArrayLike<number>): number {
  let best = -1;
  let at = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (v > best) {
      best = v;
      at = i;
    }
  }
  return at;
}

/** |Σ_n x[n]·e^{−2πi·f·n/fs}|: the magnitude response of an impulse response at one frequency. */
export function dtftMagnitude(x: ArrayLike<number>, f: number, sampleRate: number): number {
  const w = (2 * Math.PI * f) / sampleRate;
  let re = 0;
  let im = 0;
  for (let n = 0; n < x.length; n++) {
    re += x[n]! * Math.cos(w * n);
    im -= x[n]! * Math.sin(w * n);
  }
  return Math.hypot(re, im);
}
