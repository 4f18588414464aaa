import { assertInteger } from "./errors";

/*
 * Interpolation filter for the true-peak meter (ITU-R BS.1770-4 Annex 2).
 *
 * The annex asks for oversampling by at least 4 at 48 kHz with a low-pass that keeps the audio band
 * and rejects the images. We design a Kaiser-windowed sinc whose cut-off is exactly the original
 * Nyquist frequency. Its zeros fall on the original sample instants, so phase 0 of the polyphase
 * decomposition is the input sample itself (a true "interpolating" filter) and only phases 1…R−1
 * need arithmetic. Each phase has TAPS = 16 taps (2·HALF_TAPS). With β = 6 every phase is flat to
 * ±0.005 dB up to 0.35·fs and −0.2 dB at 0.4·fs (measured in truePeak.test.ts).
 */

/** Input samples on each side of the interpolated interval (the kernels in truePeak.ts are unrolled for 8). */
export const HALF_TAPS = 8;
/** Taps per polyphase branch. */
export const TAPS = 2 * HALF_TAPS;
const KAISER_BETA = 6;

/** Oversampling factor of BS.1770-4 Annex 2: 4× below 96 kHz, 2× below 192 kHz, none above. */
export function oversamplingFactor(sampleRate: number): 1 | 2 | 4 {
  if (sampleRate < 96_000) return 4;
  if (sampleRate < 192_000) return 2;
  return 1;
}

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

/**
 * The polyphase branches for oversampling by `factor`: branch p (1 ≤ p < factor) gives the signal at
 * fractional position p/factor between x[n] and x[n+1] as Σ_t c_p[t]·x[n − HALF_TAPS + 1 + t], t = 0…TAPS−1.
 * Returned as `factor − 1` arrays of TAPS coefficients (branch 0, the identity, is omitted). Pure.
 */
export function interpolatorPhases(factor: number): Float64Array[] {
  assertInteger(factor, 1, 64, "factor");
  const half = factor * HALF_TAPS;
  const norm = besselI0(KAISER_BETA);
  /** Prototype h[m], m = −half…half: sinc(m/R)·kaiser(m/half). */
  const proto = (m: number): number => {
    if (m <= -half || m >= half) return 0;
    const t = m / factor;
    const sinc = m === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
    const r = m / half;
    return (sinc * besselI0(KAISER_BETA * Math.sqrt(1 - r * r))) / norm;
  };
  const phases: Float64Array[] = [];
  for (let p = 1; p < factor; p++) {
    const c = new Float64Array(TAPS);
    // x[n − HALF_TAPS + 1 + t] is j = HALF_TAPS − 1 − t samples before x[n]; its weight is h[p + j·R].
    for (let t = 0; t < TAPS; t++) c[t] = proto(p + (HALF_TAPS - 1 - t) * factor);
    phases.push(c);
  }
  return phases;
}

/** max over branches of Σ|c_p[t]|: the largest possible |output| for inputs bounded by 1. Pure. */
export function worstCaseGain(phases: readonly Float64Array[]): number {
  let worst = 1; // branch 0 passes the samples through
  for (const c of phases) {
    let s = 0;
    for (let t = 0; t < c.length; t++) s += Math.abs(c[t]!);
    if (s > worst) worst = s;
  }
  return worst;
}
