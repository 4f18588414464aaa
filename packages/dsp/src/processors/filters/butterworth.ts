import type { BiquadCoefs } from "../../biquad";
import { assertInRange, assertInteger, DspError } from "../../errors";
import { loadCoefs } from "./section";

/*
 * Butterworth sections by the bilinear transform, prewarped at f0 (RBJ Audio EQ Cookbook, LPF/HPF:
 * with K = tan(π·f0/fs) the analogue prototype s² + s/Q + 1 maps exactly onto f0). Used for the
 * subsonic high-pass and the Linkwitz–Riley crossovers, where bilinear "cramping" near Nyquist does
 * not matter: the high-pass sits below 150 Hz, and crossover bands must sum to an allpass, which the
 * bilinear transform preserves exactly.
 */

/** Largest f0 / fs accepted: just under Nyquist, where K = tan(π·f0/fs) stays finite. */
export const MAX_BILINEAR_RATIO = 0.49;

export type ButterworthKind = "lowpass" | "highpass";

/**
 * Writes the second-order section into `out[offset…offset+4]` without allocating (for `setParams`).
 * Low-pass: |H(f0)| = Q. High-pass: |H(f0)| = Q, numerator [1, −2, 1]·g sums to exactly 0 (DC removed).
 */
export function designButterworth(
  out: Float64Array,
  offset: number,
  kind: ButterworthKind,
  sampleRate: number,
  f0: number,
  q = Math.SQRT1_2,
): void {
  assertInRange(sampleRate, 1, 10_000_000, "sampleRate");
  assertInRange(f0, 1e-3, MAX_BILINEAR_RATIO * sampleRate, "f0");
  assertInRange(q, 1e-3, 1000, "q");
  const k = Math.tan((Math.PI * f0) / sampleRate);
  const norm = 1 / (1 + k / q + k * k);
  const g = kind === "lowpass" ? k * k * norm : norm;
  out[offset] = g;
  out[offset + 1] = kind === "lowpass" ? 2 * g : -2 * g;
  out[offset + 2] = g;
  out[offset + 3] = 2 * (k * k - 1) * norm;
  out[offset + 4] = (1 - k / q + k * k) * norm;
}

/** Second-order Butterworth-style low-pass (Q = 1/√2: −3.01 dB at f0). Pure. */
export function butterworthLowpass(sampleRate: number, f0: number, q = Math.SQRT1_2): BiquadCoefs {
  const c = new Float64Array(5);
  designButterworth(c, 0, "lowpass", sampleRate, f0, q);
  return loadCoefs(c, 0);
}

/** Second-order Butterworth-style high-pass (Q = 1/√2: −3.01 dB at f0). Pure. */
export function butterworthHighpass(sampleRate: number, f0: number, q = Math.SQRT1_2): BiquadCoefs {
  const c = new Float64Array(5);
  designButterworth(c, 0, "highpass", sampleRate, f0, q);
  return loadCoefs(c, 0);
}

/**
 * Q of each second-order section of an even-order Butterworth filter: the poles of order N sit at
 * angles θk = (2k − 1)·π / (2N) from the negative real axis, and a conjugate pair at θ has
 * Q = 1 / (2·cos θ). Order 4: [0.5412, 1.3066]; order 8: [0.5098, 0.6013, 0.9000, 2.5629]. Pure.
 */
export function butterworthQs(order: number): number[] {
  assertInteger(order, 2, 64, "order");
  if (order % 2 !== 0) throw new DspError("INVALID_ARGUMENT", `order must be even, got ${order}`);
  const qs: number[] = [];
  for (let k = 1; k <= order / 2; k++) qs.push(1 / (2 * Math.cos(((2 * k - 1) * Math.PI) / (2 * order))));
  return qs;
}
