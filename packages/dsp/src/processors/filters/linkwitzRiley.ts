import type { BiquadCoefs } from "../../biquad";
import { assertInRange, assertInteger, DspError } from "../../errors";
import { GLIDE_TICK_FRAMES } from "../paramRamp";
import { designButterworth, MAX_BILINEAR_RATIO } from "./butterworth";
import { loadCoefs, runSection, runSectionGliding, SECTION_COEFS } from "./section";

/*
 * 4th-order Linkwitz–Riley crossovers (LR4) and a phase-compensated band splitter.
 *
 * LR4 = two identical 2nd-order Butterworth sections (Q = 1/√2) in cascade. With the analogue
 * Butterworth denominator D(s) = s² + √2·ωc·s + ωc² and its mirror D̃(s) = s² − √2·ωc·s + ωc²:
 *   LP4 = ωc⁴ / D²,  HP4 = s⁴ / D²,  LP4 + HP4 = (s⁴ + ωc⁴) / D² = D·D̃ / D² = D̃ / D,
 * a 2nd-order allpass: both halves are −6.02 dB at fc and their sum is flat. The bilinear transform
 * maps the identity to the digital filters exactly, where D̃ becomes the mirrored denominator, so the
 * digital allpass is [b0, b1, b2] = [a2, a1, 1] (see `linkwitzRileyAllpass`).
 *
 * MultibandSplitter, N bands, crossovers f1 … f(N−1):
 *   band 1 = LP(f1)·x,  band 2 = LP(f2)·HP(f1)·x, …, band N = HP(f(N−1))···HP(f1)·x,
 * then each band b < N−1 passes through the allpasses AP(fk) of the crossovers k > b above it, so
 * Σ bands = AP(f1)·AP(f2)···AP(f(N−1))·x: magnitude exactly flat, phase that of the allpass chain.
 * (Sum band N−1 and N: HP…·(LP+HP)(f(N−1)) = HP…·AP(f(N−1)), and so on down.)
 *
 * Two APIs with bit-identical results (the same operations in the same order):
 * - `process(channel, input, frames, bands)`: a block into preallocated Float64Array band buffers
 *   (fastest: one tight loop per crossover, state in locals). `bands[N−1]` doubles as the carrier of
 *   the high-passed remainder, so no scratch is needed.
 * - `processSample(channel, x, out)`: one sample into `out[0…N)`.
 * State is Float64, per channel (up to `channels`, default 2). Nothing allocates after construction.
 *
 * Live edits: `glideTo` (on a tick of the owner's frame counter) moves every coefficient linearly to
 * the design of new crossovers over the next GLIDE_TICK_FRAMES samples; `process` then steps them
 * per sample without writing them back (every channel sees the same values), `endRun` takes the
 * steps once after all channels, and `land` (on the next tick) sets the target exactly.
 */

/** One of the two identical sections of an LR4 low-pass at `fc`. Pure. */
export function linkwitzRileyLowpass(sampleRate: number, fc: number): BiquadCoefs {
  const c = new Float64Array(SECTION_COEFS);
  designButterworth(c, 0, "lowpass", sampleRate, fc);
  return loadCoefs(c, 0);
}

/** One of the two identical sections of an LR4 high-pass at `fc`. Pure. */
export function linkwitzRileyHighpass(sampleRate: number, fc: number): BiquadCoefs {
  const c = new Float64Array(SECTION_COEFS);
  designButterworth(c, 0, "highpass", sampleRate, fc);
  return loadCoefs(c, 0);
}

/** Writes the allpass LP4 + HP4 at `fc` into `out[offset…]` (no allocation). */
export function designLinkwitzRileyAllpass(out: Float64Array, offset: number, sampleRate: number, fc: number): void {
  designButterworth(out, offset, "lowpass", sampleRate, fc);
  const a1 = out[offset + 3]!;
  const a2 = out[offset + 4]!;
  out[offset] = a2;
  out[offset + 1] = a1;
  out[offset + 2] = 1;
}

/** The 2nd-order allpass LP4 + HP4 of the LR4 crossover at `fc`. Pure. */
export function linkwitzRileyAllpass(sampleRate: number, fc: number): BiquadCoefs {
  const c = new Float64Array(SECTION_COEFS);
  designLinkwitzRileyAllpass(c, 0, sampleRate, fc);
  return loadCoefs(c, 0);
}

/** Per crossover: LP section, HP section, allpass section. */
const CROSSOVER_COEFS = 3 * SECTION_COEFS;
/** Per crossover and channel: 2 LP sections + 2 HP sections, 2 state values each. */
const CROSSOVER_STATE = 8;

