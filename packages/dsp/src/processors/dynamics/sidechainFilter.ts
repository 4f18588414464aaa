import type { BiquadCoefs } from "../../biquad";

/*
 * Second-order sections for detector (side-chain) paths, from R. Bristow-Johnson's "Audio EQ
 * Cookbook" (the bilinear transform with frequency pre-warping), normalised so a0 = 1, in the sign
 * convention of ../../biquad (H(z) = (b0 + b1·z⁻¹ + b2·z⁻²)/(1 + a1·z⁻¹ + a2·z⁻²)).
 */

/** Q of a second-order Butterworth section. */
export const BUTTERWORTH_Q = Math.SQRT1_2;

/** RBJ high-pass: H(s) = s²/(s² + s/Q + 1). Pure. */
export function highpassCoefs(sampleRate: number, f0: number, q = BUTTERWORTH_Q): BiquadCoefs {
  const w = (2 * Math.PI * Math.min(f0, 0.49 * sampleRate)) / sampleRate;
  const c = Math.cos(w);
  const al = Math.sin(w) / (2 * q);
  const a0 = 1 + al;
  return { b0: (1 + c) / 2 / a0, b1: -(1 + c) / a0, b2: (1 + c) / 2 / a0, a1: (-2 * c) / a0, a2: (1 - al) / a0 };
}

/** Q values of the two sections of a 4th-order Butterworth filter: 1/(2·cos(π/8)), 1/(2·cos(3π/8)). */
export const BUTTERWORTH4_Q: readonly [number, number] = [
  1 / (2 * Math.cos(Math.PI / 8)),
  1 / (2 * Math.cos((3 * Math.PI) / 8)),
];

/** Subnormal guard: filter states below this are flushed to 0 (silence stays cheap). */
const FLUSH = 1e-25;

/**
 * A cascade of `sections` biquads with one transposed-direct-form-II state per section and channel
 * (double precision), for detector paths. Coefficients live in a Float64Array, so changing them
 * allocates nothing.
 */
export class BiquadCascade {
  /** b0, b1, b2, a1, a2 per section. */
  private readonly coefs: Float64Array;
  /** s1, s2 per section per channel. */
  private state = new Float64Array(0);
  private readonly sections: number;

  constructor(sections: number) {
    this.sections = sections;
    this.coefs = new Float64Array(5 * sections);
    for (let k = 0; k < sections; k++) this.coefs[5 * k] = 1; // identity until set
  }

  resize(channels: number): void {
    if (this.state.length !== 2 * this.sections * channels) this.state = new Float64Array(2 * this.sections * channels);
    this.reset();
  }

  setSection(k: number, c: BiquadCoefs): void {
    const o = 5 * k;
    this.coefs[o] = c.b0;
    this.coefs[o + 1] = c.b1;
    this.coefs[o + 2] = c.b2;
    this.coefs[o + 3] = c.a1;
    this.coefs[o + 4] = c.a2;
  }

  /**
   * Filters `src[offset … offset + frames)` of channel `ch` into `dst[0 … frames)`, section after
   * section (transposed direct form II, state in locals; per sample, so chunking does not matter).
   */
  filterBlock(ch: number, src: ArrayLike<number>, offset: number, frames: number, dst: Float64Array): void {
    const c = this.coefs;
    const st = this.state;
    for (let k = 0, o = 0, s = 2 * this.sections * ch; k < this.sections; k++, o += 5, s += 2) {
      const b0 = c[o]!;
      const b1 = c[o + 1]!;
      const b2 = c[o + 2]!;
      const a1 = c[o + 3]!;
      const a2 = c[o + 4]!;
      let s1 = st[s]!;
      let s2 = st[s + 1]!;
      const from: ArrayLike<number> = k === 0 ? src : dst;
      const at = k === 0 ? offset : 0;
      for (let i = 0; i < frames; i++) {
        const v = from[at + i]!;
        const y = b0 * v + s1;
        s1 = b1 * v - a1 * y + s2;
        s2 = b2 * v - a2 * y;
        if (Math.abs(s1) < FLUSH) s1 = 0;
        if (Math.abs(s2) < FLUSH) s2 = 0;
        dst[i] = y;
      }
      st[s] = s1;
      st[s + 1] = s2;
    }
  }

