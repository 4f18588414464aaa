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
        if (s1 < FLUSH && s1 > -FLUSH) s1 = 0;
        if (s2 < FLUSH && s2 > -FLUSH) s2 = 0;
        dst[i] = y;
      }
      st[s] = s1;
      st[s + 1] = s2;
    }
  }

  reset(): void {
    this.state.fill(0);
  }
}
