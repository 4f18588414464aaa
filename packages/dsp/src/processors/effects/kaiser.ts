/**
 * Kaiser window helpers shared by the oversampler and the resampler (J. F. Kaiser, "Nonrecursive
 * digital filter design using the I0-sinh window function", Proc. IEEE ISCAS 1974; formulas as in
 * Oppenheim & Schafer, Discrete-Time Signal Processing, 3rd ed., §7.5.3). Pure functions.
 */

/** Zeroth-order modified Bessel function of the first kind, I0(x) = Σ_k ((x/2)^k / k!)². */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * The Kaiser window at relative position r ∈ [−1, 1] (r = 0 at the centre, ±1 at the ends):
 * w(r) = I0(β·√(1 − r²)) / I0(β); 0 outside.
 */
export function kaiserWindow(r: number, beta: number, i0Beta: number = besselI0(beta)): number {
  if (r < -1 || r > 1) return 0;
  return besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
}

/** sin(πx)/(πx), 1 at 0. */
export function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}
