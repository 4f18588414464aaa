import { DspError } from "./errors";
import { energyToLoudness, integratedLoudness, loudnessRange } from "./gating";
import { kShelf, rlbHighPass } from "./kWeighting";
import { assertBlock, assertSpec, type Processor, type ProcessSpec, type SampleBuffer } from "./processor";
import { hz } from "./units";

export interface LoudnessMeterOptions {
  /**
   * G_i of ITU-R BS.1770-4 eq. 2, one per channel. Default 1.0 for every channel; pass 1.41 for the
   * surround channels of a 5-channel layout (Table 3) and 0 to leave out an LFE channel.
   */
  readonly channelWeights?: readonly number[];
}

/** Sub-blocks (100 ms) per momentary window (400 ms) and per short-term window (3 s). */
const MOMENTARY_SUBS = 4;
const SHORT_TERM_SUBS = 30;
const SUBS_PER_SECOND = 10;
/** Filter states smaller than this are flushed to 0 at sub-block ends: it keeps denormals (100× slower
 * arithmetic) out of silent passages. At −400 dB it cannot change any figure. */
const DENORMAL_FLUSH = 1e-20;

/**
 * Streaming loudness meter, ITU-R BS.1770-4 and EBU R128 / Tech 3341 / Tech 3342.
 *
 * Each channel is K-weighted (kWeighting.ts) and its square summed over 100 ms sub-blocks whose
 * boundaries are round(k·fs/10), so rates like 11025 Hz give exact 400 ms blocks on average. Only the
 * channel-weighted sub-block sums are kept (10 numbers a second); every figure is derived from them:
 * momentary = 4 sub-blocks, short-term = 30, gating blocks = the momentary windows (400 ms, 75 %
 * overlap), loudness range = the short-term windows every 100 ms. Only complete sub-blocks count.
 */
export class LoudnessMeter implements Processor {
  private readonly requestedWeights: readonly number[] | undefined;
  private sampleRate = 0;
  private channels = 0;
  private weights = new Float64Array(0);
  private shelf = kShelf(hz(48_000));
  private highPass = rlbHighPass(hz(48_000));
  /** Per channel: shelf s1, s2, high-pass s1, s2 (transposed direct form II). */
  private state = new Float64Array(0);
  /** Per channel: Σ y² of the current sub-block. */
  private acc = new Float64Array(0);
  private subPos = 0;
  private subLen = 0;
  /** Σ_i G_i·Σ y_i² of each completed sub-block. */
  private energies = new Float64Array(0);
  private subCount = 0;

  constructor(options: LoudnessMeterOptions = {}) {
    this.requestedWeights = options.channelWeights;
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    const w = this.requestedWeights ?? new Array<number>(spec.channels).fill(1);
    if (w.length !== spec.channels || !w.every((g) => Number.isFinite(g) && g >= 0)) {
      throw new DspError(
        "INVALID_ARGUMENT",
        `channelWeights must hold ${spec.channels} finite non-negative numbers, got [${w.join(", ")}]`,
      );
    }
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.weights = Float64Array.from(w);
    this.shelf = kShelf(hz(spec.sampleRate));
    this.highPass = rlbHighPass(hz(spec.sampleRate));
    this.state = new Float64Array(4 * spec.channels);
    this.acc = new Float64Array(spec.channels);
    this.energies = new Float64Array(600); // one minute; doubles as needed
    this.reset();
  }

