import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { GLIDE_SECONDS, ParamRamp } from "../paramRamp";
import { DecoupledPeakDetector } from "./envelope";
import { DB_PER_NEPER, dbToAmp, GainCurve, NEPER_PER_DB } from "./gainComputer";
import { BiquadCascade, highpassCoefs } from "./sidechainFilter";

/** Parameters of the "compressor" module (keys and ranges of packages/chain moduleSpecs.ts). */
export interface CompressorParams {
  /** T of Eq. (4), −60…0 dBFS (peak level of the side-chain). */
  thresholdDb: number;
  /** R of Eq. (4), 1…20. */
  ratio: number;
  /** W of Eq. (4), 0…24 dB. */
  kneeDb: number;
  /** τ_A of the detector, 0.1…200 ms. */
  attackMs: number;
  /** τ_R of the detector, 5…2000 ms. */
  releaseMs: number;
  /** 0…24 dB, applied to the compressed (wet) signal. */
  makeupDb: number;
  /** Corner of the 2nd-order Butterworth high-pass on the detector path only, 20…500 Hz. */
  sidechainHpfHz: number;
  /** 0 = each channel its own gain; 100 = both channels the larger reduction. */
  stereoLinkPct: number;
  /** Parallel compression: 0 = dry only, 100 = compressed only. */
  mixPct: number;
}

export const COMPRESSOR_DEFAULTS: Readonly<CompressorParams> = {
  thresholdDb: -18,
  ratio: 2,
  kneeDb: 6,
  attackMs: 30,
  releaseMs: 200,
  makeupDb: 0,
  sidechainHpfHz: 80,
  stereoLinkPct: 100,
  mixPct: 100,
};

/**
 * The compressor's static curve: output level (dB) for a steady input at `levelDb` once the detector
 * has settled — Eq. (4)'s reduction, the make-up, and the mix as `process` applies them
 * (y = x·(1 + m·(g − 1)), g = 10^((M − x_L)/20)). What the desk draws. Pure.
 */
export function compressorCurveDb(
  p: Pick<CompressorParams, "thresholdDb" | "ratio" | "kneeDb" | "makeupDb" | "mixPct">,
  levelDb: number,
): number {
  const reduction = new GainCurve(p.thresholdDb, p.ratio, p.kneeDb).reductionDb(levelDb);
  const g = 10 ** ((p.makeupDb - reduction) / 20);
  return levelDb + 20 * Math.log10(1 + (p.mixPct / 100) * (g - 1));
}

/** Throws INVALID_ARGUMENT for a parameter outside the chain document's range. */
export function assertCompressorParams(p: CompressorParams): void {
  assertInRange(p.thresholdDb, -60, 0, "thresholdDb");
  assertInRange(p.ratio, 1, 20, "ratio");
  assertInRange(p.kneeDb, 0, 24, "kneeDb");
  assertInRange(p.attackMs, 0.1, 200, "attackMs");
  assertInRange(p.releaseMs, 5, 2000, "releaseMs");
  assertInRange(p.makeupDb, 0, 24, "makeupDb");
  assertInRange(p.sidechainHpfHz, 20, 500, "sidechainHpfHz");
  assertInRange(p.stereoLinkPct, 0, 100, "stereoLinkPct");
  assertInRange(p.mixPct, 0, 100, "mixPct");
}

/**
 * Feed-forward broadband compressor (Giannoulis, Massberg & Reiss 2012, Fig. 7 "log domain"
 * topology): side-chain x → 2nd-order high-pass → x_G = 20·log10|x| → gain reduction
 * x_L = x_G − y_G of the soft-knee curve, Eq. (4) → smooth decoupled peak detector, Eq. (17) →
 * gain 10^((M − y_L)/20). Stereo link blends each channel's x_L with the larger one:
 * x_L,c ← (1 − k)·x_L,c + k·max(x_L), k = stereoLinkPct/100. Mix: y = x·(1 + m·(g − 1)).
 * No latency. Per sample: one Math.log while the side-chain is above the knee, one Math.exp while
 * any reduction or make-up is active. Live edits of make-up and mix glide over GLIDE_SECONDS (make-up
 * linearly in dB), per sample; the other parameters act through the detector, whose attack and
 * release already smooth the gain.
 */
export class Compressor implements ChainProcessor<CompressorParams> {
  readonly latencyFrames = 0;
  private params: CompressorParams = { ...COMPRESSOR_DEFAULTS };
  private sampleRate = 0;
  private channels = 0;
  private readonly curve = new GainCurve();
  private readonly detector = new DecoupledPeakDetector();
  private readonly sidechain = new BiquadCascade(1);
  /** Side-chain amplitude at the start of the knee: below it x_L = 0 (no log needed). */
  private kneeStartAmp = 0;
  private link = 1;
  private mix = 1;
  private makeupGain = 1;
  /** Make-up (dB) and mix (0…1) as they glide; `makeupGain`, `mix` hold their targets. */
  private readonly makeupRamp = new ParamRamp(0);
  private readonly mixRamp = new ParamRamp(1);
  private makeupArr = new Float64Array(0);
  private mixArr = new Float64Array(0);
  private maxBlock = 0;
  /** Per channel: x_L, then y_L, of the current chunk. */
  private xL: Float64Array[] = [];
  private maxL = new Float64Array(0);
  private lastReduction = 0;

