import type { AnalysisResult } from "./analysisResult";
import { assertInRange, assertInteger, DspError } from "./errors";
import { LoudnessMeter } from "./loudnessMeter";
import { WaveformOverview } from "./overview";
import { assertBlock, type ProcessSpec, type SampleBuffer } from "./processor";
import { SpectrumAnalyzer } from "./spectrum";
import { TruePeakMeter } from "./truePeak";

export interface AnalyzerOptions {
  sampleRate: number;
  channels: number;
  /** Bins of the waveform overview. Default 1024. */
  waveformBins?: number;
  /** BS.1770 channel weights G_i (default 1.0 each; 1.41 for surround channels). */
  channelWeights?: number[];
}

/** Internal block size: every meter sees the audio in pieces of at most this many frames. */
const CHUNK = 4096;
/** Full scale of 16-bit PCM: a sample at or beyond this would clip when written as 16-bit. */
const CLIP_LEVEL = 32767 / 32768;

/**
 * Streaming analysis of a whole programme: loudness (integrated, range, momentary and short-term
 * maxima, a timeline), true and sample peak, PLR, DC offset, stereo correlation, clipped and
 * non-finite sample counts, a waveform overview and a one-third-octave spectrum.
 *
 * `process` takes blocks of any size (1 frame or a whole file) and allocates nothing (except that the
 * loudness history, 10 numbers a second, doubles its array now and then); every figure is
 * accumulated in sample order, so the result is bit-identical however the audio is split.
 * Non-finite samples are counted and replaced by 0 before any meter sees them.
 */
export class AudioAnalyzer {
  readonly sampleRate: number;
  readonly channels: number;
  private readonly loudness: LoudnessMeter;
  private readonly truePeak = new TruePeakMeter();
  private readonly overview: WaveformOverview;
  private readonly spectrum = new SpectrumAnalyzer();
  /** The current chunk, sanitised (non-finite → 0), per channel. */
  private readonly scratch: Float64Array[];
  private readonly sums: Float64Array;
  private frames = 0;
  private peak = 0;
  private clipped = 0;
  private nonFinite = 0;
  private sumLL = 0;
  private sumRR = 0;
  private sumLR = 0;

  constructor(options: AnalyzerOptions) {
    assertInRange(options.sampleRate, 8000, 768_000, "sampleRate");
    assertInteger(options.channels, 1, 64, "channels");
    this.sampleRate = options.sampleRate;
    this.channels = options.channels;
    const spec: ProcessSpec = { sampleRate: options.sampleRate, channels: options.channels, maxBlockFrames: CHUNK };
    this.loudness = new LoudnessMeter(options.channelWeights ? { channelWeights: options.channelWeights } : {});
    this.overview = new WaveformOverview(options.waveformBins ?? 1024);
    this.loudness.prepare(spec);
    this.truePeak.prepare(spec);
    this.overview.prepare(spec);
    this.spectrum.prepare(spec);
    this.scratch = Array.from({ length: options.channels }, () => new Float64Array(CHUNK));
    this.sums = new Float64Array(options.channels);
  }

