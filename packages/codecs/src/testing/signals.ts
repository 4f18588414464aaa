/** Test signals and small numeric helpers for codec tests. */

/** Deterministic PRNG (mulberry32), so generated files are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sine(frequency: number, sampleRate: number, frames: number, amplitude = 0.5, phase = 0): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate + phase);
  return out;
}

/** A different sine per channel plus a little seeded noise, touching both full-scale ends. */
export function testChannels(channels: number, sampleRate: number, frames: number, seed = 1): Float32Array[] {
  const rnd = prng(seed);
  return Array.from({ length: channels }, (_, c) => {
    const ch = sine(220 * (c + 1), sampleRate, frames, 0.7, c);
    for (let i = 0; i < frames; i++) ch[i] = (ch[i] as number) + 0.2 * (rnd() * 2 - 1);
    if (frames > 2) {
      ch[1] = -1;
      ch[2] = 0.9999;
    }
    return ch;
  });
}

/** Value after storing as a `bits`-bit integer (round to nearest, clip) and reading back. */
export function quantise(x: number, bits: number): number {
  const full = 2 ** (bits - 1);
  return Math.min(full - 1, Math.max(-full, Math.round(x * full))) / full + 0; // + 0 turns -0 into 0
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (x[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Lag (0…maxLag) at which `b` best matches `a` (b[i + lag] ≈ a[i]), and the normalised correlation there. */
export function bestLag(a: Float32Array, b: Float32Array, maxLag: number): { lag: number; correlation: number } {
  let best = { lag: 0, correlation: -Infinity };
  const n = Math.min(a.length, b.length - maxLag);
  for (let lag = 0; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      const y = b[i + lag] as number;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    const correlation = ab / Math.sqrt(aa * bb || 1);
    if (correlation > best.correlation) best = { lag, correlation };
  }
  return best;
}

/** Frequency (Hz) of the strongest DFT bin between lo and hi, refined by parabolic interpolation. */
export function peakFrequency(x: Float32Array, sampleRate: number, lo: number, hi: number, step = 1): number {
  const n = x.length;
  const power = (f: number) => {
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)); // Hann window
      const ph = (2 * Math.PI * f * i) / sampleRate;
      re += (x[i] as number) * w * Math.cos(ph);
      im -= (x[i] as number) * w * Math.sin(ph);
    }
    return re * re + im * im;
  };
  let bestF = lo;
  let bestP = -1;
  for (let f = lo; f <= hi; f += step) {
    const p = power(f);
    if (p > bestP) [bestF, bestP] = [f, p];
  }
  const [pl, pr] = [power(bestF - step), power(bestF + step)];
  const denom = pl - 2 * bestP + pr;
  return denom === 0 ? bestF : bestF + (step * 0.5 * (pl - pr)) / denom;
}

export { concatBytes } from "../audioEncoder.ts";

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
