import { assertInRange, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";
import { GlideClock } from "../glideClock";
import { GLIDE_SECONDS, GLIDE_TICK_FRAMES, glideTicks, ParamRamp } from "../paramRamp";

/** The `reverb` module's parameters (packages/chain moduleSpecs). */
export interface ReverbParams {
  /** Wet level, 0 … 30 %: out = dry + mix·wet (the dry signal stays at full level). */
  mixPct: number;
  /** RT60 (60 dB decay time) below `dampingHz`, 0.2 … 4 s. */
  decayS: number;
  /** Delay of the wet signal, 0 … 100 ms. */
  preDelayMs: number;
  /** Where the decay time has fallen to half of `decayS`, 1 … 20 kHz (higher = brighter tail). */
  dampingHz: number;
  /** Stereo width of the wet signal, 0 … 100 % (0 = mono wet). */
  widthPct: number;
  /** High-pass (2nd-order Butterworth) on the wet input, 20 … 1000 Hz. */
  lowCutHz: number;
}

export const DEFAULT_REVERB_PARAMS: ReverbParams = {
  mixPct: 5,
  decayS: 1.2,
  preDelayMs: 10,
  dampingHz: 8000,
  widthPct: 100,
  lowCutHz: 200,
};

const LINES = 8;
/** Nominal loop delays (ms); each becomes the next prime number of samples at the sample rate. */
const LINE_MS = [29.7, 35.3, 40.9, 46.1, 51.7, 57.1, 63.7, 70.3];
/** Input diffusers per channel: Schroeder all-passes (ms, gain). */
const DIFFUSER_MS = [1.63, 2.71, 4.13];
const DIFFUSER_GAIN = 0.6;
/**
 * Wet gain: with 4 unit taps per side, a channel's impulse response (its own plus the other
 * channel's) carries an energy of ≈ 6 at decay 1 s (measured, 44.1 and 96 kHz). 0.4 ≈ 1/√6: for
 * uncorrelated stereo noise the wet path at 100 % comes out at the input's RMS for decay 1 s
 * (measured +0.1 dB; −1.3 dB at 0.5 s, +2.1 dB at 2 s, +4.5 dB at 4 s: longer rooms are louder).
 * At the maximum mix of 30 % the wet sits ≈ 10.5 dB under the dry signal (decay 1 s).
 */
const WET_NORM = 0.4;
const MAX_PRE_DELAY_MS = 100;
/**
 * Recursive states below this (−600 dB) are set to exact 0: they never reach subnormal numbers
 * (slow on x86), and a decayed tail ends in true silence instead of a limit cycle at the bottom of
 * the number range.
 */
const TINY = 1e-30;

/** x, or 0 when |x| < TINY. */
function flush(x: number): number {
  return Math.abs(x) < TINY ? 0 : x;
}

function nextPrime(n: number): number {
  for (let p = Math.max(2, Math.ceil(n)); ; p++) {
    let prime = true;
    for (let d = 2; d * d <= p; d++) {
      if (p % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) return p;
  }
}

function pow2AtLeast(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/**
 * Coefficient b of the one-pole low-pass y = (1 − b)·x + b·y₋₁ whose gain at ω is `gain` (< 1):
 * (1 − b)² = gain²·(1 − 2b·cos ω + b²), the root in [0, 1), written as B / (A + √(A² − B²)) with
 * A = 1 − gain²·cos ω, B = 1 − gain² (no cancellation when gain → 1).
 */
export function onePoleForGain(gain: number, omega: number): number {
  const g2 = gain * gain;
  const a = 1 - g2 * Math.cos(omega);
  const b = 1 - g2;
  return b / (a + Math.sqrt(Math.max(0, a * a - b * b)));
}

/**
 * A subtle algorithmic room for mastering: pre-delay → high-pass → three all-pass diffusers per
 * channel → an 8-line feedback delay network (FDN, J.-M. Jot & A. Chaigne, "Digital delay networks
 * for designing artificial reverberators", AES 90th Convention, 1991) with a normalised Hadamard
 * feedback matrix (orthogonal, so lossless before the loop filters).
 *
 * Line i (length m_i samples, a prime near LINE_MS) has the loop filter
 *   g_i = 10^(−3·m_i / (fs·decayS))        60 dB of decay every decayS seconds, whatever the line
 *   one-pole low-pass, DC gain 1, gain g_i at dampingHz
 * so the decay is decayS at low and mid frequencies and decayS/2 at dampingHz, with every line
 * decaying at the same rate at every frequency (no line rings longer than the others). decayS is
 * thus the mid-frequency RT60 (ISO 3382-1 T_mid, 500 Hz and 1 kHz octaves: within 5 % in the
 * tests); the broadband RT60 of the white impulse response is shorter (0.82–0.87 × decayS even at
 * 20 kHz damping), because the treble, which holds most of a white spectrum's energy, decays faster.
 *
 * L feeds the even lines and R the odd; the wet L is read from the even lines and the wet R from the
 * odd (decorrelated), then width scales the side: wetL/R = M ± (width/100)·S. Mono runs the stereo
 * network on the one channel and outputs the mid. Output: y = x + (mixPct/100)·wet: the dry signal
 * keeps its full level (a send-style mix), so mix 0 returns the input exactly. No latency.
 *
 * Live edits: mix and width glide over GLIDE_SECONDS, per sample. Decay, damping and low cut glide
 * over GLIDE_SECONDS in log, one step per tick of GLIDE_TICK_FRAMES frames of this processor's frame
 * counter (the loop and high-pass coefficients are recomputed per step: small steps, inside the
 * recursion, do not click). A new pre-delay crossfades from the old read position to the new one
 * over GLIDE_SECONDS (no pitch glide, as moving the read position smoothly would give).
 */
export class Reverb implements ChainProcessor<ReverbParams> {
  readonly latencyFrames = 0;
  private params: ReverbParams = { ...DEFAULT_REVERB_PARAMS };
  private sampleRate = 0;
  private channels = 0;
  private maxFrames = 0;
  private readonly mix = new ParamRamp(0);
  private readonly width = new ParamRamp(1);
  private mixArr = new Float64Array(0);
  private widthArr = new Float64Array(0);
  // Pre-delay: one ring per channel (power-of-two length).
  private pre: Float64Array[] = [];
  private preMask = 0;
  private prePos = 0;
  private preDelay = 0;
  /** The pre-delay a change crossfades to, and the crossfade. */
  private preDelayNext = 0;
  private readonly preFade = new ParamRamp(0);
  private preFading = false;
  private readonly preFadeArr = new Float64Array(GLIDE_TICK_FRAMES);
  /** ln of decayS, dampingHz, lowCutHz as they glide. */
  private readonly decay = new ParamRamp(0);
  private readonly damping = new ParamRamp(0);
  private readonly lowCut = new ParamRamp(0);
  private readonly clock = new GlideClock(this.tick.bind(this), this.render.bind(this));
  // High-pass (TDF-II) coefficients and [s1, s2] per channel.
  private hb0 = 1;
  private hb1 = 0;
  private hb2 = 0;
  private ha1 = 0;
  private ha2 = 0;
  private hpState = new Float64Array(4);
  // Diffusers: DIFFUSER_MS.length rings per channel, one shared power-of-two length.
  private diff: Float64Array[] = [];
  private diffLen = new Int32Array(0);
  private diffMask = 0;
  private diffPos = 0;
  // FDN: one buffer, line i at [i·lineSize, (i+1)·lineSize).
  private lines = new Float64Array(0);
  private lineSize = 0;
  private lineMask = 0;
  private linePos = 0;
  private lineLen = new Int32Array(LINES);
  private loopK = new Float64Array(LINES);
  private loopB = new Float64Array(LINES);
  private lp = new Float64Array(LINES);

  constructor(params: ReverbParams = DEFAULT_REVERB_PARAMS) {
    this.setParams(params);
  }

  /** Loop delays in samples at the prepared rate (primes). */
  get lineLengths(): readonly number[] {
    return Array.from(this.lineLen);
  }

  setParams(p: ReverbParams): void {
    assertInRange(p.mixPct, 0, 30, "mixPct");
    assertInRange(p.decayS, 0.2, 4, "decayS");
    assertInRange(p.preDelayMs, 0, MAX_PRE_DELAY_MS, "preDelayMs");
    assertInRange(p.dampingHz, 1000, 20_000, "dampingHz");
    assertInRange(p.widthPct, 0, 100, "widthPct");
    assertInRange(p.lowCutHz, 20, 1000, "lowCutHz");
    this.params = p;
    const immediate = this.channels === 0;
    this.mix.setTarget((p.mixPct / 100) * WET_NORM, immediate);
    this.width.setTarget(p.widthPct / 100, immediate);
    this.decay.setTarget(Math.log(p.decayS), immediate);
    this.damping.setTarget(Math.log(p.dampingHz), immediate);
    this.lowCut.setTarget(Math.log(p.lowCutHz), immediate);
    this.clock.active = !immediate;
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    if (spec.channels > 2) throw new DspError("INVALID_ARGUMENT", `Reverb takes 1 or 2 channels, got ${spec.channels}`);
    const fs = spec.sampleRate;
    this.sampleRate = fs;
    this.channels = spec.channels;
    this.maxFrames = spec.maxBlockFrames;
    this.mixArr = new Float64Array(spec.maxBlockFrames);
    this.widthArr = new Float64Array(spec.maxBlockFrames);
    for (const r of [this.mix, this.width]) r.setRampFrames(GLIDE_SECONDS * fs);
    const ticks = glideTicks(fs);
    for (const r of [this.decay, this.damping, this.lowCut]) r.setRampFrames(ticks);
    this.preFade.setRampFrames(ticks * GLIDE_TICK_FRAMES);
    const preSize = pow2AtLeast(Math.ceil((MAX_PRE_DELAY_MS / 1000) * fs) + 1);
    this.pre = [new Float64Array(preSize), new Float64Array(preSize)];
    this.preMask = preSize - 1;
    this.diffLen = Int32Array.from(DIFFUSER_MS, (ms) => nextPrime((ms / 1000) * fs));
    const diffSize = pow2AtLeast(Math.max(...this.diffLen) + 1);
    this.diffMask = diffSize - 1;
    this.diff = Array.from({ length: 2 * DIFFUSER_MS.length }, () => new Float64Array(diffSize));
    this.lineLen = Int32Array.from(LINE_MS, (ms) => nextPrime((ms / 1000) * fs));
    this.lineSize = pow2AtLeast(Math.max(...this.lineLen) + 1);
    this.lineMask = this.lineSize - 1;
    this.lines = new Float64Array(LINES * this.lineSize);
    this.reset();
  }

  private preDelayFrames(): number {
    return Math.round((this.params.preDelayMs / 1000) * this.sampleRate);
  }

  /** High-pass and loop filters at the current (gliding, or exact settled) decay, damping and low cut. */
  private updateCoefficients(): void {
    const fs = this.sampleRate;
    const p = this.params;
    const decayS = this.decay.moving ? Math.exp(this.decay.current) : p.decayS;
    const dampingHz = this.damping.moving ? Math.exp(this.damping.current) : p.dampingHz;
    const lowCutHz = this.lowCut.moving ? Math.exp(this.lowCut.current) : p.lowCutHz;
    // RBJ Audio EQ Cookbook high-pass, Q = 1/√2 (Butterworth).
    const w = (2 * Math.PI * Math.min(lowCutHz, 0.45 * fs)) / fs;
    const cw = Math.cos(w);
    const alpha = Math.sin(w) / Math.SQRT2;
    const a0 = 1 + alpha;
    this.hb0 = (1 + cw) / 2 / a0;
    this.hb1 = -(1 + cw) / a0;
    this.hb2 = this.hb0;
    this.ha1 = (-2 * cw) / a0;
    this.ha2 = (1 - alpha) / a0;
    const wd = (2 * Math.PI * Math.min(dampingHz, 0.45 * fs)) / fs;
    for (let i = 0; i < LINES; i++) {
      const g = 10 ** ((-3 * this.lineLen[i]!) / (fs * decayS));
      const b = onePoleForGain(g, wd);
      this.loopB[i] = b;
      this.loopK[i] = (1 - b) * g;
    }
  }

  /** One tick: decay, damping and low cut take a step; a pre-delay crossfade ends or starts. */
  private tick(): void {
    if (this.preFading && !this.preFade.moving) {
      this.preDelay = this.preDelayNext;
      this.preFading = false;
    }
    const target = this.preDelayFrames();
    if (!this.preFading && target !== this.preDelay) {
      this.preDelayNext = target;
      this.preFade.snap(0);
      this.preFade.setTarget(1);
      this.preFading = true;
    }
    const moved = this.decay.moving || this.damping.moving || this.lowCut.moving;
    if (moved) {
      this.decay.next();
      this.damping.next();
      this.lowCut.next();
      this.updateCoefficients();
    }
    this.clock.active = this.preFading || this.decay.moving || this.damping.moving || this.lowCut.moving;
  }

  reset(): void {
    if (this.sampleRate > 0) {
      // Every parameter at its target at once.
      for (const r of [this.decay, this.damping, this.lowCut]) r.snap();
      this.preDelay = this.preDelayFrames();
      this.preFading = false;
      this.preFade.snap(0);
      this.updateCoefficients();
      this.clock.reset();
    }
    for (const b of this.pre) b.fill(0);
    for (const b of this.diff) b.fill(0);
    this.lines.fill(0);
    this.lp.fill(0);
    this.hpState.fill(0);
    this.prePos = 0;
    this.diffPos = 0;
    this.linePos = 0;
    this.mix.snap();
    this.width.snap();
  }

  process(block: readonly SampleBuffer[], frames: number): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "Reverb.process called before prepare");
    assertBlock(block, frames, this.channels);
    if (frames > this.maxFrames) {
      throw new DspError("INVALID_ARGUMENT", `frames=${frames} exceeds maxBlockFrames=${this.maxFrames}`);
    }
    this.clock.process(block, frames, this.maxFrames);
  }

  /** Frames [off, off + frames) of the block. */
  private render(block: readonly SampleBuffer[], off: number, frames: number): void {
    this.mix.fill(this.mixArr, frames);
    this.width.fill(this.widthArr, frames);
    const xl = block[0]!;
    const xr = this.channels === 2 ? block[1]! : block[0]!;
    const stereo = this.channels === 2;
    const mixArr = this.mixArr;
    const widthArr = this.widthArr;
    const preL = this.pre[0]!;
    const preR = this.pre[1]!;
    const preMask = this.preMask;
    const preDelay = this.preDelay;
    const preDelayNext = this.preDelayNext;
    const preFading = this.preFading;
    const preW = this.preFadeArr;
    if (preFading) this.preFade.fill(preW, frames);
    let prePos = this.prePos;
    const hs = this.hpState;
    const { hb0, hb1, hb2, ha1, ha2 } = this;
    let hl1 = hs[0]!;
    let hl2 = hs[1]!;
    let hr1 = hs[2]!;
    let hr2 = hs[3]!;
    // Three diffusers per channel (DIFFUSER_MS), unrolled.
    const diff = this.diff;
    const dfL0 = diff[0]!;
    const dfL1 = diff[1]!;
    const dfL2 = diff[2]!;
    const dfR0 = diff[3]!;
    const dfR1 = diff[4]!;
    const dfR2 = diff[5]!;
    const dLen0 = this.diffLen[0]!;
    const dLen1 = this.diffLen[1]!;
    const dLen2 = this.diffLen[2]!;
    const diffMask = this.diffMask;
    let diffPos = this.diffPos;
    const lines = this.lines;
    const size = this.lineSize;
    const mask = this.lineMask;
    const size2 = 2 * size;
    const size3 = 3 * size;
    const size4 = 4 * size;
    const size5 = 5 * size;
    const size6 = 6 * size;
    const size7 = 7 * size;
    const len = this.lineLen;
    const [n0, n1, n2, n3, n4, n5, n6, n7] = [len[0]!, len[1]!, len[2]!, len[3]!, len[4]!, len[5]!, len[6]!, len[7]!];
    const k = this.loopK;
    const [k0, k1, k2, k3, k4, k5, k6, k7] = [k[0]!, k[1]!, k[2]!, k[3]!, k[4]!, k[5]!, k[6]!, k[7]!];
    const b = this.loopB;
    const [b0, b1, b2, b3, b4, b5, b6, b7] = [b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!];
    const lp = this.lp;
    let [lp0, lp1, lp2, lp3, lp4, lp5, lp6, lp7] = [lp[0]!, lp[1]!, lp[2]!, lp[3]!, lp[4]!, lp[5]!, lp[6]!, lp[7]!];
    let pos = this.linePos;
    const s = 1 / Math.sqrt(LINES);
    for (let n = 0; n < frames; n++) {
      const inL = xl[off + n]!;
      const inR = xr[off + n]!;
      // Pre-delay.
      preL[prePos] = inL;
      preR[prePos] = inR;
      let l = preL[(prePos - preDelay) & preMask]!;
      let r = preR[(prePos - preDelay) & preMask]!;
      if (preFading) {
        const w = preW[n]!;
        l = (1 - w) * l + w * preL[(prePos - preDelayNext) & preMask]!;
        r = (1 - w) * r + w * preR[(prePos - preDelayNext) & preMask]!;
      }
      prePos = (prePos + 1) & preMask;
      // High-pass, transposed direct form II.
      let y = hb0 * l + hl1;
      hl1 = flush(hb1 * l - ha1 * y + hl2);
      hl2 = flush(hb2 * l - ha2 * y);
      l = y;
      y = hb0 * r + hr1;
      hr1 = flush(hb1 * r - ha1 * y + hr2);
      hr2 = flush(hb2 * r - ha2 * y);
      r = y;
      // Diffusers: v = x + g·v[n−D], y = v[n−D] − g·v (Schroeder all-pass).
      {
        const at = (diffPos - dLen0) & diffMask;
        const dl = dfL0[at]!;
        const dr = dfR0[at]!;
        const vl = flush(l + DIFFUSER_GAIN * dl);
        const vr = flush(r + DIFFUSER_GAIN * dr);
        dfL0[diffPos] = vl;
        dfR0[diffPos] = vr;
        l = dl - DIFFUSER_GAIN * vl;
        r = dr - DIFFUSER_GAIN * vr;
      }
      {
        const at = (diffPos - dLen1) & diffMask;
        const dl = dfL1[at]!;
        const dr = dfR1[at]!;
        const vl = flush(l + DIFFUSER_GAIN * dl);
        const vr = flush(r + DIFFUSER_GAIN * dr);
        dfL1[diffPos] = vl;
        dfR1[diffPos] = vr;
        l = dl - DIFFUSER_GAIN * vl;
        r = dr - DIFFUSER_GAIN * vr;
      }
      {
        const at = (diffPos - dLen2) & diffMask;
        const dl = dfL2[at]!;
        const dr = dfR2[at]!;
        const vl = flush(l + DIFFUSER_GAIN * dl);
        const vr = flush(r + DIFFUSER_GAIN * dr);
        dfL2[diffPos] = vl;
        dfR2[diffPos] = vr;
        l = dl - DIFFUSER_GAIN * vl;
        r = dr - DIFFUSER_GAIN * vr;
      }
      diffPos = (diffPos + 1) & diffMask;
      // FDN: read the line outputs, loop filter, Hadamard, write back with the input.
      const o0 = lines[(pos - n0) & mask]!;
      const o1 = lines[size + ((pos - n1) & mask)]!;
      const o2 = lines[size2 + ((pos - n2) & mask)]!;
      const o3 = lines[size3 + ((pos - n3) & mask)]!;
      const o4 = lines[size4 + ((pos - n4) & mask)]!;
      const o5 = lines[size5 + ((pos - n5) & mask)]!;
      const o6 = lines[size6 + ((pos - n6) & mask)]!;
      const o7 = lines[size7 + ((pos - n7) & mask)]!;
      const f0 = (lp0 = flush(b0 * lp0 + k0 * o0));
      const f1 = (lp1 = flush(b1 * lp1 + k1 * o1));
      const f2 = (lp2 = flush(b2 * lp2 + k2 * o2));
      const f3 = (lp3 = flush(b3 * lp3 + k3 * o3));
      const f4 = (lp4 = flush(b4 * lp4 + k4 * o4));
      const f5 = (lp5 = flush(b5 * lp5 + k5 * o5));
      const f6 = (lp6 = flush(b6 * lp6 + k6 * o6));
      const f7 = (lp7 = flush(b7 * lp7 + k7 * o7));
      // Fast Walsh-Hadamard transform (Sylvester order), scaled by 1/√8.
      const a0 = f0 + f1;
      const a1 = f0 - f1;
      const a2 = f2 + f3;
      const a3 = f2 - f3;
      const a4 = f4 + f5;
      const a5 = f4 - f5;
      const a6 = f6 + f7;
      const a7 = f6 - f7;
      const c0 = a0 + a2;
      const c1 = a1 + a3;
      const c2 = a0 - a2;
      const c3 = a1 - a3;
      const c4 = a4 + a6;
      const c5 = a5 + a7;
      const c6 = a4 - a6;
      const c7 = a5 - a7;
      lines[pos] = (c0 + c4) * s + l;
      lines[size + pos] = (c1 + c5) * s + r;
      lines[size2 + pos] = (c2 + c6) * s + l;
      lines[size3 + pos] = (c3 + c7) * s + r;
      lines[size4 + pos] = (c0 - c4) * s + l;
      lines[size5 + pos] = (c1 - c5) * s + r;
      lines[size6 + pos] = (c2 - c6) * s + l;
      lines[size7 + pos] = (c3 - c7) * s + r;
      pos = (pos + 1) & mask;
      // Output signs: L = o0 − o2 + o4 − o6, R = o1 + o3 − o5 − o7.
      const wetL = o0 - o2 + o4 - o6;
      const wetR = o1 + o3 - o5 - o7;
      const m = mixArr[n]!;
      const mid = 0.5 * (wetL + wetR);
      if (stereo) {
        const side = 0.5 * (wetL - wetR) * widthArr[n]!;
        xl[off + n] = inL + m * (mid + side);
        xr[off + n] = inR + m * (mid - side);
      } else {
        xl[off + n] = inL + m * mid;
      }
    }
    this.prePos = prePos;
    hs[0] = hl1;
    hs[1] = hl2;
    hs[2] = hr1;
    hs[3] = hr2;
    this.diffPos = diffPos;
    this.linePos = pos;
    lp[0] = lp0;
    lp[1] = lp1;
    lp[2] = lp2;
    lp[3] = lp3;
    lp[4] = lp4;
    lp[5] = lp5;
    lp[6] = lp6;
    lp[7] = lp7;
  }
}
