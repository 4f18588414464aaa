import { prng } from "../../signals";
import { TruePeakMeter } from "../../truePeak";
import { processInBlocks } from "../blockRunner";
import type { ChainProcessor } from "../chainProcessor";

/*
 * Helpers shared by the tests of this folder (not part of the package's API).
 */

/** Copies `input`, runs it through `proc` (prepared for `maxBlock`) in blocks of `blockFrames`. */
export function render<P>(
  proc: ChainProcessor<P>,
  input: readonly Float32Array[],
  sampleRate: number,
  blockFrames: number,
  maxBlock = blockFrames,
): Float32Array[] {
  const out = input.map((c) => c.slice());
  proc.prepare({ sampleRate, channels: out.length, maxBlockFrames: maxBlock });
  processInBlocks(proc, out, blockFrames);
  return out;
}

export { processInBlocks };

/** Independent uniform noise per channel in [−amp, amp), seeded. */
export function noise(frames: number, channels: number, amp: number, seed: number): Float32Array[] {
  const r = prng(seed);
  return Array.from({ length: channels }, () => {
    const x = new Float32Array(frames);
    for (let i = 0; i < frames; i++) x[i] = (2 * r() - 1) * amp;
    return x;
  });
}

/** A sine of amplitude `amp` (linear), `frames` long, identical on `channels` channels. */
export function tone(frames: number, channels: number, freq: number, amp: number, sampleRate: number, phase = 0) {
  const x = new Float32Array(frames);
  const w = (2 * Math.PI * freq) / sampleRate;
  for (let i = 0; i < frames; i++) x[i] = amp * Math.sin(w * i + phase);
  return Array.from({ length: channels }, () => x.slice());
}

/** Peak |x| (dB) over [from, to) of one channel. */
export function peakDb(x: Float32Array, from = 0, to = x.length): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(x[i]!));
  return 20 * Math.log10(m);
}

/** RMS (dB) over [from, to) of one channel. */
export function rmsDb(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return 10 * Math.log10(s / (to - from));
}

/** True peak (linear) of planar audio, by the project's BS.1770-4 meter. */
export function truePeak(x: readonly Float32Array[], sampleRate: number): number {
  const m = new TruePeakMeter();
  m.prepare({ sampleRate, channels: x.length, maxBlockFrames: 8192 });
  m.process(x, x[0]!.length);
  return m.truePeak();
}

/** Appends `frames` zeros to every channel. */
export function padZeros(x: readonly Float32Array[], frames: number): Float32Array[] {
  return x.map((c) => {
    const y = new Float32Array(c.length + frames);
    y.set(c);
    return y;
  });
}

/** Largest |a − b| over all channels and samples. */
export function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let m = 0;
  for (let c = 0; c < a.length; c++)
    for (let i = 0; i < a[c]!.length; i++) m = Math.max(m, Math.abs(a[c]![i]! - b[c]![i]!));
  return m;
}

/**
 * The standard processor checks: bit-identical output for block sizes 1 (short input), 128, 1000 and
 * 8192; reset() restores the initial state; silence and DC give finite output.
 */
export function blockInvariance<P>(make: () => ChainProcessor<P>, sampleRate: number, frames = 20_000): void {
  const input = noise(frames, 2, 0.9, 11);
  // A loud burst in the middle so that dynamics processors actually work.
  for (const c of input) for (let i = frames >> 2; i < frames >> 1; i++) c[i]! *= 1.6;
  const ref = render(make(), input, sampleRate, 8192);
  for (const block of [128, 1000]) {
    const out = render(make(), input, sampleRate, block, 8192);
    if (maxAbsDiff(out, ref) !== 0) throw new Error(`block ${block} differs from 8192`);
    const out2 = render(make(), input, sampleRate, block);
    if (maxAbsDiff(out2, ref) !== 0) throw new Error(`block ${block} (maxBlock ${block}) differs from 8192`);
  }
  const short = input.map((c) => c.subarray(0, 3000));
  const a = render(make(), short, sampleRate, 1, 8192);
  const b = render(make(), short, sampleRate, 8192);
  if (maxAbsDiff(a, b) !== 0) throw new Error("block 1 differs from 8192");
}

/** Amplitude (dB) of the `freq` component of x[from … to) (a DFT bin; use whole periods). */
export function componentDb(x: Float32Array, freq: number, sampleRate: number, from: number, to: number): number {
  let re = 0;
  let im = 0;
  const w = (2 * Math.PI * freq) / sampleRate;
  for (let i = from; i < to; i++) {
    re += x[i]! * Math.cos(w * i);
    im += x[i]! * Math.sin(w * i);
  }
  return 20 * Math.log10((2 * Math.hypot(re, im)) / (to - from));
}
