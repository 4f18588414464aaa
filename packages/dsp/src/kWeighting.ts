import type { BiquadCoefs } from "./biquad";
import { assertInRange } from "./errors";
import type { Hz } from "./units";

/*
 * The two stages of the ITU-R BS.1770-4 K-weighting filter, for any sample rate.
 *
 * The standard tabulates the coefficients at 48 kHz only (Table 1: pre-filter, Table 2: RLB filter).
 * Like libebur128, we recover the analogue prototypes those tables came from and redesign them at the
 * requested rate with the bilinear transform (prewarped at f0). At 48 kHz this reproduces the tables
 * to better than 1e-8.
 */

/** Pre-filter (stage 1, a high shelf modelling the head) prototype. */
const SHELF_F0 = 1681.974450955533;
const SHELF_GAIN_DB = 3.999843853973347;
const SHELF_Q = 0.7071752369554196;
/** RLB weighting (stage 2, a high-pass) prototype. */
const HIGHPASS_F0 = 38.13547087602444;
const HIGHPASS_Q = 0.5003270373238773;

/** BS.1770-4 stage 1: the high-shelf pre-filter at `sampleRate`. Pure. */
export function kShelf(sampleRate: Hz): BiquadCoefs {
  assertInRange(sampleRate, 2 * SHELF_F0 + 1, 10_000_000, "sampleRate");
  const k = Math.tan((Math.PI * SHELF_F0) / sampleRate);
  const vh = 10 ** (SHELF_GAIN_DB / 20);
  const vb = vh ** 0.4996667741545416;
  const a0 = 1 + k / SHELF_Q + k * k;
  return {
    b0: (vh + (vb * k) / SHELF_Q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / SHELF_Q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / SHELF_Q + k * k) / a0,
  };
}

/**
 * BS.1770-4 stage 2: the RLB high-pass at `sampleRate`. The numerator is kept at [1, −2, 1] as in
 * Table 2 (not normalised to unity gain at Nyquist), so the 48 kHz values match the standard. Pure.
 */
export function rlbHighPass(sampleRate: Hz): BiquadCoefs {
  assertInRange(sampleRate, 2 * HIGHPASS_F0 + 1, 10_000_000, "sampleRate");
  const k = Math.tan((Math.PI * HIGHPASS_F0) / sampleRate);
  const a0 = 1 + k / HIGHPASS_Q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / HIGHPASS_Q + k * k) / a0 };
}
