import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { timeConstantCoef } from "./envelope";
import { dbToAmp } from "./gainComputer";
import { LookaheadGain, nextPow2 } from "./lookaheadGain";
import { intervalPeak, PEAK_LEFT, PEAK_SKIP_GAIN, PEAK_WINDOW } from "./oversampledPeak";
import { GUARD_CHECK_DELAY, GUARD_FRAMES, TruePeakGuard } from "./truePeakGuard";

/** Parameters of the "limiter" module (keys and ranges of packages/chain moduleSpecs.ts). */
export interface LimiterParams {
  /** −12…0 dBTP (dBFS of the samples when `truePeak` is off). */
  ceilingDbtp: number;
  /** 1…1000 ms: time constant of the exponential release (of the gain in dB). */
  releaseMs: number;
  /** 0.5…10 ms: how long before a peak the gain starts to fall. */
  lookaheadMs: number;
  /** Detect (and guarantee) true peaks, BS.1770-4 Annex 2, rather than sample peaks. */
  truePeak: boolean;
  /** 0 = each channel its own gain; 100 = both channels the smaller gain. */
  stereoLinkPct: number;
}

export const LIMITER_DEFAULTS: Readonly<LimiterParams> = {
  ceilingDbtp: -1,
  releaseMs: 100,
  lookaheadMs: 5,
  truePeak: true,
  stereoLinkPct: 100,
};

/** The largest look-ahead; the latency is fixed from it so that changing look-ahead never changes it. */
export const MAX_LOOKAHEAD_MS = 10;
/**
 * The gain path aims this far below the ceiling (dB), so that the guard (the exact final check)
 * rarely has to correct anything: the residue of gain modulation inside the interpolator's 16-sample
 * window stays under it on all the hostile signals of the tests.
 */
export const LIMITER_MARGIN_DB = 0.02;
/** The guard's limit sits this far (relative) below the ceiling: covers rounding to Float32. */
const GUARD_RELATIVE_MARGIN = 1e-6;

export function assertLimiterParams(p: LimiterParams): void {
  assertInRange(p.ceilingDbtp, -12, 0, "ceilingDbtp");
  assertInRange(p.releaseMs, 1, 1000, "releaseMs");
  assertInRange(p.lookaheadMs, 0.5, MAX_LOOKAHEAD_MS, "lookaheadMs");
  if (typeof p.truePeak !== "boolean") throw new DspError("INVALID_ARGUMENT", "truePeak must be a boolean");
  assertInRange(p.stereoLinkPct, 0, 100, "stereoLinkPct");
}

/** Look-ahead frames for a sample rate: round(ms·fs/1000), at least 1. */
export function lookaheadFrames(lookaheadMs: number, sampleRate: number): number {
  return Math.max(1, Math.round((lookaheadMs * sampleRate) / 1000));
}

/**
 * Look-ahead brickwall limiter with a true-peak guarantee.
 *
 * 1. Detector: per sample interval, the peak q of |x| — 4× oversampled with the project's BS.1770-4
 *    interpolator when `truePeak` (`intervalPeak`), the sample itself otherwise. A window with no
 *    sample above target/Σ|c| cannot peak above the target: it is not interpolated, q = target is
 *    stored instead (an upper bound, and no reduction). Stereo link: q_c ← max(q_c, k·max(q)),
 *    k = stereoLinkPct/100 (never below the channel's own peak); fully linked, one gain path serves
 *    both channels.
 * 2. Gain path (`LookaheadGain`): hold of L + 17 samples, needed gain min(1, target/q) with an
 *    exponential release in dB (τ = releaseMs), two moving averages that ramp the gain down over the
 *    look-ahead L. The gain reaching a sample is ≤ the need of every interval within ±8 samples of it
 *    (the interpolator's reach); target = ceiling − LIMITER_MARGIN_DB. What is left over the target
 *    comes only from the gain varying inside an interpolator window (≤ 0.006 dB measured).
 * 3. Guard (`TruePeakGuard`): an exact oversampled check of the output against the ceiling (less
 *    1e-6 for the rounding to Float32) with hard, tapered gain correction, skipped where a bound
 *    from the gain path proves the interval safe. The output's true peak, as TruePeakMeter measures
 *    it, never exceeds the ceiling (measured worst case: 0.014 dB under it).
 *
 * Latency: fixed at prepare, round(MAX_LOOKAHEAD_MS·fs/1000) + 16 + GUARD_FRAMES frames (the 16 are
 * the detector's 8-sample look-ahead plus the hold's 8 on the other side). A shorter look-ahead only
 * starts the gain ramp later; the delay does not change. Changing look-ahead, link or lowering the
 * ceiling rebuilds the gain path from the stored detector history (O(look-ahead), no allocation); a
 * lower ceiling also applies to the samples already in the guard, so it holds from the next output
 * sample — a deliberate step in the gain when the limiter was working, the one live edit that is
 * not smoothed. A higher ceiling keeps the gain path as it is: the gain rises with the release.
 * Switching `truePeak` on takes effect for peaks entering the detector from then on (the guard
 * enforces true peaks at once).
 */
