import { DspError } from "../../errors";

/**
 * In-place complex FFT on split re/im arrays: decimation in time, two radix-2 stages per pass
 * ("radix-2²", the scheme of ../../fft.ts, which only offers a real forward transform). The inverse
 * uses the swap identity IFFT(x) = swap(FFT(swap(x)))/N, swap exchanging real and imaginary parts.
 * Used by the resampler's fast convolution, which packs a stereo pair into one complex signal (L as
 * the real part, R as the imaginary part: a real filter keeps them apart).
 * Tables are built by the constructor; the transforms allocate nothing.
 */
export class ComplexFft {
  readonly size: number;
  private readonly rev: Uint32Array;
  /** cos/sin(2πk/N), k < N. */
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly oddStages: boolean;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 4 && (size & (size - 1)) === 0 && size <= 1 << 24)) {
      throw new DspError("INVALID_ARGUMENT", `FFT size must be a power of two in [4, 2^24], got ${size}`);
    }
    this.size = size;
    const bits = Math.log2(size);
    this.oddStages = bits % 2 === 1;
    this.rev = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cos = new Float64Array(size);
    this.sin = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
  }

  /** X[k] = Σ x[n]·e^{−2πikn/N}, in place. */
  forward(re: Float64Array, im: Float64Array): void {
    this.transform(re, im);
  }

  /** x[n] = (1/N)·Σ X[k]·e^{+2πikn/N}, in place. */
  inverse(re: Float64Array, im: Float64Array): void {
    this.transform(im, re);
    const s = 1 / this.size;
    for (let i = 0; i < this.size; i++) {
      re[i]! *= s;
      im[i]! *= s;
    }
  }

  /** N·x[n]: the inverse without the 1/N (for callers that fold it into their own scaling). */
  inverseUnscaled(re: Float64Array, im: Float64Array): void {
    this.transform(im, re);
  }

  private transform(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        let t = re[i]!;
        re[i] = re[j]!;
        re[j] = t;
        t = im[i]!;
        im[i] = im[j]!;
        im[j] = t;
      }
    }
    let h = 1;
    if (this.oddStages) {
      for (let a = 0; a < n; a += 2) {
        const ar = re[a]!;
        const ai = im[a]!;
        const br = re[a + 1]!;
        const bi = im[a + 1]!;
        re[a] = ar + br;
        im[a] = ai + bi;
        re[a + 1] = ar - br;
        im[a + 1] = ai - bi;
      }
      h = 2;
    }
    // Stage pair (h, 2h) on a, b, c, d = z[k], z[k+h], z[k+2h], z[k+3h]:
    //   A, B = a ± W₂·b;  C, D = c ± W₂·d   (W₂ = e^{−2πik/2h})
    //   z[k], z[k+2h] = A ± W₄·C;  z[k+h], z[k+3h] = B ∓ i·W₄·D   (W₄ = e^{−2πik/4h}, W₂ = W₄²)
    const cosT = this.cos;
    const sinT = this.sin;
    for (; h < n; h <<= 2) {
      const q = 4 * h;
      const step = n / q;
      for (let start = 0; start < n; start += q) {
        for (let k = 0, t = 0; k < h; k++, t += step) {
          const w4r = cosT[t]!;
          const w4i = -sinT[t]!;
          const w2r = cosT[2 * t]!;
          const w2i = -sinT[2 * t]!;
          const ia = start + k;
          const ib = ia + h;
          const ic = ib + h;
          const id = ic + h;
          const ar = re[ia]!;
          const ai = im[ia]!;
          let xr = re[ib]!;
          let xi = im[ib]!;
          const wbr = xr * w2r - xi * w2i;
          const wbi = xr * w2i + xi * w2r;
          const cr = re[ic]!;
          const ci = im[ic]!;
          xr = re[id]!;
          xi = im[id]!;
          const wdr = xr * w2r - xi * w2i;
          const wdi = xr * w2i + xi * w2r;
          const capAr = ar + wbr;
          const capAi = ai + wbi;
          const capBr = ar - wbr;
          const capBi = ai - wbi;
          const capCr = cr + wdr;
          const capCi = ci + wdi;
          const capDr = cr - wdr;
          const capDi = ci - wdi;
          const tcr = capCr * w4r - capCi * w4i;
          const tci = capCr * w4i + capCi * w4r;
          const tdr = capDr * w4r - capDi * w4i;
          const tdi = capDr * w4i + capDi * w4r;
          re[ia] = capAr + tcr;
          im[ia] = capAi + tci;
          re[ic] = capAr - tcr;
          im[ic] = capAi - tci;
          // −i·(tdr + i·tdi) = tdi − i·tdr
          re[ib] = capBr + tdi;
          im[ib] = capBi - tdr;
          re[id] = capBr - tdi;
          im[id] = capBi + tdr;
        }
      }
    }
  }
}
