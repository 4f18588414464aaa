import { DspError } from "./errors";

/**
 * Radix-2 FFT of a real signal of `size` samples (a power of two ≥ 4), computed as a complex FFT of
 * size/2 points (even samples as real part, odd as imaginary) followed by the usual split step.
 * Complex values are stored interleaved (re, im) for locality. Tables and work arrays are allocated
 * by the constructor; the transforms allocate nothing.
 */
export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly bitReverse: Uint32Array;
  /** e^{−2πik/half} interleaved, k < half: twiddles of the complex FFT. */
  private readonly twiddles: Float64Array;
  /** e^{−2πik/size} interleaved, k ≤ half: twiddles of the split step. */
  private readonly splitTwiddles: Float64Array;
  /** log2(size/2) is odd: one plain radix-2 stage runs first. */
  private readonly oddStages: boolean;
  /** The complex work array z, interleaved. */
  private readonly z: Float64Array;
  /** Result of `splitBin`. */
  private binRe = 0;
  private binIm = 0;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 4 && (size & (size - 1)) === 0 && size <= 1 << 24)) {
      throw new DspError("INVALID_ARGUMENT", `FFT size must be a power of two in [4, 2^24], got ${size}`);
    }
    this.size = size;
    const half = size / 2;
    this.half = half;
    const bits = Math.log2(half);
    this.oddStages = bits % 2 === 1;
    this.bitReverse = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReverse[i] = r;
    }
    this.twiddles = new Float64Array(2 * half);
    for (let k = 0; k < half; k++) {
      this.twiddles[2 * k] = Math.cos((2 * Math.PI * k) / half);
      this.twiddles[2 * k + 1] = -Math.sin((2 * Math.PI * k) / half);
    }
    this.splitTwiddles = new Float64Array(2 * (half + 1));
    for (let k = 0; k <= half; k++) {
      this.splitTwiddles[2 * k] = Math.cos((2 * Math.PI * k) / size);
      this.splitTwiddles[2 * k + 1] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.z = new Float64Array(2 * half);
  }

  /**
   * X[k] = Σ_n x[n]·e^{−2πikn/N} for k = 0 … N/2. `input` holds N samples; `outRe`/`outIm` N/2 + 1.
   */
  forward(input: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.transform(input, null);
    for (let k = 0; k <= this.half; k++) {
      this.splitBin(k);
      outRe[k] = this.binRe;
      outIm[k] = this.binIm;
    }
  }

  /**
   * Adds |X[k]|² · scale to into[k] (k = 0 … N/2), X the transform of input[n]·window[n]. The
   * spectrum analyser's hot path: no output arrays, the window applied while reordering.
   */
  addPowerSpectrum(input: Float64Array, window: Float64Array, scale: number, into: Float64Array): void {
    this.transform(input, window);
    for (let k = 0; k <= this.half; k++) {
      this.splitBin(k);
      into[k]! += (this.binRe * this.binRe + this.binIm * this.binIm) * scale;
    }
  }

  /** Complex FFT of z[m] = x[2m] + i·x[2m+1] (times the window, if any), in place in `z`. */
  private transform(input: Float64Array, window: Float64Array | null): void {
    const half = this.half;
    const z = this.z;
    const rev = this.bitReverse;
    if (window === null) {
      for (let m = 0; m < half; m++) {
        const j = 2 * rev[m]!;
        z[j] = input[2 * m]!;
        z[j + 1] = input[2 * m + 1]!;
      }
    } else {
      for (let m = 0; m < half; m++) {
        const j = 2 * rev[m]!;
        z[j] = input[2 * m]! * window[2 * m]!;
        z[j + 1] = input[2 * m + 1]! * window[2 * m + 1]!;
      }
    }
    const len = 2 * half;
    let h = 1;
    if (this.oddStages) {
      // One radix-2 stage (twiddle 1).
      for (let a = 0; a < len; a += 4) {
        const ar = z[a]!;
        const ai = z[a + 1]!;
        const br = z[a + 2]!;
        const bi = z[a + 3]!;
        z[a] = ar + br;
        z[a + 1] = ai + bi;
        z[a + 2] = ar - br;
        z[a + 3] = ai - bi;
      }
      h = 2;
    } else if (half >= 4) {
      // The first radix-2² pass (h = 1): twiddles 1 and −i, no multiplies.
      for (let a = 0; a < len; a += 8) {
        const ar = z[a]!;
        const ai = z[a + 1]!;
        const br = z[a + 2]!;
        const bi = z[a + 3]!;
        const cr = z[a + 4]!;
        const ci = z[a + 5]!;
        const dr = z[a + 6]!;
        const di = z[a + 7]!;
        const sr = ar + br;
        const si = ai + bi;
        const tr = ar - br;
        const ti = ai - bi;
        const ur = cr + dr;
        const ui = ci + di;
        const vr = cr - dr;
        const vi = ci - di;
        z[a] = sr + ur;
        z[a + 1] = si + ui;
        z[a + 4] = sr - ur;
        z[a + 5] = si - ui;
        z[a + 2] = tr + vi;
        z[a + 3] = ti - vr;
        z[a + 6] = tr - vi;
        z[a + 7] = ti + vr;
      }
      h = 4;
    }
    // Decimation in time, two radix-2 stages per pass ("radix-2²"): half the memory traffic of plain
    // radix-2. Stage pair (h, 2h) on a, b, c, d = z[k], z[k+h], z[k+2h], z[k+3h]:
    //   A, B = a ± W₂·b;  C, D = c ± W₂·d   (W₂ = e^{−2πik/2h})
    //   z[k], z[k+2h] = A ± W₄·C;  z[k+h], z[k+3h] = B ∓ i·W₄·D   (W₄ = e^{−2πik/4h}, W₂ = W₄²)
    const tw = this.twiddles;
    for (; h < half; h <<= 2) {
      const q = 4 * h;
      const step = half / q;
      for (let start = 0; start < half; start += q) {
        for (let k = 0, t = 0; k < h; k++, t += step) {
          const w4r = tw[2 * t]!;
          const w4i = tw[2 * t + 1]!;
          const w2r = tw[4 * t]!;
          const w2i = tw[4 * t + 1]!;
          const ia = 2 * (start + k);
          const ib = ia + 2 * h;
          const ic = ib + 2 * h;
          const id = ic + 2 * h;
          const ar = z[ia]!;
          const ai = z[ia + 1]!;
          let xr = z[ib]!;
          let xi = z[ib + 1]!;
          const wbr = xr * w2r - xi * w2i;
          const wbi = xr * w2i + xi * w2r;
          const cr = z[ic]!;
          const ci = z[ic + 1]!;
          xr = z[id]!;
          xi = z[id + 1]!;
          const wdr = xr * w2r - xi * w2i;
          const wdi = xr * w2i + xi * w2r;
          const sr = ar + wbr;
          const si = ai + wbi;
          const tr = ar - wbr;
          const ti = ai - wbi;
          const ur = cr + wdr;
          const ui = ci + wdi;
          const vr = cr - wdr;
          const vi = ci - wdi;
          const ucr = ur * w4r - ui * w4i;
          const uci = ur * w4i + ui * w4r;
          const vcr = vr * w4r - vi * w4i;
          const vci = vr * w4i + vi * w4r;
          z[ia] = sr + ucr;
          z[ia + 1] = si + uci;
          z[ic] = sr - ucr;
          z[ic + 1] = si - uci;
          // −i·(vcr + i·vci) = vci − i·vcr
          z[ib] = tr + vci;
          z[ib + 1] = ti - vcr;
          z[id] = tr - vci;
          z[id + 1] = ti + vcr;
        }
      }
    }
  }

  /** X[k] = E[k] + W^k·O[k], E = (Z[k] + conj Z[half−k])/2, O = (Z[k] − conj Z[half−k])/2i. */
  private splitBin(k: number): void {
    const half = this.half;
    const z = this.z;
    const k1 = k === half ? 0 : 2 * k;
    const k2 = k === 0 ? 0 : 2 * (half - k);
    const zr = z[k1]!;
    const zi = z[k1 + 1]!;
    const cr = z[k2]!;
    const ci = -z[k2 + 1]!;
    const er = (zr + cr) / 2;
    const ei = (zi + ci) / 2;
    const or = (zi - ci) / 2;
    const oi = -(zr - cr) / 2;
    const wr = this.splitTwiddles[2 * k]!;
    const wi = this.splitTwiddles[2 * k + 1]!;
    this.binRe = er + wr * or - wi * oi;
    this.binIm = ei + wr * oi + wi * or;
  }
}