export class Limiter implements ChainProcessor<LimiterParams> {
  private params: LimiterParams = { ...LIMITER_DEFAULTS };
  private sampleRate = 0;
  private channels = 0;
  private maxLookahead = 0;
  private lookahead = 1;
  /** Delay of the gain path's output sample behind the newest input: maxLookahead + 16. */
  private pathDelay = 0;
  private latency = 0;
  /** Input level above which a window may hold a true peak above the target. */
  private detectLoud = 1;
  private readonly guard = new TruePeakGuard();
  private pipes: LookaheadGain[] = [];
  /** Input history per channel, each sample stored twice (p and p + inCap). */
  private inRings: Float64Array[] = [];
  private inMask = 0;
  private inCap = 0;
  /** Detector output q per channel, indexed by interval. */
  private qRings: Float64Array[] = [];
  private qMask = 0;
  private lastLoud = new Float64Array(0);
  private qEff = new Float64Array(0);
  private time = 0;
  private link = 1;
  private target = 1;
  private lastReductionDb = 0;

  constructor(params?: LimiterParams) {
    if (params) this.setParams(params);
  }

  get latencyFrames(): number {
    return this.latency;
  }

  /** The current gain reduction of the gain path in dB (≥ 0; the largest over the channels). */
  get gainReductionDb(): number {
    return this.lastReductionDb;
  }

  /** Corrections the final guard had to make since reset (diagnostics; ideally rare). */
  get guardCorrections(): number {
    return this.guard.corrections;
  }

  /** Exact oversampled checks the guard made since reset (the rest were skipped by its bounds). */
  get guardChecks(): number {
    return this.guard.checks;
  }

  /** Guard corrections that could not be verified (0 unless the guarantee was at risk). */
  get guardUnverified(): number {
    return this.guard.unverified;
  }

  setParams(params: LimiterParams): void {
    assertLimiterParams(params);
    const p = this.params;
    const releaseChanged = p.releaseMs !== params.releaseMs;
    const ceilingChanged = p.ceilingDbtp !== params.ceilingDbtp || p.truePeak !== params.truePeak;
    const pathChanged =
      p.ceilingDbtp !== params.ceilingDbtp ||
      p.lookaheadMs !== params.lookaheadMs ||
      p.stereoLinkPct !== params.stereoLinkPct;
    // A higher ceiling alone needs no rebuild: the gain path releases towards it (no jump, no click).
    const raisedOnly =
      params.ceilingDbtp > p.ceilingDbtp &&
      p.lookaheadMs === params.lookaheadMs &&
      p.stereoLinkPct === params.stereoLinkPct;
    p.ceilingDbtp = params.ceilingDbtp;
    p.releaseMs = params.releaseMs;
    p.lookaheadMs = params.lookaheadMs;
    p.truePeak = params.truePeak;
    p.stereoLinkPct = params.stereoLinkPct;
    if (this.sampleRate === 0) return;
    if (releaseChanged) for (const pipe of this.pipes) pipe.setRelease(this.releaseCoef());
    if (ceilingChanged) {
      this.applyCeiling();
      this.guard.recheck(); // the samples on their way out obey the new ceiling too
    }
    if (pathChanged) {
      this.configurePath();
      if (!raisedOnly) this.replay();
    }
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.maxLookahead = lookaheadFrames(MAX_LOOKAHEAD_MS, spec.sampleRate);
    this.pathDelay = this.maxLookahead + 2 * (PEAK_LEFT + 1);
    this.latency = this.pathDelay + GUARD_FRAMES;
    this.inCap = nextPow2(this.pathDelay + 2);
    this.inMask = this.inCap - 1;
    this.inRings = Array.from({ length: spec.channels }, () => new Float64Array(2 * this.inCap));
    const qCap = nextPow2(3 * this.maxLookahead + 64);
    this.qMask = qCap - 1;
    this.qRings = Array.from({ length: spec.channels }, () => new Float64Array(qCap));
    this.lastLoud = new Float64Array(spec.channels);
    this.qEff = new Float64Array(spec.channels);
    this.pipes = Array.from({ length: spec.channels }, () => new LookaheadGain(this.maxLookahead));
    this.guard.prepare(spec.channels);
    this.applyCeiling();
    this.configurePath();
    this.reset();
  }

  private releaseCoef(): number {
    return timeConstantCoef(this.params.releaseMs, this.sampleRate);
  }

