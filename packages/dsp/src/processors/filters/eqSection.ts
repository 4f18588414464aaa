import type { BiquadCoefs } from "../../biquad";
import { assertInRange, DspError } from "../../errors";
import { loadCoefs, SECTION_COEFS } from "./section";

/*
 * EQ band sections that follow their ANALOGUE prototypes up to Nyquist (no bilinear cramping).
 *
 * Prototypes (RBJ Audio EQ Cookbook, s normalised to ω0, A = 10^(gainDb/40), so the gain is A²):
 *   bell       H(s) = (s² + s·A/Q + 1) / (s² + s/(A·Q) + 1)                  peak A² at f0
 *   lowShelf   H(s) = A·(s² + s·√A/Q + A) / (A·s² + s·√A/Q + 1)              A² at DC, 1 at ∞
 *   highShelf  H(s) = A·(A·s² + s·√A/Q + 1) / (s² + s·√A/Q + A)              1 at DC, A² at ∞
 *   lowPass    H(s) = 1 / (s² + s/Q + 1),   highPass  H(s) = s² / (s² + s/Q + 1)
 *
 * Digital design after M. Vicanek, "Matched Second Order Digital Filters" (2016):
 * 1. Poles by impulse invariance (exact pole positions): for an analogue pole pair at ωp (rad per
 *    sample) with quality Qp, ζ = 1/(2·Qp),
 *      a2 = e^(−2ζωp),  a1 = −2·e^(−ζωp)·cos(ωp·√(1−ζ²))   (ζ ≤ 1;  cosh(ωp·√(ζ²−1)) for ζ > 1).
 * 2. Magnitudes in Vicanek's basis φ1 = sin²(ω/2), φ0 = 1 − φ1, φ2 = 4·φ0·φ1:
 *      |1 + a1·z⁻¹ + a2·z⁻²|² = A0·φ0 + A1·φ1 + A2·φ2,  A0 = (1+a1+a2)², A1 = (1−a1+a2)², A2 = −4·a2,
 *    and likewise for the numerator with B0, B1, B2. With x = φ1 both are quadratics in x.
 * 3. Numerator: Vicanek matches |H|² at two or three chosen frequencies. Here the numerator quadratic
 *    N(x) = B0 + c1·x + c2·x² keeps B0 fixed (the exact DC gain) and c1, c2 are fitted by weighted
 *    least squares of the relative error (N − T·D) / (T·D) at 64 log-spaced frequencies from 10 Hz
 *    to 0.45·fs (weight 16 below fs/4, 1 above), T being the analogue |H|². It is solved by Givens
 *    rotations in the basis x, x² (well conditioned even for 20 Hz at 192 kHz). This spreads the
 *    unavoidable error of a second-order section near Nyquist instead of leaving it all there.
 *    Measured against the prototype (eqSection.test.ts) at 44.1/48 kHz: bells of ±6 dB at any f0
 *    and Q 0.1…10, and shelves up to ±12 dB with Q ≤ 1, stay within ±0.1 dB below fs/4 and ±0.5 dB
 *    up to 0.9·Nyquist; bells of ±18 dB within 0.2 / 0.9 dB. Resonant shelves (Q ≥ 2) with f0 within
 *    about an octave of Nyquist deviate by several dB near Nyquist (their dip lies beyond it).
 *    lowPass fixes |H| at DC and at f0 (|H(f0)| = Q) and fits the one remaining degree of freedom;
 *    highPass is Vicanek's: b = b0·[1, −2, 1] with b0 = Q·√(A0·φ0 + A1·φ1 + A2·φ2) / (4·φ1) at f0.
 * 4. Vicanek's factorisation of B0, B1, B2 into the minimum-phase numerator:
 *      W = (√B0 + √B1)/2,  b0 = (W + √(W² + B2))/2,  b1 = (√B0 − √B1)/2,  b2 = −B2 / (4·b0).
 *
 * Boost and cut are exact inverses of each other in analogue (H(A)·H(1/A) = 1, poles and zeros swap),
 * so only one side is designed: the one whose POLES lie at the lower frequency and can be matched
 * exactly (bell: the boost, Qp = A·Q; low shelf: the boost, ωp = ω0/√A; high shelf: the cut, ωp =
 * ω0·√A). The other side is its inverse: numerator and denominator swapped (the numerator is minimum
 * phase, so the inverse is stable; checked, with a direct design as fallback). A 0 dB bell or shelf
 * is the identity section.
 */

