import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { MultibandSplitter } from "../filters/linkwitzRiley";
import { DecoupledPeakDetector } from "./envelope";
import { DB_PER_NEPER, dbToAmp, GainCurve, NEPER_PER_DB } from "./gainComputer";

/** Parameters of the "multiband" module (keys and ranges of packages/chain moduleSpecs.ts, bandSpecs.ts). */
export interface MultibandParams {
  bands: "3" | "4";
  crossover1Hz: number;
  crossover2Hz: number;
  /** Used with 4 bands only. */
  crossover3Hz: number;
  b1ThresholdDb: number;
  b1Ratio: number;
  b1AttackMs: number;
  b1ReleaseMs: number;
  b1GainDb: number;
  b2ThresholdDb: number;
  b2Ratio: number;
  b2AttackMs: number;
  b2ReleaseMs: number;
  b2GainDb: number;
  b3ThresholdDb: number;
  b3Ratio: number;
  b3AttackMs: number;
  b3ReleaseMs: number;
  b3GainDb: number;
  /** Band 4 is used with 4 bands only. */
  b4ThresholdDb: number;
  b4Ratio: number;
  b4AttackMs: number;
  b4ReleaseMs: number;
  b4GainDb: number;
}

export const MULTIBAND_DEFAULTS: Readonly<MultibandParams> = {
  bands: "4",
  crossover1Hz: 120,
  crossover2Hz: 1000,
  crossover3Hz: 6000,
  b1ThresholdDb: -20,
  b1Ratio: 1.5,
  b1AttackMs: 30,
  b1ReleaseMs: 250,
  b1GainDb: 0,
  b2ThresholdDb: -20,
  b2Ratio: 1.5,
  b2AttackMs: 15,
  b2ReleaseMs: 150,
  b2GainDb: 0,
  b3ThresholdDb: -20,
  b3Ratio: 1.5,
  b3AttackMs: 8,
  b3ReleaseMs: 100,
  b3GainDb: 0,
  b4ThresholdDb: -20,
  b4Ratio: 1.5,
  b4AttackMs: 4,
  b4ReleaseMs: 60,
  b4GainDb: 0,
};

/** Soft knee of every band's curve (dB); the chain document has no knee parameter per band. */
export const MULTIBAND_KNEE_DB = 6;
const MAX_BANDS = 4;

/** Parameter names per band (constants, so validation builds no strings). */
const BAND_KEYS = [1, 2, 3, 4].map((b) =>
  ["ThresholdDb", "Ratio", "AttackMs", "ReleaseMs", "GainDb"].map((k) => `b${b}${k}`),
) as readonly (readonly string[])[];

function assertBand(
  b: number,
  thresholdDb: number,
  ratio: number,
  attackMs: number,
  releaseMs: number,
  gainDb: number,
) {
  const k = BAND_KEYS[b - 1]!;
  assertInRange(thresholdDb, -60, 0, k[0]!);
  assertInRange(ratio, 1, 20, k[1]!);
  assertInRange(attackMs, 0.1, 200, k[2]!);
  assertInRange(releaseMs, 5, 2000, k[3]!);
  assertInRange(gainDb, -12, 12, k[4]!);
}

export function assertMultibandParams(p: MultibandParams): void {
  if (p.bands !== "3" && p.bands !== "4") {
    throw new DspError("INVALID_ARGUMENT", `bands must be "3" or "4", got ${JSON.stringify(p.bands)}`);
  }
  assertInRange(p.crossover1Hz, 40, 1000, "crossover1Hz");
  assertInRange(p.crossover2Hz, 200, 8000, "crossover2Hz");
  assertInRange(p.crossover3Hz, 1000, 16_000, "crossover3Hz");
  assertBand(1, p.b1ThresholdDb, p.b1Ratio, p.b1AttackMs, p.b1ReleaseMs, p.b1GainDb);
  assertBand(2, p.b2ThresholdDb, p.b2Ratio, p.b2AttackMs, p.b2ReleaseMs, p.b2GainDb);
  assertBand(3, p.b3ThresholdDb, p.b3Ratio, p.b3AttackMs, p.b3ReleaseMs, p.b3GainDb);
  assertBand(4, p.b4ThresholdDb, p.b4Ratio, p.b4AttackMs, p.b4ReleaseMs, p.b4GainDb);
}

