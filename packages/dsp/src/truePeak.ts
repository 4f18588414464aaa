import { DspError } from "./errors";
import { assertBlock, assertSpec, type Processor, type ProcessSpec, type SampleBuffer } from "./processor";
import { HALF_TAPS, interpolatorPhases, oversamplingFactor, TAPS, worstCaseGain } from "./truePeakFilter";

/** Input samples kept between blocks: the filter history. */
const HISTORY = TAPS - 1;
/** Intervals per skip test (see the class comment); at least HISTORY + 1. */
const SEGMENT = 16;
/** HALF_TAPS folded coefficients, unpacked into locals for the kernels. */
type Coefs8 = readonly [number, number, number, number, number, number, number, number];

/**
 * True-peak meter, ITU-R BS.1770-4 Annex 2: oversample (4× below 96 kHz, 2× below 192 kHz, 1×
 * above), take the largest |sample| of the oversampled signal. The result is never below the sample
 * peak, because branch 0 of the interpolator is the input itself.
 *
 * Speed: the interpolator is a linear FIR, so over a window of outputs |y| ≤ max|x| · Σ|h| where the
 * max runs over the window's inputs (including the filter history) and Σ|h| over the worst branch.
 * When that bound is not above the running maximum, the window cannot raise it and is skipped. The
 * test is exact (with a 1e-9 margin for rounding), so the result does not depend on how the audio
 * was split into blocks. Interpolation runs only where the signal comes near the running peak.
 */
