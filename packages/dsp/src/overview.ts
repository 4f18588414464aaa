import { assertInteger, DspError } from "./errors";
import { assertBlock, assertSpec, type Processor, type ProcessSpec, type SampleBuffer } from "./processor";

export interface Waveform {
  /** Number of bins actually returned: the requested count, or the frame count if that is smaller. */
  bins: number;
  /** min[channel][bin] and max[channel][bin] of the samples in each bin. */
  min: number[][];
  max: number[][];
}

/**
 * Waveform overview: per-channel min/max over `bins` equal slices of the whole signal, computed in one
 * pass without knowing the length in advance.
 *
 * Frames go into buckets of `framesPerBucket` frames (initially 1). When 2·bins buckets are full,
 * neighbours are merged pairwise and `framesPerBucket` doubles, so memory stays at 4·bins numbers per
 * channel. `result()` re-bins to exactly `bins` slices: slice j covers frames
 * [⌊j·F/bins⌋, ⌊(j+1)·F/bins⌋) and takes the extremes of every bucket that overlaps it. Because a
 * bucket is never wider than a slice, a slice can only borrow extremes from less than one bucket on
 * each side; when F is bins·2^k (or F ≤ 2·bins) the result is exact.
 */
export class WaveformOverview implements Processor {
  private readonly bins: number;
  private channels = 0;
  private mins: Float64Array[] = [];
  private maxs: Float64Array[] = [];
  /** Extremes of the bucket being filled, per channel. */
  private curMin = new Float64Array(0);
  private curMax = new Float64Array(0);
  private curFrames = 0;
  private buckets = 0;
  private framesPerBucket = 1;
  private total = 0;

  constructor(bins = 1024) {
    assertInteger(bins, 1, 1 << 20, "waveformBins");
    this.bins = bins;
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.channels = spec.channels;
    this.mins = Array.from({ length: spec.channels }, () => new Float64Array(2 * this.bins));
    this.maxs = Array.from({ length: spec.channels }, () => new Float64Array(2 * this.bins));
    this.curMin = new Float64Array(spec.channels);
    this.curMax = new Float64Array(spec.channels);
    this.reset();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "WaveformOverview.process called before prepare");
    assertBlock(block, frames, this.channels);
    let off = 0;
    while (off < frames) {
      const n = Math.min(frames - off, this.framesPerBucket - this.curFrames);
      for (let ch = 0; ch < this.channels; ch++) {
        const x = block[ch]!;
        let lo = this.curMin[ch]!;
        let hi = this.curMax[ch]!;
        for (let i = off, end = off + n; i < end; i++) {
          const v = x[i]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        this.curMin[ch] = lo;
        this.curMax[ch] = hi;
      }
      off += n;
      this.curFrames += n;
      this.total += n;
      if (this.curFrames === this.framesPerBucket) this.pushBucket();
    }
  }

  private pushBucket(): void {
    for (let ch = 0; ch < this.channels; ch++) {
      this.mins[ch]![this.buckets] = this.curMin[ch]!;
      this.maxs[ch]![this.buckets] = this.curMax[ch]!;
    }
    this.buckets++;
    this.curFrames = 0;
    this.curMin.fill(Number.POSITIVE_INFINITY);
    this.curMax.fill(Number.NEGATIVE_INFINITY);
    if (this.buckets === 2 * this.bins) {
      // Full: merge neighbours. Every bucket so far was complete, so the merged ones are aligned.
      for (let ch = 0; ch < this.channels; ch++) {
        const mn = this.mins[ch]!;
        const mx = this.maxs[ch]!;
        for (let b = 0; b < this.bins; b++) {
          mn[b] = Math.min(mn[2 * b]!, mn[2 * b + 1]!);
          mx[b] = Math.max(mx[2 * b]!, mx[2 * b + 1]!);
        }
      }
      this.buckets = this.bins;
      this.framesPerBucket *= 2;
    }
  }

  /** Frames seen so far. */
  get frames(): number {
    return this.total;
  }

  result(): Waveform {
    const total = this.total;
    const out = Math.min(this.bins, total);
    const fpb = this.framesPerBucket;
    const min: number[][] = [];
    const max: number[][] = [];
    for (let ch = 0; ch < this.channels; ch++) {
      const mn = this.mins[ch]!;
      const mx = this.maxs[ch]!;
      const rowMin = new Array<number>(out);
      const rowMax = new Array<number>(out);
      for (let j = 0; j < out; j++) {
        const start = Math.floor((j * total) / out);
        const end = Math.floor(((j + 1) * total) / out);
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let b = Math.floor(start / fpb), last = Math.floor((end - 1) / fpb); b <= last; b++) {
          // Bucket `this.buckets` is the one still being filled.
          const bMin = b < this.buckets ? mn[b]! : this.curMin[ch]!;
          const bMax = b < this.buckets ? mx[b]! : this.curMax[ch]!;
          if (bMin < lo) lo = bMin;
          if (bMax > hi) hi = bMax;
        }
        rowMin[j] = lo + 0; // + 0 turns −0 into 0 (JSON has no −0)
        rowMax[j] = hi + 0;
      }
      min.push(rowMin);
      max.push(rowMax);
    }
    return { bins: out, min, max };
  }

  reset(): void {
    this.buckets = 0;
    this.framesPerBucket = 1;
    this.curFrames = 0;
    this.total = 0;
    this.curMin.fill(Number.POSITIVE_INFINITY);
    this.curMax.fill(Number.NEGATIVE_INFINITY);
  }
}
