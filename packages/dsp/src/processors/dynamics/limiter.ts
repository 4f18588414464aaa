import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { GLIDE_SECONDS, ParamRamp } from "../paramRamp";
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
/** The guard's limit over the gain path's target, for the same ceiling. */
const LIMIT_PER_TARGET = dbToAmp(LIMITER_MARGIN_DB) * (1 - GUARD_RELATIVE_MARGIN);

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
 * starts the gain ramp later; the delay does not change. Changing look-ahead or link rebuilds the
 * gain path from the stored detector history (O(look-ahead), no allocation).
 *
 * A live ceiling change glides (linearly in dB over GLIDE_SECONDS, per sample) for the intervals
 * entering the detector from the edit on; every stage reads the ceiling of the interval it handles
 * (the gain path through its peaks scaled by its target over the interval's, the guard through a
 * per-interval limit), and the samples already inside keep the ceiling they were limited for. So a
 * lower ceiling never changes a gain already applied: the gain path starts its look-ahead ramp at the
 * next sample it releases, and the output comes down without a step. The guarantee: from output frame
 * edit + latencyFrames + `ceilingGlideFrames` on (about 32 ms at 48 kHz), every output sample obeys
 * the new ceiling; before, the ceiling in force is the one the sample was limited for. (A mastering
 * engineer lowering the ceiling during playback hears the level come down smoothly within tens of
 * ms; the export sets the ceiling before rendering, where it holds from the first sample.)
 * Switching `truePeak` on takes effect for peaks entering the detector from then on (the guard
 * enforces true peaks at once, on every sample still held).
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
  /** The gain path's target for the interval entering the detector now (glides with the ceiling). */
  private target = 1;
  /** The target of the ceiling set last: the gain paths are configured with it. */
  private pathTarget = 1;
  /** The target of each interval, indexed like the detector output. */
  private targets = new Float64Array(0);
  /** The ceiling (dBTP) of the interval entering the detector; glides after a live change. */
  private readonly ceiling = new ParamRamp(LIMITER_DEFAULTS.ceilingDbtp);
  private glideFrames = 1;
  /** Steps until the last interval of a ceiling glide has passed the guard's check (0: settled). */
  private glideLeft = 0;
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

  /**
   * A live ceiling change holds from output frame edit + latencyFrames + this on (the edit made
   * before input frame `edit`): the glide, GLIDE_SECONDS in frames.
   */
  get ceilingGlideFrames(): number {
    return this.glideFrames;
  }

  setParams(params: LimiterParams): void {
    assertLimiterParams(params);
    const p = this.params;
    const releaseChanged = p.releaseMs !== params.releaseMs;
    const ceilingChanged = p.ceilingDbtp !== params.ceilingDbtp;
    const truePeakChanged = p.truePeak !== params.truePeak;
    const pathChanged = p.lookaheadMs !== params.lookaheadMs || p.stereoLinkPct !== params.stereoLinkPct;
    p.ceilingDbtp = params.ceilingDbtp;
    p.releaseMs = params.releaseMs;
    p.lookaheadMs = params.lookaheadMs;
    p.truePeak = params.truePeak;
    p.stereoLinkPct = params.stereoLinkPct;
    if (this.sampleRate === 0) return;
    if (releaseChanged) for (const pipe of this.pipes) pipe.setRelease(this.releaseCoef());
    if (ceilingChanged) this.glideCeiling();
    if (truePeakChanged) {
      this.guard.setTruePeak(params.truePeak);
      this.guard.distrust(this.latency + GUARD_CHECK_DELAY + PEAK_WINDOW);
      this.guard.recheck(); // the samples on their way out obey the true peak too
    }
    if (pathChanged) {
      this.configurePath();
      this.replay();
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
    this.targets = new Float64Array(qCap);
    this.glideFrames = Math.max(1, Math.round(GLIDE_SECONDS * spec.sampleRate));
    this.ceiling.setRampFrames(this.glideFrames);
    this.lastLoud = new Float64Array(spec.channels);
    this.qEff = new Float64Array(spec.channels);
    this.pipes = Array.from({ length: spec.channels }, () => new LookaheadGain(this.maxLookahead));
    this.guard.prepare(spec.channels);
    this.settleCeiling();
    this.configurePath();
    this.reset();
  }

  private releaseCoef(): number {
    return timeConstantCoef(this.params.releaseMs, this.sampleRate);
  }

  /** Every stage at the ceiling set last, at once (prepare, reset, the end of a glide). */
  private settleCeiling(): void {
    const db = this.params.ceilingDbtp;
    this.ceiling.snap(db);
    this.target = dbToAmp(db - LIMITER_MARGIN_DB);
    this.pathTarget = this.target;
    this.detectLoud = this.target / PEAK_SKIP_GAIN;
    this.guard.setLimit(dbToAmp(db) * (1 - GUARD_RELATIVE_MARGIN), this.params.truePeak, this.target);
    this.glideLeft = 0;
  }

  /**
   * Starts a glide to the ceiling set last, for the intervals entering the detector from the next
   * sample on (see the class comment). Nothing already computed changes: the gain paths keep their
   * held peaks' meaning (`retarget`), and the detector and the guard judge "loud" by the lowest
   * ceiling still to come.
   */
  private glideCeiling(): void {
    const db = this.params.ceilingDbtp;
    this.ceiling.setTarget(db);
    this.pathTarget = dbToAmp(db - LIMITER_MARGIN_DB);
    for (const p of this.pipes) p.retarget(this.pathTarget);
    const loud = Math.min(this.target, this.pathTarget) / PEAK_SKIP_GAIN;
    // Samples of the windows still open were judged against a higher level: interpolate those.
    if (loud < this.detectLoud) this.lastLoud.fill(this.time - 1);
    this.detectLoud = loud;
    this.guard.lowerLoudLimit(this.pathTarget * LIMIT_PER_TARGET);
    // The last interval of the glide enters the detector glideFrames − 1 steps from now and is
    // checked by the guard pathDelay + GUARD_CHECK_DELAY − (PEAK_LEFT + 1) steps after that.
    this.glideLeft = this.glideFrames + this.pathDelay + GUARD_CHECK_DELAY;
    // The gain path's promise (one target) does not hold over the glide: the guard checks exactly.
    this.guard.distrust(this.glideLeft + GUARD_CHECK_DELAY + PEAK_WINDOW);
  }

  /** One step of a ceiling glide at time `t`: the target of the interval entering the detector now. */
  private glideStep(t: number): void {
    const db = this.ceiling.next();
    this.target = dbToAmp(db - LIMITER_MARGIN_DB);
    this.detectLoud = Math.min(this.target, this.pathTarget) / PEAK_SKIP_GAIN;
    const k = t - this.pathDelay - GUARD_CHECK_DELAY; // the interval the guard checks in this step
    this.guard.setCheckLimit(this.targets[k & this.qMask]! * LIMIT_PER_TARGET);
    if (--this.glideLeft === 0) this.settleCeiling();
  }

  private configurePath(): void {
    this.lookahead = Math.min(this.maxLookahead, lookaheadFrames(this.params.lookaheadMs, this.sampleRate));
    this.link = this.params.stereoLinkPct / 100;
    for (const p of this.pipes) p.configure(this.lookahead, this.pathTarget, this.releaseCoef());
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
   * (or mono), every channel sees max(q): one path is stepped and its gain shared. An interval whose
   * target is not the paths' (during a ceiling glide) enters as q·pathTarget/target: the gain it asks
   * for is its own target/q.
   */
  private stepPath(v: number): void {
    const nch = this.channels;
    const qi = v & this.qMask;
    const pipes = this.pipes;
    const tv = this.targets[qi]!;
    const scale = tv === this.pathTarget ? 1 : this.pathTarget / tv;
    let qMax = 0;
    for (let ch = 0; ch < nch; ch++) {
      let q = this.qRings[ch]![qi]!;
      if (scale !== 1) q *= scale;
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
    const targets = this.targets;
    let loud = this.detectLoud;
    let target = this.target;
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
      if (this.glideLeft > 0) {
        this.glideStep(t);
        loud = this.detectLoud;
        target = this.target;
      }
      const p = t & inMask;
      const m = t - (PEAK_LEFT + 1); // the interval whose window [m − 7, m + 8] is now complete
      const mq = m & qMask;
      targets[mq] = target;
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
    this.settleCeiling();
    this.targets.fill(this.target);
    for (const r of this.inRings) r.fill(0);
    for (const r of this.qRings) r.fill(0);
    this.lastLoud.fill(-1e9);
    for (const p of this.pipes) p.reset();
    this.guard.reset();
    this.time = 0;
    this.lastReductionDb = 0;
  }
}