  constructor(params?: CompressorParams) {
    if (params) this.setParams(params);
  }

  setParams(params: CompressorParams): void {
    assertCompressorParams(params);
    const old = this.params;
    const hpfChanged = params.sidechainHpfHz !== old.sidechainHpfHz;
    this.params.thresholdDb = params.thresholdDb;
    this.params.ratio = params.ratio;
    this.params.kneeDb = params.kneeDb;
    this.params.attackMs = params.attackMs;
    this.params.releaseMs = params.releaseMs;
    this.params.makeupDb = params.makeupDb;
    this.params.sidechainHpfHz = params.sidechainHpfHz;
    this.params.stereoLinkPct = params.stereoLinkPct;
    this.params.mixPct = params.mixPct;
    this.curve.set(params.thresholdDb, params.ratio, params.kneeDb);
    this.kneeStartAmp = dbToAmp(this.curve.kneeStartDb);
    this.link = params.stereoLinkPct / 100;
    this.mix = params.mixPct / 100;
    this.makeupGain = dbToAmp(params.makeupDb);
    this.makeupRamp.setTarget(params.makeupDb, this.sampleRate === 0);
    this.mixRamp.setTarget(this.mix, this.sampleRate === 0);
    if (this.sampleRate > 0) {
      this.detector.setTimes(params.attackMs, params.releaseMs, this.sampleRate);
      if (hpfChanged) this.sidechain.setSection(0, highpassCoefs(this.sampleRate, params.sidechainHpfHz));
    }
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.maxBlock = spec.maxBlockFrames;
    this.xL = Array.from({ length: spec.channels }, () => new Float64Array(spec.maxBlockFrames));
    this.maxL = new Float64Array(spec.maxBlockFrames);
    this.makeupArr = new Float64Array(spec.maxBlockFrames);
    this.mixArr = new Float64Array(spec.maxBlockFrames);
    this.makeupRamp.setRampFrames(GLIDE_SECONDS * spec.sampleRate);
    this.mixRamp.setRampFrames(GLIDE_SECONDS * spec.sampleRate);
    this.detector.resize(spec.channels);
    this.detector.setTimes(this.params.attackMs, this.params.releaseMs, spec.sampleRate);
    this.sidechain.resize(spec.channels);
    this.sidechain.setSection(0, highpassCoefs(spec.sampleRate, this.params.sidechainHpfHz));
    this.reset();
  }

