// The preview's meters, fed block by block with what the chain produced (the master, before any
// listen-as simulation): momentary and short-term loudness (packages/dsp's BS.1770 LoudnessMeter),
// held true peak (its BS.1770 Annex 2 TruePeakMeter), phase correlation, and a one-third-octave
// spectrum of the latest 4096 samples. A reading is due every `intervalSeconds` (50 ms: 20 Hz).
import { LoudnessMeter, RealFft, THIRD_OCTAVE_CENTRES_HZ, TruePeakMeter, thirdOctaveBandPower } from "@comaster/dsp";

/** Gain reduction of one dynamics module, as the chain worklet reports it (shown on the desk). */
export interface GainReductionReading {
  readonly moduleId: string;
  /** ≥ 0 dB. */
  readonly gainReductionDb: number;
}
export type GainReductionReadings = readonly GainReductionReading[];

export interface MeterReading {
  /** Loudness of the latest 400 ms (LUFS); null before 400 ms of audio or in digital silence. */
  readonly momentaryLufs: number | null;
  /** Loudness of the latest 3 s (LUFS); null before 3 s of audio or in digital silence. */
  readonly shortTermLufs: number | null;
  /** Largest true peak since the last reset (dBTP); null before any signal. */
  readonly truePeakDbtp: number | null;
  /** Phase correlation over ~300 ms, −1 … 1; null when either channel is silent. */
  readonly correlation: number | null;
  /** Level of each band of `SPECTRUM_CENTRES_HZ` (dB re a full-scale sine); −Infinity where silent. */
  readonly spectrumDb: readonly number[];
}

/** Nominal one-third-octave centres (IEC 61260-1), 20 Hz … 20 kHz, as the analysis's spectrum. */
export const SPECTRUM_CENTRES_HZ = THIRD_OCTAVE_CENTRES_HZ;
/** Audio between two readings by default (20 readings a second). */
export const METER_INTERVAL_SECONDS = 0.05;
/** Samples in the spectrum's window (85 ms at 48 kHz; bins of 11.7 Hz, so the lowest bands are coarse). */
export const SPECTRUM_SIZE = 4096;
/** Time constant of the correlation meter's averages (the usual 300 ms integration). */
const CORRELATION_SECONDS = 0.3;
/** Below this mean square (−100 dBFS), a channel counts as silent for the correlation. */
const SILENCE = 1e-10;

/**
 * Block-fed meters for a stereo programme. `process` never allocates (the BS.1770 meter's store of
 * 100 ms sub-block energies grows by doubling: 8 bytes per 100 ms, a few reallocations an hour);
 * `reading()` allocates its plain result object, at most 20 times a second.
 */
export class PreviewMeters {
  private readonly loudness = new LoudnessMeter();
  private readonly truePeak = new TruePeakMeter();
  private readonly block: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
  // Correlation: one-pole averages of L·R, L², R².
  private readonly alpha: number;
  private lr = 0;
  private ll = 0;
  private rr = 0;
  // Spectrum: a ring of the mono sum, windowed and transformed when a reading is taken.
  private readonly ring = new Float64Array(SPECTRUM_SIZE);
  private ringAt = 0;
  private readonly frame = new Float64Array(SPECTRUM_SIZE);
  private readonly window = new Float64Array(SPECTRUM_SIZE);
  private readonly power = new Float64Array(SPECTRUM_SIZE / 2 + 1);
  private readonly fft = new RealFft(SPECTRUM_SIZE);
  private readonly windowPower: number;
  private readonly interval: number;
  private sinceReading = 0;

  constructor(
    readonly sampleRate: number,
    readonly maxBlockFrames = 128,
    intervalSeconds = METER_INTERVAL_SECONDS,
  ) {
    const spec = { sampleRate, channels: 2, maxBlockFrames };
    this.loudness.prepare(spec);
    this.truePeak.prepare(spec);
    this.alpha = 1 - Math.exp(-1 / (CORRELATION_SECONDS * sampleRate));
    let wp = 0;
    for (let i = 0; i < SPECTRUM_SIZE; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / SPECTRUM_SIZE);
      this.window[i] = w;
      wp += w * w;
    }
    this.windowPower = wp;
    this.interval = Math.max(1, Math.round(intervalSeconds * sampleRate));
  }

  /** Meters `frames` frames; true when a reading is due (take it with `reading()`). */
  process(left: Float32Array, right: Float32Array, frames: number): boolean {
    this.block[0] = left;
    this.block[1] = right;
    this.loudness.process(this.block, frames);
    this.truePeak.process(this.block, frames);
    const a = this.alpha;
    let lr = this.lr;
    let ll = this.ll;
    let rr = this.rr;
    const ring = this.ring;
    let at = this.ringAt;
    for (let i = 0; i < frames; i++) {
      const l = left[i]!;
      const r = right[i]!;
      lr += a * (l * r - lr);
      ll += a * (l * l - ll);
      rr += a * (r * r - rr);
      ring[at] = (l + r) * 0.5;
      at = (at + 1) & (SPECTRUM_SIZE - 1);
    }
    this.lr = lr;
    this.ll = ll;
    this.rr = rr;
    this.ringAt = at;
    this.sinceReading += frames;
    if (this.sinceReading < this.interval) return false;
    this.sinceReading %= this.interval;
    return true;
  }

  reading(): MeterReading {
    const tp = this.truePeak.truePeak();
    const energy = Math.sqrt(this.ll * this.rr);
    return {
      momentaryLufs: this.loudness.momentary(),
      shortTermLufs: this.loudness.shortTerm(),
      truePeakDbtp: tp > 0 ? 20 * Math.log10(tp) : null,
      correlation: this.ll > SILENCE && this.rr > SILENCE ? Math.max(-1, Math.min(1, this.lr / energy)) : null,
      spectrumDb: this.spectrum(),
    };
  }

  /** One-third-octave levels of the latest SPECTRUM_SIZE samples (Hann window), as spectrum.ts. */
  private spectrum(): number[] {
    const n = SPECTRUM_SIZE;
    for (let i = 0; i < n; i++) this.frame[i] = this.ring[(this.ringAt + i) & (n - 1)]!;
    this.power.fill(0);
    this.fft.addPowerSpectrum(this.frame, this.window, 1 / this.windowPower, this.power);
    // A sine A·sin(ωn) puts N·A²/4·Σw² into its bins: scale to A²/2, then dB re a full-scale sine.
    const toPower = 2 / n;
    const out: number[] = [];
    for (let x = 0; x < SPECTRUM_CENTRES_HZ.length; x++) {
      const p = thirdOctaveBandPower(this.power, n, this.sampleRate, x);
      if (p === null) break;
      out.push(10 * Math.log10((p * toPower) / 0.5));
    }
    return out;
  }

  /** Clears the held true peak only (the desk's "reset peak"). */
  resetPeak(): void {
    this.truePeak.reset();
  }

  /** Clears everything (a seek, a new programme). */
  reset(): void {
    this.loudness.reset();
    this.truePeak.reset();
    this.lr = this.ll = this.rr = 0;
    this.ring.fill(0);
    this.ringAt = 0;
    this.sinceReading = 0;
  }
}