/**
 * Three- or four-band compressor. The Linkwitz–Riley splitter of ../filters/linkwitzRiley.ts
 * (LR4 crossovers with allpass compensation: the bands sum to an allpass, flat in magnitude) feeds
 * one compressor per band: x_G = 20·log10 of the band's peak over the channels (stereo linked),
 * Eq. (4) of Giannoulis et al. with a MULTIBAND_KNEE_DB knee, the decoupled peak detector of
 * Eq. (17), gain 10^((G_b − y_L)/20); the output is the sum of the bands. With ratio 1 and 0 dB
 * gains the output is the splitter's allpass sum exactly. No latency.
 *
 * Crossovers are sorted ascending (band 1 is always the lowest); changing the band count resets
 * the splitter (it is a different filter).
 */
export class Multiband implements ChainProcessor<MultibandParams> {
  readonly latencyFrames = 0;
  private params: MultibandParams = { ...MULTIBAND_DEFAULTS };
  private sampleRate = 0;
  private channels = 0;
  private maxBlock = 0;
  private bandCount = 4;
  private splitter: MultibandSplitter | null = null;
  /** bufs[ch][b]: the band signals of the current block. */
  private bufs: Float64Array[][] = [];
  private readonly curves = [new GainCurve(), new GainCurve(), new GainCurve(), new GainCurve()];
  private readonly detectors = [0, 1, 2, 3].map(() => new DecoupledPeakDetector(1));
  private readonly kneeStartAmp = new Float64Array(MAX_BANDS);
  private readonly gainDb = new Float64Array(MAX_BANDS);
  private readonly gainLin = new Float64Array(MAX_BANDS);
  /** Per band: x_L, then y_L, then the gain, of the current chunk. */
  private gains: Float64Array[] = [];
  private readonly crossovers3 = [0, 0];
  private readonly crossovers4 = [0, 0, 0];
  private readonly reduction = new Float64Array(MAX_BANDS);

  constructor(params?: MultibandParams) {
    if (params) this.setParams(params);
  }

  /** The current gain reduction in dB (≥ 0), the largest over the bands. */
  get gainReductionDb(): number {
    let r = 0;
    for (let b = 0; b < this.bandCount; b++) r = Math.max(r, this.reduction[b]!);
    return r;
  }

  /** The current gain reduction of band `b` (0-based) in dB (≥ 0). */
  bandReductionDb(b: number): number {
    return this.reduction[b] ?? 0;
  }

  setParams(params: MultibandParams): void {
    assertMultibandParams(params);
    Object.assign(this.params, params);
    this.bandCount = params.bands === "3" ? 3 : 4;
    this.setBand(0, params.b1ThresholdDb, params.b1Ratio, params.b1AttackMs, params.b1ReleaseMs, params.b1GainDb);
    this.setBand(1, params.b2ThresholdDb, params.b2Ratio, params.b2AttackMs, params.b2ReleaseMs, params.b2GainDb);
    this.setBand(2, params.b3ThresholdDb, params.b3Ratio, params.b3AttackMs, params.b3ReleaseMs, params.b3GainDb);
    this.setBand(3, params.b4ThresholdDb, params.b4Ratio, params.b4AttackMs, params.b4ReleaseMs, params.b4GainDb);
    if (this.sampleRate > 0) this.configureSplitter();
  }

  private setBand(b: number, thresholdDb: number, ratio: number, attackMs: number, releaseMs: number, gainDb: number) {
    this.curves[b]!.set(thresholdDb, ratio, MULTIBAND_KNEE_DB);
    this.kneeStartAmp[b] = dbToAmp(this.curves[b]!.kneeStartDb);
    this.gainDb[b] = gainDb;
    this.gainLin[b] = dbToAmp(gainDb);
    if (this.sampleRate > 0) this.detectors[b]!.setTimes(attackMs, releaseMs, this.sampleRate);
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.maxBlock = spec.maxBlockFrames;
    this.splitter = new MultibandSplitter(MAX_BANDS, spec.channels);
    this.gains = Array.from({ length: MAX_BANDS }, () => new Float64Array(spec.maxBlockFrames));
    this.bufs = Array.from({ length: spec.channels }, () =>
      Array.from({ length: MAX_BANDS }, () => new Float64Array(spec.maxBlockFrames)),
    );
    this.setParams(this.params);
    this.reset();
  }