/** Filter shapes of an EQ band (the chain's EQ_BAND_TYPES). */
export type EqBandType = "bell" | "lowShelf" | "highShelf" | "highPass" | "lowPass";

export const EQ_BAND_TYPES: readonly EqBandType[] = ["bell", "lowShelf", "highShelf", "highPass", "lowPass"];

/** Poles are placed at most this fraction of fs (just under Nyquist). */
const MAX_POLE_RATIO = 0.475;
const FIT_POINTS = 64;
const FIT_LOW_HZ = 10;
const FIT_HIGH_RATIO = 0.45;
const FIT_WEIGHT_BELOW_QUARTER = 16;
/** lowPass: fit only where the prototype is above −40 dB (|H|² > 1e-4). */
const LOWPASS_FIT_FLOOR = 1e-4;

/** |H(j·2πf)|² of the analogue prototype at `ratio` = f/f0, with A = 10^(gainDb/40). */
function analogPower(type: EqBandType, ratio: number, a: number, q: number): number {
  const w2 = ratio * ratio;
  switch (type) {
    case "bell": {
      const r = (1 - w2) ** 2;
      return (r + ((a * ratio) / q) ** 2) / (r + (ratio / (a * q)) ** 2);
    }
    case "lowShelf": {
      const m = (a * w2) / (q * q);
      return (a * a * ((a - w2) ** 2 + m)) / ((1 - a * w2) ** 2 + m);
    }
    case "highShelf": {
      const m = (a * w2) / (q * q);
      return (a * a * ((1 - a * w2) ** 2 + m)) / ((a - w2) ** 2 + m);
    }
    case "lowPass":
      return 1 / ((1 - w2) ** 2 + w2 / (q * q));
    case "highPass":
      return (w2 * w2) / ((1 - w2) ** 2 + w2 / (q * q));
  }
}

/** |H(j·2πf)| of the analogue prototype of a band (linear magnitude). Pure. */
export function analogEqMagnitude(type: EqBandType, frequency: number, f0: number, gainDb: number, q: number): number {
  return Math.sqrt(analogPower(type, frequency / f0, 10 ** (gainDb / 40), q));
}

/** Whether a band's gain shapes it: bells and shelves; the pass filters ignore it. */
export function bandUsesGain(type: EqBandType): boolean {
  return type === "bell" || type === "lowShelf" || type === "highShelf";
}

/** Whether a band of this type and gain is the identity (0 dB bell or shelf). */
export function isIdentityBand(type: EqBandType, gainDb: number): boolean {
  return gainDb === 0 && bandUsesGain(type);
}

/**
 * Writes the matched section of a band into `out[offset…offset+4]`. Allocates nothing (for
 * `setParams`). `f0` is clamped to 0.475·fs for the pole positions; the fit still targets the true f0.
 */
export function designEqSection(
  out: Float64Array,
  offset: number,
  type: EqBandType,
  sampleRate: number,
  f0: number,
  gainDb: number,
  q: number,
): void {
  assertInRange(sampleRate, 1000, 10_000_000, "sampleRate");
  assertInRange(f0, 1, 1_000_000, "f0");
  assertInRange(gainDb, -60, 60, "gainDb");
  assertInRange(q, 0.01, 100, "q");
  if (isIdentityBand(type, gainDb)) {
    out.fill(0, offset, offset + SECTION_COEFS);
    out[offset] = 1;
    return;
  }
  const w0 = (2 * Math.PI * f0) / sampleRate;
  const a = 10 ** (gainDb / 40);
  switch (type) {
    case "bell":
    case "lowShelf":
      designShelfOrBell(out, offset, type, sampleRate, f0, w0, a >= 1 ? a : 1 / a, q, a < 1);
      return;
    case "highShelf":
      designShelfOrBell(out, offset, type, sampleRate, f0, w0, a <= 1 ? a : 1 / a, q, a > 1);
      return;
    case "lowPass":
      designLowpass(out, offset, sampleRate, f0, w0, q);
      return;
    case "highPass":
      designHighpass(out, offset, w0, q);
      return;
    default:
      throw new DspError("INVALID_ARGUMENT", `unknown EQ band type ${JSON.stringify(type)}`);
  }
}