export class MultibandSplitter {
  readonly maxBands: number;
  readonly channels: number;
  private bandCount = 1;
  private readonly coefs: Float64Array;
  private readonly next: Float64Array;
  private readonly delta: Float64Array;
  private gliding = false;
  /** Per channel: CROSSOVER_STATE per crossover, then 2 per compensation allpass. */
  private readonly state: Float64Array;
  private readonly stride: number;

  constructor(maxBands = 4, channels = 2) {
    assertInteger(maxBands, 1, 16, "maxBands");
    assertInteger(channels, 1, 64, "channels");
    this.maxBands = maxBands;
    this.channels = channels;
    const crossovers = maxBands - 1;
    this.coefs = new Float64Array(Math.max(1, crossovers * CROSSOVER_COEFS));
    this.next = new Float64Array(this.coefs.length);
    this.delta = new Float64Array(this.coefs.length);
    this.stride = crossovers * CROSSOVER_STATE + 2 * allpassCount(maxBands);
    this.state = new Float64Array(Math.max(1, this.stride * channels));
  }

  /** Number of bands of the current configuration (crossovers + 1). */
  get bands(): number {
    return this.bandCount;
  }

  /**
   * Sets the crossovers (Hz, normally increasing; any order still sums flat). Frequencies above
   * 0.49·fs are clamped there. Keeps the filter state unless the band count changes (then resets).
   * Allocates nothing.
   */
  configure(sampleRate: number, crossoversHz: readonly number[]): void {
    const n = crossoversHz.length + 1;
    if (n > this.maxBands) {
      throw new DspError("INVALID_ARGUMENT", `${n} bands requested, splitter built for at most ${this.maxBands}`);
    }
    this.design(this.coefs, sampleRate, crossoversHz);
    this.gliding = false;
    if (n !== this.bandCount) {
      this.bandCount = n;
      this.reset();
    }
  }

  /** Glides to the crossovers `crossoversHz` (as many as now) over the next GLIDE_TICK_FRAMES samples. */
  glideTo(sampleRate: number, crossoversHz: readonly number[]): void {
    if (crossoversHz.length + 1 !== this.bandCount) {
      throw new DspError("INVALID_ARGUMENT", `a glide keeps the band count (${this.bandCount})`);
    }
    this.land();
    this.design(this.next, sampleRate, crossoversHz);
    const c = this.coefs;
    const t = this.next;
    for (let i = 0; i < (this.bandCount - 1) * CROSSOVER_COEFS; i++)
      this.delta[i] = (t[i]! - c[i]!) / GLIDE_TICK_FRAMES;
    this.gliding = true;
  }

  /** A glide is under way (its owner must call `land` on the next tick). */
  get isGliding(): boolean {
    return this.gliding;
  }

  /** Ends a glide exactly on its target (on the tick after `glideTo`). */
  land(): void {
    if (!this.gliding) return;
    this.coefs.set(this.next);
    this.gliding = false;
  }

  /** After every channel of a run of `frames` frames: the glide's coefficient steps. */
  endRun(frames: number): void {
    if (!this.gliding) return;
    const c = this.coefs;
    const d = this.delta;
    for (let i = 0; i < (this.bandCount - 1) * CROSSOVER_COEFS; i++) {
      let v = c[i]!;
      const step = d[i]!;
      for (let j = 0; j < frames; j++) v += step;
      c[i] = v;
    }
  }

  private design(out: Float64Array, sampleRate: number, crossoversHz: readonly number[]): void {
    assertInRange(sampleRate, 1, 10_000_000, "sampleRate");
    for (let k = 0; k < crossoversHz.length; k++) {
      const fc = Math.min(crossoversHz[k]!, MAX_BILINEAR_RATIO * sampleRate);
      assertInRange(fc, 1e-3, sampleRate, `crossoversHz[${k}]`);
      const o = k * CROSSOVER_COEFS;
      designButterworth(out, o, "lowpass", sampleRate, fc);
      designButterworth(out, o + SECTION_COEFS, "highpass", sampleRate, fc);
      designLinkwitzRileyAllpass(out, o + 2 * SECTION_COEFS, sampleRate, fc);
    }
  }

  reset(): void {
    this.state.fill(0);
  }

