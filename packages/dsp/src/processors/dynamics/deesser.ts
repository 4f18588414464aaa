import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { GLIDE_SECONDS, ParamRamp } from "../paramRamp";
import { DecoupledPeakDetector, ENVELOPE_FLOOR_DB } from "./envelope";
import { DB_PER_NEPER, dbToAmp, GainCurve, NEPER_PER_DB } from "./gainComputer";
import { LinearPhaseLowpass } from "./linearPhaseSplit";
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
 * Live edits: a change of mode crossfades the two outputs over GLIDE_SECONDS, and a new frequency
 * the split filter's low band (old taps → new taps), per sample; the side-chain filter, threshold
 * and range act through the detector, whose attack and release smooth the gain.
 */
export class Deesser implements ChainProcessor<DeesserParams> {
  private params: DeesserParams = { ...DEESSER_DEFAULTS };
  private sampleRate = 0;
  private channels = 0;
  private delay = 0;
  private split: LinearPhaseLowpass | null = null;
  /** The split filter a new frequency crossfades to (then the two swap). */
  private splitNext: LinearPhaseLowpass | null = null;
  private readonly splitFade = new ParamRamp(0);
  private splitFadeArr = new Float64Array(0);
  private lowNext = new Float64Array(0);
  private readonly sidechain = new BiquadCascade(2);
  private readonly curve = new GainCurve(-30, Infinity, DEESSER_KNEE_DB);
  private readonly detector = new DecoupledPeakDetector(1);
  private kneeStartAmp = 0;
  /**
   * Side-chain amplitude above which the reduction is surely limited to rangeDb (above the knee and
   * at threshold + range, with a 1e-9 relative margin so the log is never needed to decide).
   */
  private fullAmp = Infinity;
  /** Per channel: the last 2D input frames, then the current chunk (linear, for contiguous FIR reads). */
  private lin: Float64Array[] = [];
  /** The gain of each frame of the current chunk. */
  private gains = new Float64Array(0);
  /** The low band of the current chunk, one channel at a time (`LinearPhaseLowpass.applyBlock`). */
  private low = new Float64Array(0);
  private maxBlock = 0;
  /** Per channel: the side-chain signal of the current chunk. */
  private scratch: Float64Array[] = [];
  private lastReduction = 0;
  /** Share of the wide output (0: split, 1: wide), gliding on a change of mode. */
  private readonly wideness = new ParamRamp(0);
  private widenessArr = new Float64Array(0);

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
    this.wideness.setTarget(params.mode === "wide" ? 1 : 0, this.sampleRate === 0);
    this.curve.set(params.thresholdDb, Infinity, DEESSER_KNEE_DB);
    this.kneeStartAmp = dbToAmp(this.curve.kneeStartDb);
    this.fullAmp = dbToAmp(Math.max(this.curve.kneeEndDb, params.thresholdDb + params.rangeDb)) * (1 + 1e-9);
    if (this.sampleRate > 0 && freqChanged) {
      this.designSidechain();
      // Crossfade the low band to the new split (from wherever an unfinished crossfade stands).
      if (this.splitFade.moving) this.split!.mixFrom(this.splitNext!, this.splitFade.current);
      this.splitNext!.design(this.sampleRate, params.freqHz);
      this.splitFade.snap(0);
      this.splitFade.setTarget(1);
    }
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.delay = Math.ceil((DEESSER_DELAY_MS * spec.sampleRate) / 1000);
    this.split = new LinearPhaseLowpass(this.delay);
    this.splitNext = new LinearPhaseLowpass(this.delay);
    this.splitFade.setRampFrames(GLIDE_SECONDS * spec.sampleRate);
    this.splitFadeArr = new Float64Array(spec.maxBlockFrames);
    this.lowNext = new Float64Array(spec.maxBlockFrames);
    this.lin = Array.from({ length: spec.channels }, () => new Float64Array(2 * this.delay + spec.maxBlockFrames));
    this.maxBlock = spec.maxBlockFrames;
    this.scratch = Array.from({ length: spec.channels }, () => new Float64Array(spec.maxBlockFrames));
    this.gains = new Float64Array(spec.maxBlockFrames);
    this.low = new Float64Array(spec.maxBlockFrames);
    this.widenessArr = new Float64Array(spec.maxBlockFrames);
    this.wideness.setRampFrames(GLIDE_SECONDS * spec.sampleRate);
    this.sidechain.resize(spec.channels);
    this.detector.setTimes(DEESSER_ATTACK_MS, DEESSER_RELEASE_MS, spec.sampleRate);
    this.designFilters();
    this.reset();
  }

  private designFilters(): void {
    this.split!.design(this.sampleRate, this.params.freqHz);
    this.designSidechain();
  }

  private designSidechain(): void {
    const fs = this.sampleRate;
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

  /**
   * Per chunk: the side-chain high-pass per channel; one loop over the frames for the linked
   * detector (level, Eq. 4, Eq. 17, gain) with every state in locals; then per channel the split
   * (over the frames with a gain below 1 only) and the output. Per sample the same computation
   * wherever a chunk starts or ends.
   */
  private processChunk(block: readonly SampleBuffer[], off: number, n: number): void {
    const nch = this.channels;
    const sc = this.scratch;
    // 1. Side-chain: 4th-order high-pass per channel.
    if (nch === 2) this.sidechain.filterStereo(block[0]!, block[1]!, off, n, sc[0]!, sc[1]!);
    else for (let ch = 0; ch < nch; ch++) this.sidechain.filterBlock(ch, block[ch]!, off, n, sc[ch]!);
    // 2. The input after its 2D frames of history (linear buffers, no wrap-around).
    const d = this.delay;
    const d2 = 2 * d;
    const lin = this.lin;
    for (let ch = 0; ch < nch; ch++) {
      const h = lin[ch]!;
      const x = block[ch]!;
      for (let i = 0; i < n; i++) h[d2 + i] = x[off + i]!;
    }
    // 3. Linked level → x_L (Eq. 4, R = ∞, ≤ range) → y_L (Eq. 17) → gain.
    const curve = this.curve;
    const kneeStartDb = curve.kneeStartDb;
    const kneeEndDb = curve.kneeEndDb;
    const thresholdDb = curve.thresholdDb;
    const slope = curve.slope;
    const kneeCoef = curve.kneeCoef;
    const kneeStartAmp = this.kneeStartAmp;
    const range = this.params.rangeDb;
    const fullAmp = this.fullAmp;
    const det = this.detector;
    const aR = det.alphaR;
    const aA = det.alphaA;
    const bR = 1 - aR;
    const bA = 1 - aA;
    let y1 = det.getState(0, 0);
    let yL = det.getState(0, 1);
    const fading = this.wideness.moving;
    if (fading) this.wideness.fill(this.widenessArr, n);
    const wide = !fading && this.wideness.current === 1;
    const s0 = sc[0]!;
    const s1 = nch > 1 ? sc[1]! : s0;
    const gains = this.gains;
    // First and last frame of the chunk with a gain below 1: the split is computed over those only.
    let lo = n;
    let hi = -1;
    for (let i = 0; i < n; i++) {
      let level = Math.abs(s0[i]!);
      if (nch === 2) level = Math.max(level, Math.abs(s1[i]!));
      else for (let ch = 1; ch < nch; ch++) level = Math.max(level, Math.abs(sc[ch]![i]!));
      let xL = 0;
      if (level > fullAmp) xL = range;
      else if (level > kneeStartAmp) {
        const levelDb = Math.log(level) * DB_PER_NEPER;
        if (levelDb <= kneeStartDb) xL = 0;
        else if (levelDb >= kneeEndDb) xL = slope * (levelDb - thresholdDb);
        else {
          const e = levelDb - kneeStartDb;
          xL = kneeCoef * e * e;
        }
      }
      xL = Math.min(xL, range);
      // Eq. (17), as DecoupledPeakDetector.run.
      y1 = Math.max(xL, aR * y1 + bR * xL);
      yL = aA * yL + bA * y1;
      if (y1 < ENVELOPE_FLOOR_DB) y1 = 0;
      if (yL < ENVELOPE_FLOOR_DB) yL = 0;
      const gi = yL === 0 ? 1 : Math.exp(-yL * NEPER_PER_DB);
      gains[i] = gi;
      if (gi !== 1) {
        if (lo === n) lo = i;
        hi = i;
      }
    }
    // 4. Output: the delayed input where the gain is 1, else g·x (wide) or lp + g·(x − lp) (split).
    const low = this.low;
    const v = this.widenessArr;
    const splitFading = this.splitFade.moving;
    if (splitFading) this.splitFade.fill(this.splitFadeArr, n);
    for (let ch = 0; ch < nch; ch++) {
      const h = lin[ch]!;
      const y = block[ch]!;
      if (!wide && lo <= hi) {
        this.split!.applyBlock(h, lo, hi + 1, low);
        if (splitFading) this.mixLow(h, lo, hi + 1);
      }
      if (fading) {
        // The two outputs mixed (each by the formula below, so the ends of the fade match them).
        for (let i = 0; i < n; i++) {
          const gi = gains[i]!;
          const xd = h[i + d]!;
          const w = v[i]!;
          if (gi === 1) y[off + i] = xd;
          else if (w === 1) y[off + i] = gi * xd;
          else if (w === 0) y[off + i] = xd - (1 - gi) * (xd - low[i]!);
          else y[off + i] = (1 - w) * (xd - (1 - gi) * (xd - low[i]!)) + w * (gi * xd);
        }
        continue;
      }
      for (let i = 0; i < n; i++) {
        const gi = gains[i]!;
        const xd = h[i + d]!;
        if (gi === 1) y[off + i] = xd;
        else if (wide) y[off + i] = gi * xd;
        else y[off + i] = xd - (1 - gi) * (xd - low[i]!);
      }
    }
    det.setState(0, y1, yL);
    if (splitFading && !this.splitFade.moving) this.swapSplit();
    // 5. Keep the last 2D input frames as the next chunk's history.
    for (let ch = 0; ch < nch; ch++) lin[ch]!.copyWithin(0, n, n + d2);
  }

  /** low[i] ← the crossfade of the current split's low band (in `low`) and the next one's, i ∈ [from, to). */
  private mixLow(h: Float64Array, from: number, to: number): void {
    const low = this.low;
    const next = this.lowNext;
    const w = this.splitFadeArr;
    this.splitNext!.applyBlock(h, from, to, next);
    for (let i = from; i < to; i++) {
      const wi = w[i]!;
      low[i] = wi === 1 ? next[i]! : (1 - wi) * low[i]! + wi * next[i]!;
    }
  }

  /** The crossfade to the next split is over: it becomes the split. */
  private swapSplit(): void {
    const s = this.split;
    this.split = this.splitNext;
    this.splitNext = s;
  }

  reset(): void {
    this.wideness.snap();
    if (this.splitFade.moving) this.swapSplit();
    this.splitFade.snap();
    for (const r of this.lin) r.fill(0);
    this.sidechain.reset();
    this.detector.reset();
    this.lastReduction = 0;
  }
}