  private configureSplitter(): void {
    const p = this.params;
    if (this.bandCount === 3) {
      const c = this.crossovers3;
      c[0] = Math.min(p.crossover1Hz, p.crossover2Hz);
      c[1] = Math.max(p.crossover1Hz, p.crossover2Hz);
      this.splitter!.configure(this.sampleRate, c);
    } else {
      const c = this.crossovers4;
      c[0] = p.crossover1Hz;
      c[1] = p.crossover2Hz;
      c[2] = p.crossover3Hz;
      // Three-element insertion sort, in place.
      for (let i = 1; i < 3; i++) {
        for (let j = i; j > 0 && c[j - 1]! > c[j]!; j--) {
          const tmp = c[j]!;
          c[j] = c[j - 1]!;
          c[j - 1] = tmp;
        }
      }
      this.splitter!.configure(this.sampleRate, c);
    }
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "Multiband.process called before prepare");
    assertBlock(block, frames, this.channels);
    if (frames <= this.maxBlock) {
      this.processChunk(block, frames);
      return;
    }
    // Larger than promised at prepare: split (allocates views; not the real-time path).
    for (let off = 0; off < frames; off += this.maxBlock) {
      const n = Math.min(this.maxBlock, frames - off);
      this.processChunk(
        block.map((c) => c.subarray(off, off + n)),
        n,
      );
    }
  }

  /**
   * Split, then per band (a tight loop each, state and constants in locals): level, Eq. (4),
   * Eq. (17), gain; then the sum.
   */
  private processChunk(block: readonly SampleBuffer[], frames: number): void {
    const nch = this.channels;
    const nb = this.bandCount;
    const bufs = this.bufs;
    const splitter = this.splitter!;
    for (let ch = 0; ch < nch; ch++) splitter.process(ch, block[ch]!, frames, bufs[ch]!);
    const gains = this.gains;
    for (let b = 0; b < nb; b++) {
      const g = gains[b]!;
      const curve = this.curves[b]!;
      const kneeStartDb = curve.kneeStartDb;
      const kneeEndDb = curve.kneeEndDb;
      const thresholdDb = curve.thresholdDb;
      const slope = curve.slope;
      const kneeCoef = curve.kneeCoef;
      const kneeStartAmp = this.kneeStartAmp[b]!;
      const b0 = bufs[0]![b]!;
      const b1 = nch > 1 ? bufs[1]![b]! : b0;
      for (let i = 0; i < frames; i++) {
        let level = Math.abs(b0[i]!);
        if (nch === 2) level = Math.max(level, Math.abs(b1[i]!));
        else for (let ch = 1; ch < nch; ch++) level = Math.max(level, Math.abs(bufs[ch]![b]![i]!));
        let xL = 0;
        if (level > kneeStartAmp) {
          // GainCurve.reductionDb, inlined.
          const levelDb = Math.log(level) * DB_PER_NEPER;
          if (levelDb <= kneeStartDb) xL = 0;
          else if (levelDb >= kneeEndDb) xL = slope * (levelDb - thresholdDb);
          else {
            const e = levelDb - kneeStartDb;
            xL = kneeCoef * e * e;
          }
        }
        g[i] = xL;
      }
      const det = this.detectors[b]!;
      det.run(0, g, frames);
      this.reduction[b] = det.value(0);
      const gainDb = this.gainDb[b]!;
      const gainLin = this.gainLin[b]!;
      for (let i = 0; i < frames; i++) {
        const yL = g[i]!;
        g[i] = yL === 0 ? gainLin : Math.exp((gainDb - yL) * NEPER_PER_DB);
      }
    }
    const g0 = gains[0]!;
    const g1 = gains[1]!;
    const g2 = gains[2]!;
    const g3 = gains[3]!;
    for (let ch = 0; ch < nch; ch++) {
      const bb = bufs[ch]!;
      const y = block[ch]!;
      const x0 = bb[0]!;
      const x1 = bb[1]!;
      const x2 = bb[2]!;
      const x3 = bb[3]!;
      // The sum in band order from 0, as a loop over the bands would do it.
      if (nb === 4)
        for (let i = 0; i < frames; i++)
          y[i] = 0 + g0[i]! * x0[i]! + g1[i]! * x1[i]! + g2[i]! * x2[i]! + g3[i]! * x3[i]!;
      else for (let i = 0; i < frames; i++) y[i] = 0 + g0[i]! * x0[i]! + g1[i]! * x1[i]! + g2[i]! * x2[i]!;
    }
  }

  reset(): void {
    this.splitter?.reset();
    for (const d of this.detectors) d.reset();
    this.reduction.fill(0);
  }
}