  /**
   * Splits `input[0…frames)` of `channel` into `bands[0…N)` (each at least `frames` long; band 0 is
   * the lowest). `input` may be one of the band buffers only if it is `bands[N−1]`.
   */
  process(channel: number, input: ArrayLike<number>, frames: number, bands: readonly Float64Array[]): void {
    const n = this.bandCount;
    this.checkChannel(channel);
    if (bands.length < n) throw new DspError("INVALID_ARGUMENT", `need ${n} band buffers, got ${bands.length}`);
    const carrier = bands[n - 1]!;
    if (n === 1) {
      for (let i = 0; i < frames; i++) carrier[i] = input[i]!;
      return;
    }
    if (this.gliding) {
      this.processGliding(channel, input, frames, bands);
      return;
    }
    const c = this.coefs;
    const st = this.state;
    const base = channel * this.stride;
    for (let k = 0; k < n - 1; k++) {
      const src: ArrayLike<number> = k === 0 ? input : carrier;
      const low = bands[k]!;
      const o = k * CROSSOVER_COEFS;
      const lb0 = c[o]!;
      const lb1 = c[o + 1]!;
      const lb2 = c[o + 2]!;
      const la1 = c[o + 3]!;
      const la2 = c[o + 4]!;
      const hb0 = c[o + 5]!;
      const hb1 = c[o + 6]!;
      const hb2 = c[o + 7]!;
      const ha1 = c[o + 8]!;
      const ha2 = c[o + 9]!;
      const so = base + k * CROSSOVER_STATE;
      let l1 = st[so]!;
      let l2 = st[so + 1]!;
      let l3 = st[so + 2]!;
      let l4 = st[so + 3]!;
      let h1 = st[so + 4]!;
      let h2 = st[so + 5]!;
      let h3 = st[so + 6]!;
      let h4 = st[so + 7]!;
      for (let i = 0; i < frames; i++) {
        const x = src[i]!;
        const u = lb0 * x + l1;
        l1 = lb1 * x - la1 * u + l2;
        l2 = lb2 * x - la2 * u;
        const lo = lb0 * u + l3;
        l3 = lb1 * u - la1 * lo + l4;
        l4 = lb2 * u - la2 * lo;
        const v = hb0 * x + h1;
        h1 = hb1 * x - ha1 * v + h2;
        h2 = hb2 * x - ha2 * v;
        const hi = hb0 * v + h3;
        h3 = hb1 * v - ha1 * hi + h4;
        h4 = hb2 * v - ha2 * hi;
        low[i] = lo;
        carrier[i] = hi;
      }
      st[so] = l1;
      st[so + 1] = l2;
      st[so + 2] = l3;
      st[so + 3] = l4;
      st[so + 4] = h1;
      st[so + 5] = h2;
      st[so + 6] = h3;
      st[so + 7] = h4;
    }
    let ap = base + (this.maxBands - 1) * CROSSOVER_STATE;
    for (let b = 0; b < n - 2; b++) {
      for (let k = b + 1; k < n - 1; k++) {
        runSection(bands[b]!, frames, c, k * CROSSOVER_COEFS + 2 * SECTION_COEFS, st, ap);
        ap += 2;
      }
    }
  }

