import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { DecoupledPeakDetector } from "./envelope";
import { DB_PER_NEPER, dbToAmp, GainCurve, NEPER_PER_DB } from "./gainComputer";
import { LinearPhaseLowpass } from "./linearPhaseSplit";
import { nextPow2 } from "./lookaheadGain";
import { BiquadCascade, BUTTERWORTH4_Q, highpassCoefs } from "./sidechainFilter";

/** Parameters of the "deesser" module (keys and ranges of packages/chain moduleSpecs.ts). */
export interface DeesserParams {
  /** Lower edge of the sibilance band, 2000…12 000 Hz. */
  freqHz: number;
  /** Level of the sibilance band (peak, dBFS) above which it is reduced, −60…0. */
  thresholdDb: number;
  /** Largest reduction, 0…24 dB. */
  rangeDb: number;
  /** "split": only the band above freqHz is reduced; "wide": the whole signal. */
  mode: "split" | "wide";
}

export const DEESSER_DEFAULTS: Readonly<DeesserParams> = {
  freqHz: 6500,
  thresholdDb: -30,
  rangeDb: 6,
  mode: "split",
};

/** Detector attack and release (ms): fast enough for an "s", slow enough not to distort. */
export const DEESSER_ATTACK_MS = 1;
export const DEESSER_RELEASE_MS = 60;
/** Soft knee of the detector's gain curve (dB). */
export const DEESSER_KNEE_DB = 4;
/** Latency (and detector look-ahead) in ms: half the length of the split filter. */
export const DEESSER_DELAY_MS = 1;

export function assertDeesserParams(p: DeesserParams): void {
  assertInRange(p.freqHz, 2000, 12_000, "freqHz");
  assertInRange(p.thresholdDb, -60, 0, "thresholdDb");
  assertInRange(p.rangeDb, 0, 24, "rangeDb");
  if (p.mode !== "split" && p.mode !== "wide") {
    throw new DspError("INVALID_ARGUMENT", `mode must be "split" or "wide", got ${JSON.stringify(p.mode)}`);
  }
}

/**
 * De-esser. Detector: 4th-order Butterworth high-pass at freqHz, x_G = 20·log10|·| (channels
 * linked: the larger), gain reduction of Eq. (4) of Giannoulis et al. with R = ∞ (the band is pulled
 * down to the threshold) and a DEESSER_KNEE_DB knee, limited to rangeDb, smoothed by the decoupled
 * peak detector of Eq. (17) (1 ms attack, 60 ms release).
 * - "split": a linear-phase complementary split at freqHz (`LinearPhaseLowpass`): y = lp + g·hp.
 * - "wide": y = g·x.
 * Both modes delay the audio by D = ceil(DEESSER_DELAY_MS·fs/1000) frames (the split filter's
 * half-length; `latencyFrames`), which also gives the detector D frames of look-ahead. With no
 * reduction (g = 1) the output is the delayed input exactly, and the split filter is not computed.
 */
export class Deesser implements ChainProcessor<DeesserParams> {
  private params: DeesserParams = { ...DEESSER_DEFAULTS };
  private sampleRate = 0;
  private channels = 0;
  private delay = 0;
  private split: LinearPhaseLowpass | null = null;
  private readonly sidechain = new BiquadCascade(2);
  private readonly curve = new GainCurve(-30, Infinity, DEESSER_KNEE_DB);
  private readonly detector = new DecoupledPeakDetector(1);
  private kneeStartAmp = 0;
  /** Input history per channel, each sample twice (p and p + cap), for contiguous FIR reads. */
  private rings: Float64Array[] = [];
  private cap = 0;
  private maxBlock = 0;
  /** Per channel: the side-chain signal of the current chunk. */
  private scratch: Float64Array[] = [];
  /** x_L, then y_L, then the gain, of the current chunk. */
  private gains = new Float64Array(0);
  private time = 0;
  private lastReduction = 0;

  constructor(params?: DeesserParams) {
    if (params) this.setParams(params);
  }

  get latencyFrames(): number {
    return this.delay;
  }

  /** The current reduction in dB (≥ 0). */
  get gainReductionDb(): number {
    return this.lastReduction;
  }

