/**
 * Linear-phase low-pass FIR for a complementary two-band split: with the low band lp = h ∗ x (delay
 * D = half the length) and the high band hp = x[n − D] − lp, lp + hp is the input delayed by D
 * exactly (up to rounding), and since h is linear-phase both bands are in phase: a reduction of the
 * high band by g leaves |H| between g and 1 with no bumps (an IIR complementary pair would add a
 * +1.8 dB bump near the corner). Kaiser-windowed sinc, β = 6 (≈ −63 dB stop band), 2D + 1 taps;
 * the transition is ≈ 2.3·fs/(2D + 1) wide, centred on the cut-off.
 */
export class LinearPhaseLowpass {
  readonly delay: number;
  /** Taps 0 … D (the filter is symmetric: h[D + k] = h[D − k]). */
  private readonly half: Float64Array;

  constructor(delay: number) {
    this.delay = delay;
    this.half = new Float64Array(delay + 1);
  }

  /** Taps 0 … D (read-only view for processors that inline `apply`). */
  get taps(): Float64Array {
    return this.half;
  }

  /** Designs the cut-off `fc` (Hz) at `sampleRate` in place (no allocation); DC gain exactly 1. */
  design(sampleRate: number, fc: number): void {
    const d = this.delay;
    const wc = (2 * Math.min(fc, 0.49 * sampleRate)) / sampleRate; // cut-off as a fraction of fs/2
    const norm = besselI0(KAISER_BETA);
    let sum = 0;
    for (let k = 0; k <= d; k++) {
      const m = k - d; // −D … 0
      const x = Math.PI * wc * m;
      const sinc = m === 0 ? 1 : Math.sin(x) / x;
      const r = m / d;
      const w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
      this.half[k] = wc * sinc * w;
      sum += k === d ? this.half[k]! : 2 * this.half[k]!;
    }
    for (let k = 0; k <= d; k++) this.half[k]! /= sum;
  }

  /**
   * Taps ← (1 − w)·taps + w·other's taps (same delay). The filter is linear in its taps, so this is
   * the crossfade of the two filters' outputs at weight w, frozen: a live edit that interrupts a
   * crossfade continues from it without a jump.
   */
  mixFrom(other: LinearPhaseLowpass, w: number): void {
    const h = this.half;
    const o = other.half;
    for (let k = 0; k < h.length; k++) h[k] = (1 - w) * h[k]! + w * o[k]!;
  }

  /**
   * Σ h·x over b[at … at + 2D] (the low band at the centre sample b[at + D]): the centre tap, then
   * the pairs k = 0 … D − 1 in order — the order of `applyBlock`, so both give the same bits.
   */
  apply(b: Float64Array, at: number): number {
    const h = this.half;
    const d = this.delay;
    const end = at + 2 * d;
    let acc = h[d]! * b[at + d]!;
    for (let k = 0; k < d; k++) acc += h[k]! * (b[at + k]! + b[end - k]!);
    return acc;
  }

  /**
   * out[i] = apply(b, i) for i in [from, to). Four outputs per pass share each tap's load and slide
   * their window through locals (two new samples per tap instead of eight); each output still sums
   * in `apply`'s order, so the result does not depend on where a block starts or ends.
   */
  applyBlock(b: Float64Array, from: number, to: number, out: Float64Array): void {
    const h = this.half;
    const d = this.delay;
    const p = 2 * d;
    const hc = h[d]!;
    let m = from;
    for (; m + 3 < to; m += 4) {
      let a0 = hc * b[m + d]!;
      let a1 = hc * b[m + d + 1]!;
      let a2 = hc * b[m + d + 2]!;
      let a3 = hc * b[m + d + 3]!;
      // Output m+j reads lo = m+j+k and hi = m+j+2D−k: from one tap to the next the lows move
      // down one output and the highs up one, so each tap loads two new samples.
      let l0 = b[m]!;
      let l1 = b[m + 1]!;
      let l2 = b[m + 2]!;
      let h1 = b[m + p + 1]!;
      let h2 = b[m + p + 2]!;
      let h3 = b[m + p + 3]!;
      for (let k = 0; k < d; k++) {
        const c = h[k]!;
        const l3 = b[m + k + 3]!;
        const h0 = b[m + p - k]!;
        a0 += c * (l0 + h0);
        a1 += c * (l1 + h1);
        a2 += c * (l2 + h2);
        a3 += c * (l3 + h3);
        l0 = l1;
        l1 = l2;
        l2 = l3;
        h3 = h2;
        h2 = h1;
        h1 = h0;
      }
      out[m] = a0;
      out[m + 1] = a1;
      out[m + 2] = a2;
      out[m + 3] = a3;
    }
    for (; m < to; m++) out[m] = this.apply(b, m);
  }

  /** |H(f)| (linear) at frequency `f`. Pure (for tests and plots). */
  magnitude(sampleRate: number, f: number): number {
    const d = this.delay;
    const w = (2 * Math.PI * f) / sampleRate;
    let acc = this.half[d]!;
    for (let k = 0; k < d; k++) acc += 2 * this.half[k]! * Math.cos(w * (d - k));
    return Math.abs(acc);
  }
}

const KAISER_BETA = 6;

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x / 2) * (x / 2);
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}