  /** The current gain reduction in dB (≥ 0; the largest over the channels, make-up not included). */
  get gainReductionDb(): number {
    return this.lastReduction;
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "Compressor.process called before prepare");
    assertBlock(block, frames, this.channels);
    for (let off = 0; off < frames; off += this.maxBlock)
      this.processChunk(block, off, Math.min(this.maxBlock, frames - off));
    let gr = 0;
    for (let ch = 0; ch < this.channels; ch++) gr = Math.max(gr, this.detector.value(ch));
    this.lastReduction = gr;
  }

  /**
   * Three passes over the chunk, each a tight loop with its state in locals; per sample they do
   * exactly what one interleaved loop would (so the result does not depend on the chunking).
   */
  private processChunk(block: readonly SampleBuffer[], off: number, n: number): void {
    const nch = this.channels;
    const curve = this.curve;
    const kneeStartAmp = this.kneeStartAmp;
    const gliding = this.makeupRamp.moving || this.mixRamp.moving;
    if (gliding) {
      this.makeupRamp.fill(this.makeupArr, n);
      this.mixRamp.fill(this.mixArr, n);
    }
    // 1. Side-chain high-pass and gain computer: x_L per channel.
    const xLs = this.xL;
    if (nch === 2) this.sidechain.filterStereo(block[0]!, block[1]!, off, n, xLs[0]!, xLs[1]!);
    else for (let ch = 0; ch < nch; ch++) this.sidechain.filterBlock(ch, block[ch]!, off, n, xLs[ch]!);
    if (nch === 2 && this.link === 1) {
      this.linkedStereo(block, off, n, gliding);
      return;
    }
    const kneeStartDb = curve.kneeStartDb;
    const kneeEndDb = curve.kneeEndDb;
    const thresholdDb = curve.thresholdDb;
    const slope = curve.slope;
    const kneeCoef = curve.kneeCoef;
    for (let ch = 0; ch < nch; ch++) {
      const r = xLs[ch]!;
      for (let i = 0; i < n; i++) {
        const a = Math.abs(r[i]!);
        let xL = 0;
        if (a > kneeStartAmp) {
          // GainCurve.reductionDb, inlined.
          const levelDb = Math.log(a) * DB_PER_NEPER;
          if (levelDb <= kneeStartDb) xL = 0;
          else if (levelDb >= kneeEndDb) xL = slope * (levelDb - thresholdDb);
          else {
            const e = levelDb - kneeStartDb;
            xL = kneeCoef * e * e;
          }
        }
        r[i] = xL;
      }
    }
    // 2. Stereo link: x_L,c + k·(max x_L − x_L,c).
    const link = this.link;
    if (nch > 1 && link > 0) {
      const m = this.maxL;
      const r0 = this.xL[0]!;
      for (let i = 0; i < n; i++) m[i] = r0[i]!;
      for (let ch = 1; ch < nch; ch++) {
        const r = this.xL[ch]!;
        for (let i = 0; i < n; i++) if (r[i]! > m[i]!) m[i] = r[i]!;
      }
      for (let ch = 0; ch < nch; ch++) {
        const r = this.xL[ch]!;
        for (let i = 0; i < n; i++) {
          const v = r[i]!;
          if (v !== m[i]!) r[i] = v + link * (m[i]! - v);
        }
      }
    }
    // 3. Detector (Eq. 17) and gain.
    const mix = this.mix;
    const makeupDb = this.params.makeupDb;
    const makeupGain = this.makeupGain;
    for (let ch = 0; ch < nch; ch++) {
      const y = this.xL[ch]!;
      this.detector.run(ch, y, n);
      const x = block[ch]!;
      if (gliding) this.glidingGain(x, off, y, n);
      else if (mix === 1) {
        for (let i = 0; i < n; i++) {
          const yL = y[i]!;
          const g = yL === 0 ? makeupGain : Math.exp((makeupDb - yL) * NEPER_PER_DB);
          x[off + i] = x[off + i]! * g;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const yL = y[i]!;
          const g = yL === 0 ? makeupGain : Math.exp((makeupDb - yL) * NEPER_PER_DB);
          x[off + i] = x[off + i]! * (1 + mix * (g - 1));
        }
      }
    }
  }

  /**
   * Stereo fully linked (the default): both channels get x_L of the louder side-chain sample, which
   * is max(x_L,0, x_L,1) since the gain curve is monotonic — so one level, one Eq. (4), one
   * detector and one gain serve both channels. Channel 1's detector state is kept equal to channel
   * 0's, so a later change of the link continues from the right state.
   */
  private linkedStereo(block: readonly SampleBuffer[], off: number, n: number, gliding: boolean): void {
    const curve = this.curve;
    const kneeStartAmp = this.kneeStartAmp;
    const kneeStartDb = curve.kneeStartDb;
    const kneeEndDb = curve.kneeEndDb;
    const thresholdDb = curve.thresholdDb;
    const slope = curve.slope;
    const kneeCoef = curve.kneeCoef;
    const y = this.xL[0]!;
    const r1 = this.xL[1]!;
    for (let i = 0; i < n; i++) {
      const a = Math.max(Math.abs(y[i]!), Math.abs(r1[i]!));
      let xL = 0;
      if (a > kneeStartAmp) {
        // GainCurve.reductionDb, inlined.
        const levelDb = Math.log(a) * DB_PER_NEPER;
        if (levelDb <= kneeStartDb) xL = 0;
        else if (levelDb >= kneeEndDb) xL = slope * (levelDb - thresholdDb);
        else {
          const e = levelDb - kneeStartDb;
          xL = kneeCoef * e * e;
        }
      }
      y[i] = xL;
    }
    const det = this.detector;
    det.run(0, y, n);
    det.setState(1, det.getState(0, 0), det.getState(0, 1));
    const mix = this.mix;
    const makeupDb = this.params.makeupDb;
    const makeupGain = this.makeupGain;
    const x0 = block[0]!;
    const x1 = block[1]!;
    if (gliding) {
      this.glidingGain(x0, off, y, n);
      this.glidingGain(x1, off, y, n);
      return;
    }
    for (let i = 0; i < n; i++) {
      const yL = y[i]!;
      const g = yL === 0 ? makeupGain : Math.exp((makeupDb - yL) * NEPER_PER_DB);
      const m = mix === 1 ? g : 1 + mix * (g - 1);
      x0[off + i] = x0[off + i]! * m;
      x1[off + i] = x1[off + i]! * m;
    }
  }

  /**
   * x[off + i] ·= the gain of y_L[i] with the make-up and mix of frame i (the glide's values, filled
   * for this chunk): per sample the same arithmetic as the settled loops, so a glide that ends inside
   * a chunk leaves the rest of it exactly as they would.
   */
  private glidingGain(x: SampleBuffer, off: number, y: Float64Array, n: number): void {
    const makeup = this.makeupArr;
    const mixes = this.mixArr;
    for (let i = 0; i < n; i++) {
      const yL = y[i]!;
      const mk = makeup[i]!;
      const g = yL === 0 ? dbToAmp(mk) : Math.exp((mk - yL) * NEPER_PER_DB);
      const m = mixes[i]!;
      x[off + i] = x[off + i]! * (m === 1 ? g : 1 + m * (g - 1));
    }
  }

  reset(): void {
    this.makeupRamp.snap();
    this.mixRamp.snap();
    this.detector.reset();
    this.sidechain.reset();
    this.lastReduction = 0;
  }
}
