import { DspError } from "./errors";
import { RealFft } from "./fft";
import { assertBlock, assertSpec, type Processor, type ProcessSpec, type SampleBuffer } from "./processor";

export interface SpectrumBand {
  /** Nominal centre frequency (IEC 61260-1 Annex E). */
  centerHz: number;
  /** Mean power in the band relative to a full-scale sine (dB); `null` if there was no signal. */
  levelDb: number | null;
}

/** Nominal one-third-octave centres, 20 Hz … 20 kHz (IEC 61260-1, base-10 series). */
export const THIRD_OCTAVE_CENTRES_HZ: readonly number[] = [
  20, 25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150,
  4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000,
];
/** Index of 1 kHz in THIRD_OCTAVE_CENTRES_HZ: exact centre of band x is 1000·10^((x − 17)/10) Hz. */
const INDEX_OF_1K = 17;

/**
 * The power in one-third-octave band `x` (an index into THIRD_OCTAVE_CENTRES_HZ) of the one-sided
 * power spectrum `power` of an `n`-point FFT at `sampleRate`: the bins summed, each weighted by how
 * much of it lies between the band's edges. `null` for a band whose centre is at or above Nyquist.
 */
export function thirdOctaveBandPower(
  power: ArrayLike<number>,
  n: number,
  sampleRate: number,
  x: number,
): number | null {
  const centre = 1000 * 10 ** ((x - INDEX_OF_1K) / 10);
  if (centre >= sampleRate / 2) return null;
  const binHz = sampleRate / n;
  const lo = centre * 10 ** -0.05;
  const hi = Math.min(centre * 10 ** 0.05, sampleRate / 2);
  let p = 0;
  const k0 = Math.max(1, Math.floor(lo / binHz + 0.5));
  const k1 = Math.min(n / 2, Math.ceil(hi / binHz + 0.5));
  for (let k = k0; k <= k1; k++) {
    const overlap = Math.min(hi, (k + 0.5) * binHz) - Math.max(lo, (k - 0.5) * binHz);
    if (overlap > 0) p += (power[k]! * overlap) / binHz;
  }
  return p;
}

/** FFT length for a sample rate: the power of two giving bins of about 6 Hz or finer (8192 at 48 kHz). */
export function spectrumFftSize(sampleRate: number): number {
  const n = 2 ** Math.ceil(Math.log2(sampleRate / 6));
  return Math.min(1 << 16, Math.max(256, n));
}

/**
 * One-third-octave summary of the mono sum (mean of the channels). Consecutive frames of N samples
 * (no overlap, Hann window) go through a real FFT; the power of every bin is summed over frames, and
 * at the end each band collects the bins it overlaps, weighted by the overlap (bins narrower than a
 * band at low frequencies are shared). Power is normalised so a sine of amplitude A reads A²/2, then
 * expressed in dB re a full-scale sine (A = 1): a 0 dBFS sine at a band centre reads 0 dB there.
 * Bands whose centre is at or above Nyquist are left out.
 */
export class SpectrumAnalyzer implements Processor {
  private channels = 0;
  private sampleRate = 0;
  private fft: RealFft | null = null;
  private window: Float64Array = new Float64Array(0);
  private windowPower = 0;
  private frame = new Float64Array(0);
  private fill = 0;
  /** Σ over frames of |X_k|² / Σw² (k = 0 … N/2). */
  private power = new Float64Array(0);
  private frames = 0;

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.channels = spec.channels;
    this.sampleRate = spec.sampleRate;
    const n = spectrumFftSize(spec.sampleRate);
    this.fft = new RealFft(n);
    this.window = hann(n, n);
    this.windowPower = sumOfSquares(this.window, n);
    this.frame = new Float64Array(n);
    this.power = new Float64Array(n / 2 + 1);
    this.reset();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "SpectrumAnalyzer.process called before prepare");
    assertBlock(block, frames, this.channels);
    const n = this.frame.length;
    const buf = this.frame;
    const scale = 1 / this.channels;
    let off = 0;
    while (off < frames) {
      const take = Math.min(n - this.fill, frames - off);
      const at = this.fill - off;
      if (this.channels === 2) {
        const l = block[0]!;
        const r = block[1]!;
        for (let i = off, end = off + take; i < end; i++) buf[at + i] = (l[i]! + r[i]!) * 0.5;
      } else {
        const first = block[0]!;
        for (let i = off, end = off + take; i < end; i++) buf[at + i] = first[i]!;
        for (let ch = 1; ch < this.channels; ch++) {
          const x = block[ch]!;
          for (let i = off, end = off + take; i < end; i++) buf[at + i]! += x[i]!;
        }
        if (this.channels > 1) for (let i = off, end = off + take; i < end; i++) buf[at + i]! *= scale;
      }
      off += take;
      this.fill += take;
      if (this.fill === n) {
        this.accumulate(this.frame, this.window, this.windowPower, this.power);
        this.frames++;
        this.fill = 0;
      }
    }
  }

  /** Adds |FFT(x·w)|² / Σw² to `into`. */
  private accumulate(x: Float64Array, w: Float64Array, wPower: number, into: Float64Array): void {
    if (wPower === 0) return; // a one-sample window is all zero
    this.fft!.addPowerSpectrum(x, w, 1 / wPower, into);
  }

  /** The band levels. If no whole frame was seen yet, the partial one is analysed with a shorter window. */
  result(): SpectrumBand[] {
    if (this.fft === null) return [];
    const n = this.fft.size;
    let power = this.power;
    let frames = this.frames;
    if (frames === 0 && this.fill > 0) {
      power = new Float64Array(power.length);
      const partial = new Float64Array(n);
      partial.set(this.frame.subarray(0, this.fill));
      const w = hann(this.fill, n);
      this.accumulate(partial, w, sumOfSquares(w, this.fill), power);
      frames = 1;
    }
    // A sine A·sin(ωn) puts N·A²/4·Σw² into the positive-frequency bins: scale to A²/2.
    const toPower = frames === 0 ? 0 : 2 / (n * frames);
    const bands: SpectrumBand[] = [];
    for (let x = 0; x < THIRD_OCTAVE_CENTRES_HZ.length; x++) {
      const band = thirdOctaveBandPower(power, n, this.sampleRate, x);
      if (band === null) break;
      const p = band * toPower;
      // Full-scale sine: A = 1, power 1/2.
      bands.push({ centerHz: THIRD_OCTAVE_CENTRES_HZ[x]!, levelDb: p > 0 ? 10 * Math.log10(p / 0.5) : null });
    }
    return bands;
  }

  reset(): void {
    this.frame.fill(0);
    this.power.fill(0);
    this.fill = 0;
    this.frames = 0;
  }
}

/** Periodic Hann window of `length` samples, zero-padded to `size`. */
function hann(length: number, size: number): Float64Array {
  const w = new Float64Array(size);
  for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
  return w;
}

function sumOfSquares(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * a[i]!;
  return s;
}
