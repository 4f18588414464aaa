import { HALF_TAPS, interpolatorPhases, TAPS, worstCaseGain } from "../../truePeakFilter";

/** Samples of a window: the interval between window[7] and window[8] is interpolated. */
export const PEAK_WINDOW = TAPS;
/** Position of the interval's left sample in its window (HALF_TAPS − 1 = 7). */
export const PEAK_LEFT = HALF_TAPS - 1;

/*
 * 4× oversampled peak of one sample interval, with the interpolator of the project's BS.1770-4
 * Annex 2 meter (../../truePeakFilter): for the window w[0 … 15], the largest of |w[7]| (branch 0,
 * the sample itself) and the three interpolated values between w[7] and w[8]. The meter uses 4×
 * below 96 kHz and 2× (the same half-sample branch, since the Kaiser-sinc prototype scales with the
 * factor) or 1× above, so these points are a superset of the meter's at every sample rate.
 *
 * Branch 3 is branch 1 reversed: with s_t = w[t] + w[15 − t], d_t = w[t] − w[15 − t],
 * y1 = A + B and y3 = A − B (A = Σ e·s, B = Σ o·d), so max(|y1|, |y3|) = |A| + |B|; branch 2 is
 * symmetric, y2 = Σ g·s. 24 multiplies, as the meter computes them. The folded coefficients are
 * module constants (the kernel is unrolled; constants beat field or typed-array reads by ~40 %).
 */
const PHASES = interpolatorPhases(4);
const [C1, C2] = PHASES as [Float64Array, Float64Array, Float64Array];
const fe = (t: number) => (C1[t]! + C1[TAPS - 1 - t]!) / 2;
const fo = (t: number) => (C1[t]! - C1[TAPS - 1 - t]!) / 2;
const fg = (t: number) => C2[t]!;
const E0 = fe(0),
  E1 = fe(1),
  E2 = fe(2),
  E3 = fe(3),
  E4 = fe(4),
  E5 = fe(5),
  E6 = fe(6),
  E7 = fe(7);
const O0 = fo(0),
  O1 = fo(1),
  O2 = fo(2),
  O3 = fo(3),
  O4 = fo(4),
  O5 = fo(5),
  O6 = fo(6),
  O7 = fo(7);
const G0 = fg(0),
  G1 = fg(1),
  G2 = fg(2),
  G3 = fg(3),
  G4 = fg(4),
  G5 = fg(5),
  G6 = fg(6),
  G7 = fg(7);

/** max over branches of Σ|c|: |any interpolated value| ≤ PEAK_SKIP_GAIN · max|w| (with a hair). */
export const PEAK_SKIP_GAIN = worstCaseGain(PHASES) * (1 + 1e-9);

/** The peak of the interval between b[at + 7] and b[at + 8] (reads b[at … at + 15]). Pure. */
export function intervalPeak(b: Float64Array, at: number): number {
  const x0 = b[at]!,
    x1 = b[at + 1]!,
    x2 = b[at + 2]!,
    x3 = b[at + 3]!;
  const x4 = b[at + 4]!,
    x5 = b[at + 5]!,
    x6 = b[at + 6]!,
    x7 = b[at + 7]!;
  const y0 = b[at + 15]!,
    y1 = b[at + 14]!,
    y2 = b[at + 13]!,
    y3 = b[at + 12]!;
  const y4 = b[at + 11]!,
    y5 = b[at + 10]!,
    y6 = b[at + 9]!,
    y7 = b[at + 8]!;
  const s0 = x0 + y0,
    s1 = x1 + y1,
    s2 = x2 + y2,
    s3 = x3 + y3;
  const s4 = x4 + y4,
    s5 = x5 + y5,
    s6 = x6 + y6,
    s7 = x7 + y7;
  const a = E0 * s0 + E1 * s1 + E2 * s2 + E3 * s3 + E4 * s4 + E5 * s5 + E6 * s6 + E7 * s7;
  const d =
    O0 * (x0 - y0) +
    O1 * (x1 - y1) +
    O2 * (x2 - y2) +
    O3 * (x3 - y3) +
    O4 * (x4 - y4) +
    O5 * (x5 - y5) +
    O6 * (x6 - y6) +
    O7 * (x7 - y7);
  const g = G0 * s0 + G1 * s1 + G2 * s2 + G3 * s3 + G4 * s4 + G5 * s5 + G6 * s6 + G7 * s7;
  let v = Math.abs(a) + Math.abs(d);
  const w = Math.abs(g);
  if (w > v) v = w;
  const c = Math.abs(x7);
  return Math.max(c, v);
}