  /** `process` while the coefficients glide (the same arithmetic with per-sample coefficient steps). */
  private processGliding(
    channel: number,
    input: ArrayLike<number>,
    frames: number,
    bands: readonly Float64Array[],
  ): void {
    const n = this.bandCount;
    const carrier = bands[n - 1]!;
    const c = this.coefs;
    const d = this.delta;
    const st = this.state;
    const base = channel * this.stride;
    for (let k = 0; k < n - 1; k++) {
      const src: ArrayLike<number> = k === 0 ? input : carrier;
      const low = bands[k]!;
      const o = k * CROSSOVER_COEFS;
      let lb0 = c[o]!;
      let lb1 = c[o + 1]!;
      let lb2 = c[o + 2]!;
      let la1 = c[o + 3]!;
      let la2 = c[o + 4]!;
      let hb0 = c[o + 5]!;
      let hb1 = c[o + 6]!;
      let hb2 = c[o + 7]!;
      let ha1 = c[o + 8]!;
      let ha2 = c[o + 9]!;
      const so = base + k * CROSSOVER_STATE;
      let l1 = st[so]!;
      let l2 = st[so + 1]!;
      let l3 = st[so + 2]!;
      let l4 = st[so + 3]!;
      let h1 = st[so + 4]!;
      let h2 = st[so + 5]!;
      let h3 = st[so + 6]!;
      let h4 = st[so + 7]!;
      for (let i = 0; i < frames; i++) {
        const x = src[i]!;
        const u = lb0 * x + l1;
        l1 = lb1 * x - la1 * u + l2;
        l2 = lb2 * x - la2 * u;
        const lo = lb0 * u + l3;
        l3 = lb1 * u - la1 * lo + l4;
        l4 = lb2 * u - la2 * lo;
        const v = hb0 * x + h1;
        h1 = hb1 * x - ha1 * v + h2;
        h2 = hb2 * x - ha2 * v;
        const hi = hb0 * v + h3;
        h3 = hb1 * v - ha1 * hi + h4;
        h4 = hb2 * v - ha2 * hi;
        low[i] = lo;
        carrier[i] = hi;
        lb0 += d[o]!;
        lb1 += d[o + 1]!;
        lb2 += d[o + 2]!;
        la1 += d[o + 3]!;
        la2 += d[o + 4]!;
        hb0 += d[o + 5]!;
        hb1 += d[o + 6]!;
        hb2 += d[o + 7]!;
        ha1 += d[o + 8]!;
        ha2 += d[o + 9]!;
      }
      st[so] = l1;
      st[so + 1] = l2;
      st[so + 2] = l3;
      st[so + 3] = l4;
      st[so + 4] = h1;
      st[so + 5] = h2;
      st[so + 6] = h3;
      st[so + 7] = h4;
    }
    let ap = base + (this.maxBands - 1) * CROSSOVER_STATE;
    for (let b = 0; b < n - 2; b++) {
      for (let k = b + 1; k < n - 1; k++) {
        runSectionGliding(bands[b]!, frames, c, k * CROSSOVER_COEFS + 2 * SECTION_COEFS, d, st, ap);
        ap += 2;
      }
    }
  }

  /** Splits one sample of `channel` into `out[0…N)`; bit-identical to `process` (settled coefficients). */
  processSample(channel: number, x: number, out: Float64Array): void {
    const n = this.bandCount;
    const c = this.coefs;
    const st = this.state;
    const base = channel * this.stride;
    let r = x;
    for (let k = 0; k < n - 1; k++) {
      const o = k * CROSSOVER_COEFS;
      const so = base + k * CROSSOVER_STATE;
      const lb0 = c[o]!;
      const lb1 = c[o + 1]!;
      const lb2 = c[o + 2]!;
      const la1 = c[o + 3]!;
      const la2 = c[o + 4]!;
      const u = lb0 * r + st[so]!;
      st[so] = lb1 * r - la1 * u + st[so + 1]!;
      st[so + 1] = lb2 * r - la2 * u;
      const lo = lb0 * u + st[so + 2]!;
      st[so + 2] = lb1 * u - la1 * lo + st[so + 3]!;
      st[so + 3] = lb2 * u - la2 * lo;
      const hb0 = c[o + 5]!;
      const hb1 = c[o + 6]!;
      const hb2 = c[o + 7]!;
      const ha1 = c[o + 8]!;
      const ha2 = c[o + 9]!;
      const v = hb0 * r + st[so + 4]!;
      st[so + 4] = hb1 * r - ha1 * v + st[so + 5]!;
      st[so + 5] = hb2 * r - ha2 * v;
      const hi = hb0 * v + st[so + 6]!;
      st[so + 6] = hb1 * v - ha1 * hi + st[so + 7]!;
      st[so + 7] = hb2 * v - ha2 * hi;
      out[k] = lo;
      r = hi;
    }
    out[n - 1] = r;
    let ap = base + (this.maxBands - 1) * CROSSOVER_STATE;
    for (let b = 0; b < n - 2; b++) {
      let y = out[b]!;
      for (let k = b + 1; k < n - 1; k++) {
        const o = k * CROSSOVER_COEFS + 2 * SECTION_COEFS;
        const w = y;
        y = c[o]! * w + st[ap]!;
        st[ap] = c[o + 1]! * w - c[o + 3]! * y + st[ap + 1]!;
        st[ap + 1] = c[o + 2]! * w - c[o + 4]! * y;
        ap += 2;
      }
      out[b] = y;
    }
  }

  private checkChannel(channel: number): void {
    if (!(Number.isInteger(channel) && channel >= 0 && channel < this.channels)) {
      throw new DspError("INVALID_ARGUMENT", `channel must be an integer in [0, ${this.channels - 1}], got ${channel}`);
    }
  }
}

/** Compensation allpasses of an N-band splitter: Σ over bands b < N−1 of (N − 2 − b). */
function allpassCount(bands: number): number {
  return ((bands - 1) * (bands - 2)) / 2;
}