/** The matched section of a band as a plain value. Pure. */
export function eqSectionCoefs(
  type: EqBandType,
  sampleRate: number,
  f0: number,
  gainDb: number,
  q: number,
): BiquadCoefs {
  const c = new Float64Array(SECTION_COEFS);
  designEqSection(c, 0, type, sampleRate, f0, gainDb, q);
  return loadCoefs(c, 0);
}

/** Writes a1, a2 of the impulse-invariant pole pair (ωp rad/sample, Qp) into out[offset+3…4]. */
function matchedPoles(out: Float64Array, offset: number, wp: number, qp: number): void {
  const w = Math.min(wp, 2 * Math.PI * MAX_POLE_RATIO);
  const zeta = 1 / (2 * qp);
  const e = Math.exp(-zeta * w);
  out[offset + 3] =
    zeta <= 1 ? -2 * e * Math.cos(w * Math.sqrt(1 - zeta * zeta)) : -2 * e * Math.cosh(w * Math.sqrt(zeta * zeta - 1));
  out[offset + 4] = e * e;
}

/** D(x) = |1 + a1·z⁻¹ + a2·z⁻²|² at x = sin²(ω/2), in Vicanek's φ form. */
function denominatorPower(a1: number, a2: number, x: number): number {
  return (1 + a1 + a2) ** 2 * (1 - x) + (1 - a1 + a2) ** 2 * x - 16 * a2 * x * (1 - x);
}

/**
 * Bell or shelf with gain A² ≥ 1 (bell, low shelf) or ≤ 1 (high shelf): the side whose poles are
 * the lower ones. `invert` swaps numerator and denominator afterwards (the other gain sign).
 */
function designShelfOrBell(
  out: Float64Array,
  o: number,
  type: "bell" | "lowShelf" | "highShelf",
  fs: number,
  f0: number,
  w0: number,
  a: number,
  q: number,
  invert: boolean,
): void {
  if (type === "bell") matchedPoles(out, o, w0, a * q);
  else if (type === "lowShelf") matchedPoles(out, o, w0 / Math.sqrt(a), q);
  else matchedPoles(out, o, w0 * Math.sqrt(a), q);
  const a1 = out[o + 3]!;
  const a2 = out[o + 4]!;
  const dcPower = type === "lowShelf" ? a ** 4 : 1;
  const b0Power = dcPower * (1 + a1 + a2) ** 2;
  fitNumerator(type, fs, f0, a, q, a1, a2, b0Power);
  factorNumerator(out, o, b0Power, b0Power + FIT[0]! + FIT[1]!, -FIT[1]! / 4);
  if (invert && !invertSection(out, o)) {
    // Not reached for the parameter ranges of the chain; a stable direct design of the other side.
    designShelfOrBell(out, o, type, fs, f0, w0, 1 / a, q, false);
  }
}

function designLowpass(out: Float64Array, o: number, fs: number, f0: number, w0: number, q: number): void {
  matchedPoles(out, o, w0, q);
  const a1 = out[o + 3]!;
  const a2 = out[o + 4]!;
  const b0Power = (1 + a1 + a2) ** 2;
  const x0 = Math.sin(Math.min(w0, 2 * Math.PI * MAX_POLE_RATIO) / 2) ** 2;
  const r0 = q * q * denominatorPower(a1, a2, x0);
  // N(x) = B0 + c1·x + c2·x² with N(x0) = r0: c1 = (r0 − B0)/x0 − c2·x0. Fit c2 (one unknown).
  let suu = 0;
  let suy = 0;
  for (let k = 0; k < FIT_POINTS; k++) {
    const f = fitFrequency(fs, k);
    const t = analogPower("lowPass", f / f0, 1, q);
    if (t < LOWPASS_FIT_FLOOR) continue;
    const x = Math.sin((Math.PI * f) / fs) ** 2;
    const target = t * denominatorPower(a1, a2, x);
    const w = (f < fs / 4 ? FIT_WEIGHT_BELOW_QUARTER : 1) / (target * target);
    const u = x * (x - x0);
    const base = b0Power + (x * (r0 - b0Power)) / x0;
    suu += w * u * u;
    suy += w * u * (target - base);
  }
  const c2 = suu > 0 ? suy / suu : 0;
  const c1 = (r0 - b0Power) / x0 - c2 * x0;
  factorNumerator(out, o, b0Power, b0Power + c1 + c2, -c2 / 4);
}