  /** Consumes the first `frames` frames of `block` (one array per channel). */
  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    assertBlock(block, frames, this.channels);
    for (let off = 0; off < frames; off += CHUNK) this.ingest(block, off, Math.min(CHUNK, frames - off));
  }

  private ingest(block: readonly SampleBuffer[], off: number, n: number): void {
    const fast = this.channels === 2 ? this.scanStereo(block[0]!, block[1]!, off, n) : this.scanChannels(block, off, n);
    if (!fast) this.scanSanitizing(block, off, n);
    const x = this.scratch;
    this.loudness.process(x, n);
    this.truePeak.process(x, n);
    this.overview.process(x, n);
    this.spectrum.process(x, n);
    this.frames += n;
  }

  /*
   * The statistics pass, three ways. All three accumulate every sum in sample order, so they agree
   * to the bit on finite audio and the result does not depend on which one ran for a chunk. The fast
   * ones do not test each sample for NaN/Infinity: any such sample makes its channel sum non-finite
   * (finite float32 audio cannot overflow a double sum), and then nothing is committed and the chunk
   * is redone by `scanSanitizing`.
   */

  /** Stereo: one loop, seven independent accumulators (so they overlap in the pipeline). */
  private scanStereo(left: SampleBuffer, right: SampleBuffer, off: number, n: number): boolean {
    const xl = this.scratch[0]!;
    const xr = this.scratch[1]!;
    let sl = this.sums[0]!;
    let sr = this.sums[1]!;
    let ll = this.sumLL;
    let rr = this.sumRR;
    let lr = this.sumLR;
    let peak = 0;
    for (let i = 0; i < n; i++) {
      const l = left[off + i]!;
      const r = right[off + i]!;
      xl[i] = l;
      xr[i] = r;
      sl += l;
      sr += r;
      ll += l * l;
      rr += r * r;
      lr += l * r;
      const al = Math.abs(l);
      const ar = Math.abs(r);
      if (al > peak) peak = al;
      if (ar > peak) peak = ar;
    }
    if (sl - sl !== 0 || sr - sr !== 0) return false;
    this.sums[0] = sl;
    this.sums[1] = sr;
    this.sumLL = ll;
    this.sumRR = rr;
    this.sumLR = lr;
    if (peak >= CLIP_LEVEL) this.clipped += countClipped(xl, n) + countClipped(xr, n);
    if (peak > this.peak) this.peak = peak;
    return true;
  }

  /** Any channel count: per channel copy, sum and peak, then the correlation sums of channels 0, 1. */
  private scanChannels(block: readonly SampleBuffer[], off: number, n: number): boolean {
    const x = this.scratch;
    let peak = this.peak;
    for (let ch = 0; ch < this.channels; ch++) {
      const src = block[ch]!;
      const dst = x[ch]!;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const v = src[off + i]!;
        dst[i] = v;
        sum += v;
      }
      if (sum - sum !== 0) return false;
    }
    for (let ch = 0; ch < this.channels; ch++) {
      const dst = x[ch]!;
      let sum = this.sums[ch]!;
      let mx = 0;
      for (let i = 0; i < n; i++) {
        const v = dst[i]!;
        sum += v;
        const a = Math.abs(v);
        if (a > mx) mx = a;
      }
      this.sums[ch] = sum;
      if (mx >= CLIP_LEVEL) this.clipped += countClipped(dst, n);
      if (mx > peak) peak = mx;
    }
    this.peak = peak;
    if (this.channels >= 2) this.correlate(x[0]!, x[1]!, n);
    return true;
  }

  /** The careful path: counts non-finite samples and replaces them with 0. */
  private scanSanitizing(block: readonly SampleBuffer[], off: number, n: number): void {
    const x = this.scratch;
    let peak = this.peak;
    let clipped = this.clipped;
    let nonFinite = this.nonFinite;
    for (let ch = 0; ch < this.channels; ch++) {
      const src = block[ch]!;
      const dst = x[ch]!;
      let sum = this.sums[ch]!;
      for (let i = 0; i < n; i++) {
        let v = src[off + i]!;
        if (v - v !== 0) {
          // NaN or ±Infinity (for which v − v is NaN)
          nonFinite++;
          v = 0;
        }
        const a = Math.abs(v);
        if (a > peak) peak = a;
        if (a >= CLIP_LEVEL) clipped++;
        sum += v;
        dst[i] = v;
      }
      this.sums[ch] = sum;
    }
    this.peak = peak;
    this.clipped = clipped;
    this.nonFinite = nonFinite;
    if (this.channels >= 2) this.correlate(x[0]!, x[1]!, n);
  }

  private correlate(l: Float64Array, r: Float64Array, n: number): void {
    let ll = this.sumLL;
    let rr = this.sumRR;
    let lr = this.sumLR;
    for (let i = 0; i < n; i++) {
      const a = l[i]!;
      const b = r[i]!;
      ll += a * a;
      rr += b * b;
      lr += a * b;
    }
    this.sumLL = ll;
    this.sumRR = rr;
    this.sumLR = lr;
  }

  result(): AnalysisResult {
    const frames = this.frames;
    const integrated = finiteOrNull(this.loudness.integrated());
    const truePeak = toDb(this.truePeak.truePeak());
    const dcPerChannel = Array.from(this.sums, (s) => (frames === 0 ? 0 : s / frames) + 0);
    let dc = 0;
    for (const d of dcPerChannel) if (Math.abs(d) > Math.abs(dc)) dc = d;
    return {
      sampleRate: this.sampleRate,
      channels: this.channels,
      frames,
      durationSeconds: frames / this.sampleRate,
      integratedLufs: integrated,
      loudnessRangeLu: finiteOrNull(this.loudness.loudnessRange()),
      truePeakDbtp: truePeak,
      samplePeakDbfs: toDb(this.peak),
      plrDb: truePeak !== null && integrated !== null ? finiteOrNull(truePeak - integrated) : null,
      momentaryMaxLufs: finiteOrNull(this.loudness.momentaryMax()),
      shortTermMaxLufs: finiteOrNull(this.loudness.shortTermMax()),
      dcOffset: dc,
      dcOffsetPerChannel: dcPerChannel,
      correlation: frames === 0 ? null : this.correlation(),
      clippedSamples: this.clipped,
      nonFiniteSamples: this.nonFinite,
      shortTermTimeline: this.loudness.timeline().map(finiteOrNull),
      waveform: this.overview.result(),
      spectrum: this.spectrum.result().map((b) => ({ centerHz: b.centerHz, levelDb: finiteOrNull(b.levelDb) })),
    };
  }

  private correlation(): number {
    if (this.channels === 1) return 1;
    if (this.sumLL === 0 || this.sumRR === 0) return 0;
    const r = this.sumLR / (Math.sqrt(this.sumLL) * Math.sqrt(this.sumRR));
    return Math.min(1, Math.max(-1, r)) + 0;
  }

  reset(): void {
    this.loudness.reset();
    this.truePeak.reset();
    this.overview.reset();
    this.spectrum.reset();
    this.sums.fill(0);
    this.frames = 0;
    this.peak = 0;
    this.clipped = 0;
    this.nonFinite = 0;
    this.sumLL = 0;
    this.sumRR = 0;
    this.sumLR = 0;
  }
}

function countClipped(x: Float64Array, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (Math.abs(x[i]!) >= CLIP_LEVEL) count++;
  return count;
}

/** `null` for NaN, ±Infinity and null; otherwise the number with −0 turned into 0. */
function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v + 0 : null;
}

/** 20·log10 of a linear peak, `null` for 0. */
function toDb(linear: number): number | null {
  return linear > 0 ? finiteOrNull(20 * Math.log10(linear)) : null;
}

/**
 * Analyses a whole signal held in memory (one array per channel, all the same length). The analyzer
 * works through it in blocks of 4096 frames.
 */
export function analyzeAudio(
  channels: readonly SampleBuffer[],
  sampleRate: number,
  options: Omit<AnalyzerOptions, "sampleRate" | "channels"> = {},
): AnalysisResult {
  if (channels.length === 0) throw new DspError("INVALID_ARGUMENT", "analyzeAudio needs at least one channel");
  const frames = channels[0]!.length;
  if (channels.some((c) => c.length !== frames)) {
    throw new DspError("INVALID_ARGUMENT", "analyzeAudio: every channel must have the same length");
  }
  const analyzer = new AudioAnalyzer({ ...options, sampleRate, channels: channels.length });
  analyzer.process(channels, frames);
  return analyzer.result();
}
