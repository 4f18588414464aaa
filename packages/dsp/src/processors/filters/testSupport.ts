import type { SampleBuffer } from "../../processor";
import { prng } from "../../signals";
import { processInBlocks } from "../blockRunner";
import type { ChainProcessor } from "../chainProcessor";

/* Helpers for the tests of this folder (not exported from the package). */

export const toDb = (gain: number): number => 20 * Math.log10(gain);

/** Uniform noise in [−0.5, 0.5), `channels` planar Float32 channels, deterministic per seed. */
export function randomBlock(frames: number, channels = 2, seed = 1): Float32Array[] {
  const rand = prng(seed);
  return Array.from({ length: channels }, () => Float32Array.from({ length: frames }, () => rand() - 0.5));
}

/** Copies `input`, runs `proc` over the copy in blocks of `blockSize` frames, returns the copy. */
export function runInBlocks<P>(
  proc: ChainProcessor<P>,
  input: readonly Float32Array[],
  blockSize: number,
): Float32Array[] {
  const out = input.map((c) => c.slice());
  processInBlocks(proc, out, blockSize);
  return out;
}

/**
 * Runs `make()` (a fresh, parameterised processor, prepared with maxBlockFrames 8192) over the same
 * input in blocks of 1 (first `shortFrames` frames), 128, 1000 and 8192 frames; returns the outputs.
 */
export function blockSizeRuns<P>(
  make: () => ChainProcessor<P>,
  input: readonly Float32Array[],
  shortFrames = 3000,
): { one: Float32Array[]; sizes: Float32Array[][] } {
  const one = runInBlocks(
    make(),
    input.map((c) => c.subarray(0, shortFrames)),
    1,
  );
  const sizes = [128, 1000, 8192].map((b) => runInBlocks(make(), input, b));
  return { one, sizes };
}

/** |Σ h[n]·e^{−iωn}| at `frequency`: the magnitude response of an impulse response. */
export function dftMagnitude(ir: ArrayLike<number>, frequency: number, sampleRate: number): number {
  const w = (2 * Math.PI * frequency) / sampleRate;
  // Rotate a unit phasor by e^{−iω} per sample, renormalising every 1024 samples.
  const cr = Math.cos(w);
  const ci = -Math.sin(w);
  let pr = 1;
  let pi = 0;
  let re = 0;
  let im = 0;
  for (let n = 0; n < ir.length; n++) {
    const h = ir[n]!;
    re += h * pr;
    im += h * pi;
    const t = pr * cr - pi * ci;
    pi = pr * ci + pi * cr;
    pr = t;
    if ((n & 1023) === 1023) {
      const m = Math.hypot(pr, pi);
      pr /= m;
      pi /= m;
    }
  }
  return Math.hypot(re, im);
}

/** A unit impulse of `frames` samples, Float64 (so measurements are not limited by float32). */
export function impulse(frames: number): Float64Array {
  const x = new Float64Array(frames);
  x[0] = 1;
  return x;
}

/** Log-spaced frequencies from `lo` to `hi` (inclusive), `perOctave` per octave. */
export function logFrequencies(lo: number, hi: number, perOctave: number): number[] {
  const out: number[] = [];
  const n = Math.ceil(Math.log2(hi / lo) * perOctave);
  for (let k = 0; k <= n; k++) out.push(lo * 2 ** ((k / n) * Math.log2(hi / lo)));
  return out;
}

/** Stereo Float64 block views, for feeding impulses through processors. */
export function stereo(a: SampleBuffer, b: SampleBuffer): SampleBuffer[] {
  return [a, b];
}