  setParams(params: DeesserParams): void {
    assertDeesserParams(params);
    const freqChanged = params.freqHz !== this.params.freqHz;
    this.params.freqHz = params.freqHz;
    this.params.thresholdDb = params.thresholdDb;
    this.params.rangeDb = params.rangeDb;
    this.params.mode = params.mode;
    this.curve.set(params.thresholdDb, Infinity, DEESSER_KNEE_DB);
    this.kneeStartAmp = dbToAmp(this.curve.kneeStartDb);
    if (this.sampleRate > 0 && freqChanged) this.designFilters();
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.delay = Math.ceil((DEESSER_DELAY_MS * spec.sampleRate) / 1000);
    this.split = new LinearPhaseLowpass(this.delay);
    this.cap = nextPow2(2 * this.delay + 2);
    this.rings = Array.from({ length: spec.channels }, () => new Float64Array(2 * this.cap));
    this.maxBlock = spec.maxBlockFrames;
    this.scratch = Array.from({ length: spec.channels }, () => new Float64Array(spec.maxBlockFrames));
    this.gains = new Float64Array(spec.maxBlockFrames);
    this.sidechain.resize(spec.channels);
    this.detector.setTimes(DEESSER_ATTACK_MS, DEESSER_RELEASE_MS, spec.sampleRate);
    this.designFilters();
    this.reset();
  }

  private designFilters(): void {
    const fs = this.sampleRate;
    this.split!.design(fs, this.params.freqHz);
    this.sidechain.setSection(0, highpassCoefs(fs, this.params.freqHz, BUTTERWORTH4_Q[0]));
    this.sidechain.setSection(1, highpassCoefs(fs, this.params.freqHz, BUTTERWORTH4_Q[1]));
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "Deesser.process called before prepare");
    assertBlock(block, frames, this.channels);
    for (let off = 0; off < frames; off += this.maxBlock)
      this.processChunk(block, off, Math.min(this.maxBlock, frames - off));
    this.lastReduction = this.detector.value(0);
  }

  /** Three tight loops; per sample exactly the interleaved computation (chunking does not matter). */
  private processChunk(block: readonly SampleBuffer[], off: number, n: number): void {
    const nch = this.channels;
    // 1. Side-chain: 4th-order high-pass per channel.
    for (let ch = 0; ch < nch; ch++) this.sidechain.filterBlock(ch, block[ch]!, off, n, this.scratch[ch]!);
    // 2. Linked level → x_L (Eq. 4, R = ∞, ≤ range) → y_L (Eq. 17) → gain.
    const g = this.gains;
    const curve = this.curve;
    const kneeStartAmp = this.kneeStartAmp;
    const range = this.params.rangeDb;
    const s0 = this.scratch[0]!;
    for (let i = 0; i < n; i++) {
      let level = Math.abs(s0[i]!);
      for (let ch = 1; ch < nch; ch++) level = Math.max(level, Math.abs(this.scratch[ch]![i]!));
      const xL = level > kneeStartAmp ? curve.reductionDb(Math.log(level) * DB_PER_NEPER) : 0;
      g[i] = Math.min(xL, range);
    }
    this.detector.run(0, g, n);
    for (let i = 0; i < n; i++) g[i] = g[i] === 0 ? 1 : Math.exp(-g[i]! * NEPER_PER_DB);
    // 3. Delay line and the split (or wide) gain, per channel.
    const cap = this.cap;
    const mask = cap - 1;
    const d = this.delay;
    const split = this.split!;
    const wide = this.params.mode === "wide";
    for (let ch = 0; ch < nch; ch++) {
      const r = this.rings[ch]!;
      const x = block[ch]!;
      for (let i = 0, t = this.time; i < n; i++, t++) {
        const v = x[off + i]!;
        const p = t & mask;
        r[p] = v;
        r[p + cap] = v;
        const start = (t - 2 * d) & mask; // the FIR window; its centre is the output sample t − D
        const xd = r[start + d]!;
        const gi = g[i]!;
        if (gi === 1) x[off + i] = xd;
        else x[off + i] = wide ? gi * xd : xd - (1 - gi) * (xd - split.apply(r, start));
      }
    }
    this.time += n;
  }

  reset(): void {
    for (const r of this.rings) r.fill(0);
    this.sidechain.reset();
    this.detector.reset();
    this.time = 0;
    this.lastReduction = 0;
  }
}
