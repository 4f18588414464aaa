import { assertInRange, assertInteger, DspError } from "./errors";
import { dbToGain } from "./units";

/*
 * Deterministic test signals, planar (one Float32Array per channel). Used by the tests of this
 * package and of the packages above it: the same seed always gives the same samples.
 */

/** mulberry32: a small, fast 32-bit PRNG. Returns numbers in [0, 1). */
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

export interface SineOptions {
  sampleRate: number;
  frequency: number;
  /** Peak amplitude in dBFS (0 = full scale). Default 0. */
  amplitudeDbfs?: number;
  seconds: number;
  /** Start phase in radians: x[n] = A·sin(2π·f·n/fs + phase). Default 0. */
  phase?: number;
  /** Identical copies. Default 1. */
  channels?: number;
}

function frameCount(sampleRate: number, seconds: number): number {
  assertInRange(sampleRate, 1, 10_000_000, "sampleRate");
  assertInRange(seconds, 0, 100_000, "seconds");
  return Math.round(sampleRate * seconds);
}

export function sine(o: SineOptions): Float32Array[] {
  const n = frameCount(o.sampleRate, o.seconds);
  const channels = o.channels ?? 1;
  assertInteger(channels, 1, 1024, "channels");
  const a = dbToGain(o.amplitudeDbfs ?? 0);
  const w = (2 * Math.PI * o.frequency) / o.sampleRate;
  const phase = o.phase ?? 0;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = a * Math.sin(w * i + phase);
  return Array.from({ length: channels }, (_, c) => (c === 0 ? x : x.slice()));
}

/** Joins signals end to end, channel by channel (all parts need the same channel count). */
export function concat(...parts: Float32Array[][]): Float32Array[] {
  if (parts.length === 0) return [];
  const channels = parts[0]!.length;
  if (parts.some((p) => p.length !== channels)) {
    throw new DspError("INVALID_ARGUMENT", "concat: every part must have the same number of channels");
  }
  const total = parts.reduce((s, p) => s + (p[0]?.length ?? 0), 0);
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p[c]!, at);
      at += p[c]!.length;
    }
    return out;
  });
}

export interface NoiseOptions {
  sampleRate: number;
  seconds: number;
  /** RMS level in dB re 1.0 (a full-scale square wave). Default −20. */
  rmsDb?: number;
  /** Independent noise per channel. Default 1. */
  channels?: number;
  seed?: number;
}

/** Uniform white noise: flat power spectral density. */
export function whiteNoise(o: NoiseOptions): Float32Array[] {
  const n = frameCount(o.sampleRate, o.seconds);
  const channels = o.channels ?? 1;
  assertInteger(channels, 1, 1024, "channels");
  const rand = prng(o.seed ?? 1);
  // Uniform on [−h, h] has RMS h/√3.
  const h = dbToGain(o.rmsDb ?? -20) * Math.sqrt(3);
  return Array.from({ length: channels }, () => {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = (2 * rand() - 1) * h;
    return x;
  });
}

/**
 * Pink noise (−3 dB per octave) from white noise through Paul Kellet's "refined" filter (accurate
 * to ±0.05 dB above 9 Hz at 44.1 kHz), scaled to the requested RMS.
 */
export function pinkNoise(o: NoiseOptions): Float32Array[] {
  const n = frameCount(o.sampleRate, o.seconds);
  const channels = o.channels ?? 1;
  assertInteger(channels, 1, 1024, "channels");
  const rand = prng(o.seed ?? 1);
  const target = dbToGain(o.rmsDb ?? -20);
  return Array.from({ length: channels }, () => {
    const y = new Float64Array(n);
    let b0 = 0,
      b1 = 0,
      b2 = 0,
      b3 = 0,
      b4 = 0,
      b5 = 0,
      b6 = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const w = 2 * rand() - 1;
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.969 * b2 + w * 0.153852;
      b3 = 0.8665 * b3 + w * 0.3104856;
      b4 = 0.55 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.016898;
      const v = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
      b6 = w * 0.115926;
      y[i] = v;
      sumSq += v * v;
    }
    const g = n === 0 || sumSq === 0 ? 0 : target / Math.sqrt(sumSq / n);
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = y[i]! * g;
    return x;
  });
}