  /** Sample index where sub-block k starts. */
  private boundary(k: number): number {
    return Math.round((k * this.sampleRate) / SUBS_PER_SECOND);
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "LoudnessMeter.process called before prepare");
    assertBlock(block, frames, this.channels);
    let off = 0;
    while (off < frames) {
      const n = Math.min(frames - off, this.subLen - this.subPos);
      if (this.channels === 2) this.runStereo(block[0]!, block[1]!, off, n);
      else for (let ch = 0; ch < this.channels; ch++) this.run(ch, block[ch]!, off, n);
      off += n;
      this.subPos += n;
      if (this.subPos === this.subLen) this.closeSubBlock();
    }
  }

  /**
   * K-weights x[off … off+n) of channel `ch` (two biquads, BS.1770-4 Fig. 1) and sums y². Each
   * biquad is transposed direct form II; `b1·x + s2` is formed before `− a1·y` so that only one
   * multiply and two adds sit on the recursion's critical path.
   */
  private run(ch: number, x: SampleBuffer, off: number, n: number): void {
    const { b0, b1, b2, a1, a2 } = this.shelf;
    const { b0: c0, b1: c1, b2: c2, a1: d1, a2: d2 } = this.highPass;
    const st = this.state;
    const k = 4 * ch;
    let s1 = st[k]!;
    let s2 = st[k + 1]!;
    let t1 = st[k + 2]!;
    let t2 = st[k + 3]!;
    let acc = this.acc[ch]!;
    for (let i = off, end = off + n; i < end; i++) {
      const v = x[i]!;
      const y = b0 * v + s1;
      s1 = b1 * v + s2 - a1 * y;
      s2 = b2 * v - a2 * y;
      const z = c0 * y + t1;
      t1 = c1 * y + t2 - d1 * z;
      t2 = c2 * y - d2 * z;
      acc += z * z;
    }
    st[k] = s1;
    st[k + 1] = s2;
    st[k + 2] = t1;
    st[k + 3] = t2;
    this.acc[ch] = acc;
  }

  /**
   * `run` for channels 0 and 1 in one loop: the same arithmetic in the same order per channel (so the
   * same result), but two independent recursions per iteration keep the floating-point pipeline busy.
   */
  private runStereo(xl: SampleBuffer, xr: SampleBuffer, off: number, n: number): void {
    const { b0, b1, b2, a1, a2 } = this.shelf;
    const { b0: c0, b1: c1, b2: c2, a1: d1, a2: d2 } = this.highPass;
    const st = this.state;
    let ls1 = st[0]!;
    let ls2 = st[1]!;
    let lt1 = st[2]!;
    let lt2 = st[3]!;
    let rs1 = st[4]!;
    let rs2 = st[5]!;
    let rt1 = st[6]!;
    let rt2 = st[7]!;
    let accL = this.acc[0]!;
    let accR = this.acc[1]!;
    for (let i = off, end = off + n; i < end; i++) {
      const vl = xl[i]!;
      const vr = xr[i]!;
      const yl = b0 * vl + ls1;
      const yr = b0 * vr + rs1;
      ls1 = b1 * vl + ls2 - a1 * yl;
      rs1 = b1 * vr + rs2 - a1 * yr;
      ls2 = b2 * vl - a2 * yl;
      rs2 = b2 * vr - a2 * yr;
      const zl = c0 * yl + lt1;
      const zr = c0 * yr + rt1;
      lt1 = c1 * yl + lt2 - d1 * zl;
      rt1 = c1 * yr + rt2 - d1 * zr;
      lt2 = c2 * yl - d2 * zl;
      rt2 = c2 * yr - d2 * zr;
      accL += zl * zl;
      accR += zr * zr;
    }
    st[0] = ls1;
    st[1] = ls2;
    st[2] = lt1;
    st[3] = lt2;
    st[4] = rs1;
    st[5] = rs2;
    st[6] = rt1;
    st[7] = rt2;
    this.acc[0] = accL;
    this.acc[1] = accR;
  }

  private closeSubBlock(): void {
    let e = 0;
    for (let ch = 0; ch < this.channels; ch++) e += this.weights[ch]! * this.acc[ch]!;
    if (this.subCount === this.energies.length) {
      const grown = new Float64Array(2 * this.energies.length);
      grown.set(this.energies);
      this.energies = grown;
    }
    this.energies[this.subCount++] = e;
    this.acc.fill(0);
    const st = this.state;
    for (let i = 0; i < st.length; i++) if (Math.abs(st[i]!) < DENORMAL_FLUSH) st[i] = 0;
    this.subPos = 0;
    this.subLen = this.boundary(this.subCount + 1) - this.boundary(this.subCount);
  }

  /** Completed 100 ms sub-blocks so far. */
  get subBlocks(): number {
    return this.subCount;
  }

  /** Energy (weighted mean square) of the window of `subs` sub-blocks starting at sub-block `j`. */
  private windowEnergy(j: number, subs: number): number {
    let sum = 0;
    for (let k = j; k < j + subs; k++) sum += this.energies[k]!;
    return sum / (this.boundary(j + subs) - this.boundary(j));
  }

  /** Energies of every complete window of `subs` sub-blocks, one per 100 ms step. */
  private windowEnergies(subs: number): Float64Array {
    const out = new Float64Array(Math.max(0, this.subCount - subs + 1));
    for (let j = 0; j < out.length; j++) out[j] = this.windowEnergy(j, subs);
    return out;
  }

  private static loudnessOrNull(z: number): number | null {
    return z > 0 ? energyToLoudness(z) : null;
  }

  /** Loudness of the latest complete 400 ms (momentary, LUFS), `null` before 400 ms or in silence. */
  momentary(): number | null {
    if (this.subCount < MOMENTARY_SUBS) return null;
    return LoudnessMeter.loudnessOrNull(this.windowEnergy(this.subCount - MOMENTARY_SUBS, MOMENTARY_SUBS));
  }

  /** Loudness of the latest complete 3 s (short-term, LUFS), `null` before 3 s or in silence. */
  shortTerm(): number | null {
    if (this.subCount < SHORT_TERM_SUBS) return null;
    return LoudnessMeter.loudnessOrNull(this.windowEnergy(this.subCount - SHORT_TERM_SUBS, SHORT_TERM_SUBS));
  }

  /** Largest momentary loudness over the programme. */
  momentaryMax(): number | null {
    return LoudnessMeter.loudnessOrNull(maxOf(this.windowEnergies(MOMENTARY_SUBS)));
  }

  /** Largest short-term loudness over the programme. */
  shortTermMax(): number | null {
    return LoudnessMeter.loudnessOrNull(maxOf(this.windowEnergies(SHORT_TERM_SUBS)));
  }

  /** Short-term loudness every 100 ms (the window ending at sub-block 30, 31, …); −Infinity = silence. */
  shortTermSeries(): Float64Array {
    return this.windowEnergies(SHORT_TERM_SUBS).map(energyToLoudness);
  }

  /** Integrated loudness (BS.1770-4 §2.8, gated), LUFS. */
  integrated(): number | null {
    return integratedLoudness(this.windowEnergies(MOMENTARY_SUBS));
  }

  /** Loudness range (EBU Tech 3342), LU. */
  loudnessRange(): number | null {
    return loudnessRange(this.windowEnergies(SHORT_TERM_SUBS));
  }

  /**
   * One short-term value per whole second, for a timeline: entry i is the loudness of the 3 s ending
   * at (i + 1) s (of what there is, during the first 3 s). `null` where that is below the −70 LUFS
   * absolute gate: silence, as far as BS.1770 is concerned.
   */
  timeline(): (number | null)[] {
    const seconds = Math.floor(this.subCount / SUBS_PER_SECOND);
    const out: (number | null)[] = [];
    for (let i = 1; i <= seconds; i++) {
      const end = i * SUBS_PER_SECOND;
      const subs = Math.min(SHORT_TERM_SUBS, end);
      const l = energyToLoudness(this.windowEnergy(end - subs, subs));
      out.push(l > -70 ? l : null);
    }
    return out;
  }

  reset(): void {
    this.state.fill(0);
    this.acc.fill(0);
    this.subCount = 0;
    this.subPos = 0;
    this.subLen = this.channels === 0 ? 0 : this.boundary(1);
  }
}

function maxOf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}
