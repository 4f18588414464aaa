import { assertInteger, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor } from "../chainProcessor";

/** The `output` module's parameters (packages/chain moduleSpecs). */
export interface OutputParams {
  /** Export sample rate ("keep" = the source's): the renderer's Resampler, not the Quantizer. */
  sampleRate: "keep" | "44100" | "48000" | "88200" | "96000";
  bitDepth: "16" | "24" | "32f";
  dither: "none" | "tpdf" | "tpdfShaped";
}

/** The dither choices. */
export type DitherMode = OutputParams["dither"];

/** What the Quantizer reads of the output parameters (an OutputParams object fits). */
export type QuantizerParams = Pick<OutputParams, "bitDepth" | "dither">;

export const DEFAULT_QUANTIZER_PARAMS: QuantizerParams = { bitDepth: "24", dither: "tpdf" };

/**
 * Error-feedback filter for 44.1/48 kHz: the 5-tap noise-shaping filter of S. P. Lipshitz,
 * J. Vanderkooy & R. A. Wannamaker, "Minimally audible noise shaping", JAES 39(11), 1991 (the
 * filter SoX calls "lipshitz", 44.1 kHz). Noise transfer function NTF(z) = 1 − Σ c_k·z^−(k+1):
 * −16.6 dB at DC, a dip in the ear's most sensitive 2–5 kHz region, +19.4 dB at Nyquist.
 */
export const LIPSHITZ_44K = [2.033, -2.165, 1.959, -1.59, 0.6149] as const;
/** Above 50 kHz the audible band is a small part of the spectrum: plain 2nd-order high-pass shaping, NTF = (1 − z⁻¹)². */
export const SECOND_ORDER_HIGHPASS = [2, -1] as const;

/** The error-feedback coefficients used at `sampleRate`. */
export function noiseShapingFilter(sampleRate: number): readonly number[] {
  return sampleRate <= 50_000 ? LIPSHITZ_44K : SECOND_ORDER_HIGHPASS;
}

const MAX_TAPS = 5;

/**
 * Word-length reduction to 16 or 24 bits (the last processor before the encoder). Every output
 * sample is k / 2^(bits−1) with k an integer in [−2^(bits−1), 2^(bits−1) − 1] (exact in a
 * Float32Array), clipped to that range. "32f" passes samples through.
 *
 * - none: plain rounding, k = ⌊x·2^(bits−1) + ½⌋ (the error follows the signal: distortion).
 * - tpdf: adds triangular dither d = r₁ − r₂ (r uniform in [0, 1), so d ∈ (−1, 1) LSB) before
 *   rounding. With this non-subtractive TPDF dither the first two moments of the total error are
 *   independent of the signal (Wannamaker, Lipshitz & Vanderkooy, "A theory of nonsubtractive
 *   dither", IEEE Trans. SP 48(2), 2000): a flat noise of 1/12 + 1/6 = 1/4 LSB².
 * - tpdfShaped: TPDF plus error feedback: v = x − Σ c_k·e[n−1−k], y = Q(v + d), e[n] = y − v
 *   (unclipped, so |e| ≤ 1.5 LSB and the loop cannot run away when the output clips). The total
 *   error is NTF(z) applied to the flat TPDF+rounding noise (`noiseShapingFilter`).
 *
 * The random numbers come from one mulberry32 generator per channel (the generator of
 * ../../signals `prng`, inlined), seeded from `seed` and the channel number; each sample draws two,
 * so the output is the same for any block size and for the same seed. No latency. A NaN input
 * sample becomes 0 (and does not reach the error feedback).
 */
export class Quantizer implements ChainProcessor<QuantizerParams> {
  readonly latencyFrames = 0;
  readonly seed: number;
  private bits = 24;
  private mode: QuantizerParams["dither"] = "tpdf";
  private passthrough = false;
  private channels = 0;
  private coefs = new Float64Array(MAX_TAPS);
  /** Generator state per channel. */
  private rng = new Uint32Array(0);
  /** Past errors per channel: e[n−1] … e[n−MAX_TAPS] at [ch·MAX_TAPS …]. */
  private err = new Float64Array(0);