export class TruePeakMeter implements Processor {
  private channels = 0;
  private factor: 1 | 2 | 4 = 4;
  private maxBlock = 0;
  /** Per channel: HISTORY samples of history, then the current block. */
  private buffers: Float64Array[] = [];
  private flushScratch = new Float64Array(2 * HISTORY);
  /** max |buf[k]| over each SEGMENT-aligned segment of the current buffer. */
  private segmentMax = new Float64Array(0);
  private skipGain = 1;
  private peak = 0;
  // Branch coefficients folded for the symmetric kernels: e/o (branches 1 and 3 of 4×), g (the
  // half-sample branch: 2 of 4×, 1 of 2×). Pair t combines inputs t and TAPS − 1 − t.
  private readonly e = new Float64Array(HALF_TAPS);
  private readonly o = new Float64Array(HALF_TAPS);
  private readonly g = new Float64Array(HALF_TAPS);

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.channels = spec.channels;
    this.maxBlock = spec.maxBlockFrames;
    this.factor = oversamplingFactor(spec.sampleRate);
    this.buffers = Array.from({ length: spec.channels }, () => new Float64Array(HISTORY + spec.maxBlockFrames));
    this.segmentMax = new Float64Array(Math.ceil((HISTORY + spec.maxBlockFrames) / SEGMENT) + 1);
    const phases = interpolatorPhases(this.factor);
    this.skipGain = worstCaseGain(phases) * (1 + 1e-9);
    if (this.factor === 4) {
      const [c1, c2] = phases as [Float64Array, Float64Array, Float64Array];
      for (let t = 0; t < HALF_TAPS; t++) {
        this.e[t] = (c1[t]! + c1[TAPS - 1 - t]!) / 2;
        this.o[t] = (c1[t]! - c1[TAPS - 1 - t]!) / 2;
        this.g[t] = c2[t]!;
      }
    } else if (this.factor === 2) {
      const c = phases[0]!;
      for (let t = 0; t < HALF_TAPS; t++) this.g[t] = c[t]!;
    }
    this.reset();
  }

  /** The oversampling factor in use (1, 2 or 4). */
  get oversampling(): number {
    return this.factor;
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "TruePeakMeter.process called before prepare");
    assertBlock(block, frames, this.channels);
    for (let off = 0; off < frames; off += this.maxBlock) {
      const n = Math.min(this.maxBlock, frames - off);
      for (let ch = 0; ch < this.channels; ch++) this.ingest(block[ch]!, off, n, this.buffers[ch]!);
    }
  }

  private ingest(src: SampleBuffer, off: number, n: number, buf: Float64Array): void {
    for (let i = 0; i < n; i++) buf[HISTORY + i] = src[off + i]!;
    // Segment maxima over the history and the new block; their max is the block's sample peak
    // (history samples were counted before, or are zeros).
    const seg = this.segmentMax;
    const total = HISTORY + n;
    let samplePeak = 0;
    let j = 0;
    for (let k = 0; k < total; j++) {
      const end = Math.min(k + SEGMENT, total);
      let m = 0;
      for (; k < end; k++) m = Math.max(m, Math.abs(buf[k]!));
      seg[j] = m;
      if (m > samplePeak) samplePeak = m;
    }
    seg[j] = 0; // the window test may look one segment past the data
    if (samplePeak > this.peak) this.peak = samplePeak;
    this.peak = this.interpolate(buf, n, this.peak);
    buf.copyWithin(0, n, n + HISTORY);
  }

  /**
   * Largest |interpolated value| for the `n` intervals starting at buf[0], or `peak` if larger.
   * Needs `segmentMax` filled for buf[0 … n + HISTORY). Intervals [w0, w0 + SEGMENT) read
   * buf[w0 … w0 + SEGMENT + HISTORY − 1], which lies in segments j = w0/SEGMENT and j + 1.
   */
  private interpolate(buf: Float64Array, n: number, peak: number): number {
    if (this.factor === 4) return this.interpolate4(buf, n, peak);
    if (this.factor === 2) return this.interpolate2(buf, n, peak);
    return peak;
  }

  /**
   * 4× kernel. Branch 3 is branch 1 reversed, so with s = x[t] + x[15−t], d = x[t] − x[15−t]:
   * y1 = A + B, y3 = A − B (A = Σe·s, B = Σo·d) and max(|y1|, |y3|) = |A| + |B|; branch 2 is
   * symmetric: y2 = Σg·s. 24 multiplies per input sample instead of 48.
   */
  private interpolate4(b: Float64Array, n: number, peak: number): number {
    const [e0, e1, e2, e3, e4, e5, e6, e7] = this.e as unknown as Coefs8;
    const [o0, o1, o2, o3, o4, o5, o6, o7] = this.o as unknown as Coefs8;
    const [g0, g1, g2, g3, g4, g5, g6, g7] = this.g as unknown as Coefs8;
    const seg = this.segmentMax;
    const skipGain = this.skipGain;
    for (let w0 = 0, j = 0; w0 < n; w0 += SEGMENT, j++) {
      if (Math.max(seg[j]!, seg[j + 1]!) * skipGain <= peak) continue;
      for (let i = w0, end = Math.min(w0 + SEGMENT, n); i < end; i++) {
        let x = b[i]!;
        let y = b[i + 15]!;
        let s = x + y;
        let d = x - y;
        let sa = e0 * s;
        let sb = o0 * d;
        let sg = g0 * s;
        x = b[i + 1]!;
        y = b[i + 14]!;
        s = x + y;
        d = x - y;
        sa += e1 * s;
        sb += o1 * d;
        sg += g1 * s;
        x = b[i + 2]!;
        y = b[i + 13]!;
        s = x + y;
        d = x - y;
        sa += e2 * s;
        sb += o2 * d;
        sg += g2 * s;
        x = b[i + 3]!;
        y = b[i + 12]!;
        s = x + y;
        d = x - y;
        sa += e3 * s;
        sb += o3 * d;
        sg += g3 * s;
        x = b[i + 4]!;
        y = b[i + 11]!;
        s = x + y;
        d = x - y;
        sa += e4 * s;
        sb += o4 * d;
        sg += g4 * s;
        x = b[i + 5]!;
        y = b[i + 10]!;
        s = x + y;
        d = x - y;
        sa += e5 * s;
        sb += o5 * d;
        sg += g5 * s;
        x = b[i + 6]!;
        y = b[i + 9]!;
        s = x + y;
        d = x - y;
        sa += e6 * s;
        sb += o6 * d;
        sg += g6 * s;
        x = b[i + 7]!;
        y = b[i + 8]!;
        s = x + y;
        d = x - y;
        sa += e7 * s;
        sb += o7 * d;
        sg += g7 * s;
        const v = Math.abs(sa) + Math.abs(sb);
        if (v > peak) peak = v;
        const w = Math.abs(sg);
        if (w > peak) peak = w;
      }
    }
    return peak;
  }

  /** 2× kernel: the single (symmetric, half-sample) branch, y = Σg·(x[t] + x[15−t]). */
  private interpolate2(b: Float64Array, n: number, peak: number): number {
    const [g0, g1, g2, g3, g4, g5, g6, g7] = this.g as unknown as Coefs8;
    const seg = this.segmentMax;
    const skipGain = this.skipGain;
    for (let w0 = 0, j = 0; w0 < n; w0 += SEGMENT, j++) {
      if (Math.max(seg[j]!, seg[j + 1]!) * skipGain <= peak) continue;
      for (let i = w0, end = Math.min(w0 + SEGMENT, n); i < end; i++) {
        const y =
          g0 * (b[i]! + b[i + 15]!) +
          g1 * (b[i + 1]! + b[i + 14]!) +
          g2 * (b[i + 2]! + b[i + 13]!) +
          g3 * (b[i + 3]! + b[i + 12]!) +
          g4 * (b[i + 4]! + b[i + 11]!) +
          g5 * (b[i + 5]! + b[i + 10]!) +
          g6 * (b[i + 6]! + b[i + 9]!) +
          g7 * (b[i + 7]! + b[i + 8]!);
        const a = Math.abs(y);
        if (a > peak) peak = a;
      }
    }
    return peak;
  }

  /**
   * The true peak so far (linear). Includes the filter's ring-out after the last sample, computed on
   * a scratch copy so that processing can continue afterwards.
   */
  truePeak(): number {
    if (this.channels === 0) return 0;
    let peak = this.peak;
    const s = this.flushScratch;
    const seg = this.segmentMax;
    for (const buf of this.buffers) {
      s.fill(0);
      s.set(buf.subarray(0, HISTORY));
      let m = 0;
      for (let k = 0; k < HISTORY; k++) m = Math.max(m, Math.abs(s[k]!));
      seg.fill(0);
      seg[0] = m; // HISTORY < SEGMENT: the history is segment 0, the zeros after it segments 1, 2
      peak = this.interpolate(s, HISTORY, peak);
    }
    return peak;
  }

  reset(): void {
    for (const b of this.buffers) b.fill(0);
    this.peak = 0;
  }
}