function designHighpass(out: Float64Array, o: number, w0: number, q: number): void {
  matchedPoles(out, o, w0, q);
  const x0 = Math.sin(Math.min(w0, 2 * Math.PI * MAX_POLE_RATIO) / 2) ** 2;
  const b0 = (q * Math.sqrt(denominatorPower(out[o + 3]!, out[o + 4]!, x0))) / (4 * x0);
  out[o] = b0;
  out[o + 1] = -2 * b0;
  out[o + 2] = b0;
}

/** [c1, c2] of the last numerator fit (module scratch, so designs allocate nothing). */
const FIT = new Float64Array(2);

/** Frequency of fit point k: log-spaced from FIT_LOW_HZ to FIT_HIGH_RATIO·fs. */
function fitFrequency(fs: number, k: number): number {
  return FIT_LOW_HZ * ((FIT_HIGH_RATIO * fs) / FIT_LOW_HZ) ** (k / (FIT_POINTS - 1));
}

/**
 * Weighted least squares for c1, c2 of N(x) = B0 + c1·x + c2·x² ≈ T(x)·D(x), relative error, by
 * Givens rotations of the rows √w·[x, x² | T·D − B0] into a 2×2 triangle R and Qᵀy. Result in FIT.
 */
function fitNumerator(
  type: EqBandType,
  fs: number,
  f0: number,
  a: number,
  q: number,
  a1: number,
  a2: number,
  b0Power: number,
): void {
  let r11 = 0;
  let r12 = 0;
  let r22 = 0;
  let z1 = 0;
  let z2 = 0;
  for (let k = 0; k < FIT_POINTS; k++) {
    const f = fitFrequency(fs, k);
    const x = Math.sin((Math.PI * f) / fs) ** 2;
    const target = analogPower(type, f / f0, a, q) * denominatorPower(a1, a2, x);
    const sw = Math.sqrt(f < fs / 4 ? FIT_WEIGHT_BELOW_QUARTER : 1) / target;
    const p = sw * x;
    let u = sw * x * x;
    let y = sw * (target - b0Power);
    let h = Math.hypot(r11, p);
    if (h > 0) {
      const c = r11 / h;
      const s = p / h;
      r11 = h;
      const t12 = c * r12 + s * u;
      u = c * u - s * r12;
      r12 = t12;
      const t1 = c * z1 + s * y;
      y = c * y - s * z1;
      z1 = t1;
    }
    h = Math.hypot(r22, u);
    if (h > 0) {
      const c = r22 / h;
      const s = u / h;
      r22 = h;
      z2 = c * z2 + s * y;
    }
  }
  const c2 = z2 / r22;
  FIT[0] = (z1 - r12 * c2) / r11;
  FIT[1] = c2;
}

/** Vicanek's minimum-phase factorisation of |N|² = B0·φ0 + B1·φ1 + B2·φ2 into out[o…o+2]. */
function factorNumerator(out: Float64Array, o: number, bb0: number, bb1: number, bb2: number): void {
  const s0 = Math.sqrt(Math.max(bb0, 0));
  const s1 = Math.sqrt(Math.max(bb1, 0));
  const w = (s0 + s1) / 2;
  const b0 = (w + Math.sqrt(Math.max(w * w + bb2, 0))) / 2;
  out[o] = b0;
  out[o + 1] = (s0 - s1) / 2;
  out[o + 2] = -bb2 / (4 * b0);
}

/**
 * Replaces the section by its inverse (numerator ↔ denominator, renormalised to a0 = 1). Returns
 * false, leaving `out` unspecified, when the numerator's zeros are not safely inside the unit circle.
 */
function invertSection(out: Float64Array, o: number): boolean {
  const b0 = out[o]!;
  const b1 = out[o + 1]! / b0;
  const b2 = out[o + 2]! / b0;
  const margin = 1e-9;
  if (!(Math.abs(b2) < 1 - margin && Math.abs(b1) < 1 + b2 - margin)) return false;
  const a1 = out[o + 3]!;
  const a2 = out[o + 4]!;
  out[o] = 1 / b0;
  out[o + 1] = a1 / b0;
  out[o + 2] = a2 / b0;
  out[o + 3] = b1;
  out[o + 4] = b2;
  return true;
}