  constructor(params: QuantizerParams = DEFAULT_QUANTIZER_PARAMS, seed = 1) {
    assertInteger(seed, 0, 0xffffffff, "seed");
    this.seed = seed;
    this.setParams(params);
  }

  setParams(p: QuantizerParams): void {
    if (p.bitDepth !== "16" && p.bitDepth !== "24" && p.bitDepth !== "32f") {
      throw new DspError("INVALID_ARGUMENT", `bitDepth must be "16", "24" or "32f", got ${p.bitDepth}`);
    }
    if (p.dither !== "none" && p.dither !== "tpdf" && p.dither !== "tpdfShaped") {
      throw new DspError("INVALID_ARGUMENT", `dither must be none, tpdf or tpdfShaped, got ${p.dither}`);
    }
    this.passthrough = p.bitDepth === "32f";
    this.bits = p.bitDepth === "16" ? 16 : 24;
    this.mode = p.dither;
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.channels = spec.channels;
    const f = noiseShapingFilter(spec.sampleRate);
    this.coefs = new Float64Array(MAX_TAPS);
    this.coefs.set(f);
    this.rng = new Uint32Array(spec.channels);
    this.err = new Float64Array(spec.channels * MAX_TAPS);
    this.reset();
  }

  reset(): void {
    // Channel c starts from seed + c·⌊2³²/φ⌋ (distinct, well-spread states).
    for (let c = 0; c < this.channels; c++) this.rng[c] = (this.seed + Math.imul(c, 0x9e3779b9)) >>> 0;
    this.err.fill(0);
  }

  process(block: readonly SampleBuffer[], frames: number): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "Quantizer.process called before prepare");
    assertBlock(block, frames, this.channels);
    if (this.passthrough) return;
    const scale = 2 ** (this.bits - 1);
    const inv = 1 / scale;
    const lo = -scale;
    const hi = scale - 1;
    for (let ch = 0; ch < this.channels; ch++) {
      const x = block[ch]!;
      if (this.mode === "none") {
        for (let i = 0; i < frames; i++) {
          const k = Math.floor(x[i]! * scale + 0.5);
          x[i] = (k > hi ? hi : k >= lo ? k : k < lo ? lo : 0) * inv; // clip; NaN → 0
        }
        continue;
      }
      const shaped = this.mode === "tpdfShaped";
      let a = this.rng[ch]!;
      const e = this.err;
      const o = ch * MAX_TAPS;
      // Past errors in locals (e1 newest), the filter in constants: a 5-tap loop without arrays.
      let e1 = e[o]!;
      let e2 = e[o + 1]!;
      let e3 = e[o + 2]!;
      let e4 = e[o + 3]!;
      let e5 = e[o + 4]!;
      const c = this.coefs;
      const c1 = shaped ? c[0]! : 0;
      const c2 = shaped ? c[1]! : 0;
      const c3 = shaped ? c[2]! : 0;
      const c4 = shaped ? c[3]! : 0;
      const c5 = shaped ? c[4]! : 0;
      for (let i = 0; i < frames; i++) {
        // Two mulberry32 draws: r = next()/2³².
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const r1 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        a = (a + 0x6d2b79f5) >>> 0;
        t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const r2 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        // Work in LSB units: v = x·2^(bits−1) − feedback.
        const v = x[i]! * scale - (c1 * e1 + c2 * e2 + c3 * e3 + c4 * e4 + c5 * e5);
        const k = Math.floor(v + (r1 - r2) + 0.5);
        e5 = e4;
        e4 = e3;
        e3 = e2;
        e2 = e1;
        e1 = k - v;
        if (!(e1 >= -2 && e1 <= 2)) e1 = 0; // |e| ≤ 1.5 LSB; only a non-finite input gets here
        x[i] = (k > hi ? hi : k >= lo ? k : k < lo ? lo : 0) * inv; // clip; NaN → 0
      }
      this.rng[ch] = a;
      e[o] = e1;
      e[o + 1] = e2;
      e[o + 2] = e3;
      e[o + 3] = e4;
      e[o + 4] = e5;
    }
  }
}
