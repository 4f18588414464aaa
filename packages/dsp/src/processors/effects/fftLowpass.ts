import { assertInteger } from "../../errors";
import { ComplexFft } from "./complexFft";
import { besselI0, kaiserWindow, sinc } from "./kaiser";

/**
 * Linear-phase FIR low-pass with optional ×2 upsampling, run as a fast convolution (overlap-save):
 * the resampler's sharp stage. Channels are packed in pairs into one complex signal (first channel
 * real, second imaginary); the filter is real, so the two stay separate.
 *
 * Upsampling by `factor` (1 or 2) is done in the frequency domain: the spectrum of the zero-stuffed
 * block is the input spectrum repeated `factor` times, so one N-point forward FFT and one
 * factor·N-point inverse FFT filter a hop. The filter (taps at the output rate, odd length) must
 * remove the images.
 *
 * Stream timing: output sample m (at factor × the input rate) is the filtered zero-stuffed input
 * at index m − delay, delay = (taps − 1)/2; input before the stream start is silence.
 */
export class FftLowpass {
  readonly factor: 1 | 2;
  readonly taps: number;
  /** Group delay in output samples, (taps − 1)/2. */
  readonly delay: number;
  /** Input frames per FFT block (N) and new input frames per block (the hop). */
  readonly blockFrames: number;
  readonly hopFrames: number;
  private readonly channels: number;
  private readonly fftIn: ComplexFft;
  private readonly fftOut: ComplexFft;
  /** Filter spectrum / (factor·N) (the inverse FFT's scaling folded in). */
  private readonly hRe: Float64Array;
  private readonly hIm: Float64Array;
  /** Input blocks per channel: N samples, the last `fill − (N − hop)` of them new. */
  private readonly blocks: Float64Array[];
  private fill = 0;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly outRe: Float64Array;
  private readonly outIm: Float64Array;

  /** `h` holds the taps at the output rate (odd length, linear phase). */
  constructor(h: Float64Array, factor: 1 | 2, channels: number) {
    assertInteger(channels, 1, 1024, "channels");
    this.factor = factor;
    this.taps = h.length;
    this.delay = (h.length - 1) / 2;
    this.channels = channels;
    let outSize = 1024 * factor;
    while (outSize < 16 * h.length) outSize <<= 1;
    const n = outSize / factor;
    this.blockFrames = n;
    // Overlap-save keeps the last factor·hop outputs of each block, which needs taps − 1 ≤
    // factor·(N − hop): the overlap is (taps − 1)/factor input frames (taps − 1 is even).
    this.hopFrames = n - Math.ceil((h.length - 1) / factor);
    this.fftIn = new ComplexFft(n);
    this.fftOut = new ComplexFft(outSize);
    this.hRe = new Float64Array(outSize);
    this.hIm = new Float64Array(outSize);
    this.hRe.set(h);
    this.fftOut.forward(this.hRe, this.hIm);
    for (let k = 0; k < outSize; k++) {
      this.hRe[k]! /= outSize;
      this.hIm[k]! /= outSize;
    }
    this.blocks = Array.from({ length: channels }, () => new Float64Array(n));
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    this.outRe = new Float64Array(outSize);
    this.outIm = new Float64Array(outSize);
    this.reset();
  }

  reset(): void {
    for (const b of this.blocks) b.fill(0);
    this.fill = this.blockFrames - this.hopFrames;
  }

  /** Input frames still needed to complete the current hop. */
  get space(): number {
    return this.blockFrames - this.fill;
  }

  /**
   * Appends `frames` ≤ `space` input frames (channel c from `input(c)[from …]`, or silence when
   * `input` is null). When the hop completes, filters it and returns true: the factor·hop new
   * output samples of channel c are then `output(c)` … see `emit`.
   */
  push(input: readonly Float32Array[] | null, from: number, frames: number): boolean {
    const at = this.fill;
    for (let c = 0; c < this.channels; c++) {
      const b = this.blocks[c]!;
      if (input === null) b.fill(0, at, at + frames);
      else {
        const x = input[c]!;
        for (let k = 0; k < frames; k++) b[at + k] = x[from + k]!;
      }
    }
    this.fill += frames;
    return this.fill === this.blockFrames;
  }

  /**
   * Filters the completed block and hands each channel's factor·hop new outputs to `sink(c, data,
   * start, count)`, then slides the block by one hop.
   */
  emit(sink: (channel: number, data: Float64Array, start: number, count: number) => void): void {
    const n = this.blockFrames;
    const outSize = n * this.factor;
    const count = this.hopFrames * this.factor;
    const start = outSize - count;
    const { re, im, outRe, outIm, hRe, hIm } = this;
    for (let c = 0; c < this.channels; c += 2) {
      const a = this.blocks[c]!;
      const b = c + 1 < this.channels ? this.blocks[c + 1]! : null;
      re.set(a);
      if (b === null) im.fill(0);
      else im.set(b);
      this.fftIn.forward(re, im);
      // Spectrum of the zero-stuffed block: the N-point spectrum repeated; times the filter.
      for (let k = 0; k < outSize; k++) {
        const j = k & (n - 1);
        const xr = re[j]!;
        const xi = im[j]!;
        const fr = hRe[k]!;
        const fi = hIm[k]!;
        outRe[k] = xr * fr - xi * fi;
        outIm[k] = xr * fi + xi * fr;
      }
      this.fftOut.inverseUnscaled(outRe, outIm);
      sink(c, outRe, start, count);
      if (b !== null) sink(c + 1, outIm, start, count);
    }
    const keep = n - this.hopFrames;
    for (const blk of this.blocks) blk.copyWithin(0, this.hopFrames, n);
    this.fill = keep;
  }
}

/**
 * Taps of a linear-phase Kaiser-windowed-sinc low-pass of `length` (odd) taps at `rate`, cut-off
 * `cutoffHz`, DC gain `gain`: h[k] = gain·2fc/rate·sinc(2fc·(k − D)/rate)·w((k − D)/D), D = (length − 1)/2.
 */
export function kaiserLowpass(
  length: number,
  rate: number,
  cutoffHz: number,
  beta: number,
  gain: number,
): Float64Array {
  const h = new Float64Array(length);
  const d = (length - 1) / 2;
  const i0 = besselI0(beta);
  const fc = cutoffHz / rate;
  for (let k = 0; k < length; k++) h[k] = gain * 2 * fc * sinc(2 * fc * (k - d)) * kaiserWindow((k - d) / d, beta, i0);
  return h;
}