  /**
   * `filterBlock` of channels 0 and 1 (prepared for ≥ 2 channels) in one loop: for one or two
   * sections the four (or two) recursions are independent chains the CPU overlaps. Per sample the
   * same operations as `filterBlock`, so the result is bit for bit the same.
   */
  filterStereo(
    src0: ArrayLike<number>,
    src1: ArrayLike<number>,
    offset: number,
    frames: number,
    dst0: Float64Array,
    dst1: Float64Array,
  ): void {
    const ns = this.sections;
    if (ns !== 1 && ns !== 2) {
      this.filterBlock(0, src0, offset, frames, dst0);
      this.filterBlock(1, src1, offset, frames, dst1);
      return;
    }
    const c = this.coefs;
    const st = this.state;
    const b0 = c[0]!;
    const b1 = c[1]!;
    const b2 = c[2]!;
    const a1 = c[3]!;
    const a2 = c[4]!;
    const s = 2 * ns; // channel 1's state
    let l1 = st[0]!;
    let l2 = st[1]!;
    let r1 = st[s]!;
    let r2 = st[s + 1]!;
    if (ns === 1) {
      for (let i = 0; i < frames; i++) {
        const u = src0[offset + i]!;
        const v = src1[offset + i]!;
        const yl = b0 * u + l1;
        const yr = b0 * v + r1;
        l1 = b1 * u - a1 * yl + l2;
        r1 = b1 * v - a1 * yr + r2;
        l2 = b2 * u - a2 * yl;
        r2 = b2 * v - a2 * yr;
        if (Math.abs(l1) < FLUSH) l1 = 0;
        if (Math.abs(l2) < FLUSH) l2 = 0;
        if (Math.abs(r1) < FLUSH) r1 = 0;
        if (Math.abs(r2) < FLUSH) r2 = 0;
        dst0[i] = yl;
        dst1[i] = yr;
      }
    } else {
      const c0 = c[5]!;
      const c1 = c[6]!;
      const c2 = c[7]!;
      const d1 = c[8]!;
      const d2 = c[9]!;
      let m1 = st[2]!;
      let m2 = st[3]!;
      let q1 = st[s + 2]!;
      let q2 = st[s + 3]!;
      for (let i = 0; i < frames; i++) {
        const u = src0[offset + i]!;
        const v = src1[offset + i]!;
        const yl = b0 * u + l1;
        const yr = b0 * v + r1;
        l1 = b1 * u - a1 * yl + l2;
        r1 = b1 * v - a1 * yr + r2;
        l2 = b2 * u - a2 * yl;
        r2 = b2 * v - a2 * yr;
        if (Math.abs(l1) < FLUSH) l1 = 0;
        if (Math.abs(l2) < FLUSH) l2 = 0;
        if (Math.abs(r1) < FLUSH) r1 = 0;
        if (Math.abs(r2) < FLUSH) r2 = 0;
        const zl = c0 * yl + m1;
        const zr = c0 * yr + q1;
        m1 = c1 * yl - d1 * zl + m2;
        q1 = c1 * yr - d1 * zr + q2;
        m2 = c2 * yl - d2 * zl;
        q2 = c2 * yr - d2 * zr;
        if (Math.abs(m1) < FLUSH) m1 = 0;
        if (Math.abs(m2) < FLUSH) m2 = 0;
        if (Math.abs(q1) < FLUSH) q1 = 0;
        if (Math.abs(q2) < FLUSH) q2 = 0;
        dst0[i] = zl;
        dst1[i] = zr;
      }
      st[2] = m1;
      st[3] = m2;
      st[s + 2] = q1;
      st[s + 3] = q2;
    }
    st[0] = l1;
    st[1] = l2;
    st[s] = r1;
    st[s + 1] = r2;
  }

  reset(): void {
    this.state.fill(0);
  }
}