  private applyCeiling(): void {
    const ceiling = dbToAmp(this.params.ceilingDbtp);
    this.target = dbToAmp(this.params.ceilingDbtp - LIMITER_MARGIN_DB);
    this.detectLoud = this.target / PEAK_SKIP_GAIN;
    this.guard.setLimit(ceiling * (1 - GUARD_RELATIVE_MARGIN), this.params.truePeak, this.target);
    // Samples already on their way were limited for the previous ceiling or detector.
    this.guard.distrust(this.latency + GUARD_CHECK_DELAY + PEAK_WINDOW);
  }

  private configurePath(): void {
    this.lookahead = Math.min(this.maxLookahead, lookaheadFrames(this.params.lookaheadMs, this.sampleRate));
    this.link = this.params.stereoLinkPct / 100;
    for (const p of this.pipes) p.configure(this.lookahead, this.target, this.releaseCoef());
  }

  /** Rebuilds the gain path's state from the stored detector output (after a parameter change). */
  private replay(): void {
    const newest = this.time - 1 - (PEAK_LEFT + 1) - (this.maxLookahead - this.lookahead);
    const len = this.pipes[0]!.replayLength;
    for (const p of this.pipes) p.restart(p.gain);
    for (let v = newest - len + 1; v <= newest; v++) this.stepPath(v);
  }

  /**
   * Links the detector values of interval `v` and advances every channel's gain path. Fully linked
   * (or mono), every channel sees max(q): one path is stepped and its gain shared.
   */
  private stepPath(v: number): void {
    const nch = this.channels;
    const qi = v & this.qMask;
    const pipes = this.pipes;
    let qMax = 0;
    for (let ch = 0; ch < nch; ch++) {
      const q = this.qRings[ch]![qi]!;
      this.qEff[ch] = q;
      if (q > qMax) qMax = q;
    }
    if (this.link === 1) {
      const g = pipes[0]!.step(qMax);
      for (let ch = 1; ch < nch; ch++) pipes[ch]!.gain = g;
      return;
    }
    const linked = this.link * qMax;
    for (let ch = 0; ch < nch; ch++) {
      const q = this.qEff[ch]!;
      pipes[ch]!.step(Math.max(q, linked));
    }
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "Limiter.process called before prepare");
    assertBlock(block, frames, this.channels);
    const nch = this.channels;
    const inMask = this.inMask;
    const inCap = this.inCap;
    const qMask = this.qMask;
    const loud = this.detectLoud;
    const target = this.target;
    const truePeak = this.params.truePeak;
    const guard = this.guard;
    const pathDelay = this.pathDelay;
    const inRings = this.inRings;
    const qRings = this.qRings;
    const lastLoud = this.lastLoud;
    const pipes = this.pipes;
    const offset = PEAK_LEFT + 1 + this.maxLookahead - this.lookahead;
    let t = this.time;
    for (let i = 0; i < frames; i++, t++) {
      const p = t & inMask;
      const m = t - (PEAK_LEFT + 1); // the interval whose window [m − 7, m + 8] is now complete
      const mq = m & qMask;
      for (let ch = 0; ch < nch; ch++) {
        const ring = inRings[ch]!;
        const x = block[ch]![i]!;
        ring[p] = x;
        ring[p + inCap] = x;
        if (x > loud || x < -loud) lastLoud[ch] = t;
        const xm = Math.abs(ring[m & inMask]!);
        // Quiet window: |interpolated| ≤ Σ|c|·max|x| ≤ target, which needs no gain reduction;
        // store that bound (the guard uses q as an upper bound of the interval's peak).
        qRings[ch]![mq] = !truePeak
          ? xm
          : lastLoud[ch]! > t - PEAK_WINDOW
            ? intervalPeak(ring, (t - PEAK_WINDOW + 1) & inMask)
            : Math.max(xm, target);
      }
      this.stepPath(t - offset);
      const d = (t - pathDelay) & inMask;
      const qk = (t - pathDelay - GUARD_CHECK_DELAY) & qMask; // the interval the guard checks now
      for (let ch = 0; ch < nch; ch++) {
        const s = pipes[ch]!.gain;
        guard.push(ch, s * inRings[ch]![d]!, s, qRings[ch]![qk]!);
      }
      for (let ch = 0; ch < nch; ch++) block[ch]![i] = guard.output(ch);
      guard.advance();
    }
    this.time = t;
    let g = 1;
    for (const pipe of this.pipes) g = Math.min(g, pipe.gain);
    this.lastReductionDb = g < 1 ? -20 * Math.log10(g) : 0;
  }

  reset(): void {
    for (const r of this.inRings) r.fill(0);
    for (const r of this.qRings) r.fill(0);
    this.lastLoud.fill(-1e9);
    for (const p of this.pipes) p.reset();
    this.guard.reset();
    this.time = 0;
    this.lastReductionDb = 0;
  }
}
