import { assertInRange, assertInteger, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor, Timeline } from "../chainProcessor";

/** Shape of the fades (the chain's fade `curve` enum). */
export type FadeCurve = "linear" | "exponential" | "logarithmic" | "sCurve";

/** Parameters of the `fade` module (packages/chain moduleSpecs: inS, outS 0…30 s, curve). */
export interface FadeParams {
  inS: number;
  outS: number;
  curve: FadeCurve;
}

const CURVES: readonly FadeCurve[] = ["linear", "exponential", "logarithmic", "sCurve"];
/** exponential: the gain in dB rises linearly from −60 dB; K = 60 dB in nepers of amplitude. */
const EXP_K = 3 * Math.LN10;
const EXP_FLOOR = Math.exp(-EXP_K);

/**
 * Gain of a fade at progress `u` ∈ [0, 1] (0 = silent end, 1 = full level); the fade-out is the
 * fade-in mirrored in time. Every curve is 0 at u = 0, 1 at u = 1 and increasing:
 *   linear       g = u
 *   exponential  g = (10^(−3·(1−u)) − 10^−3) / (1 − 10^−3): the level in dB rises linearly from
 *                −60 dB to 0 dB, shifted and scaled so it starts at exactly 0 (−30.3 dB at u = ½)
 *   logarithmic  g = 1 − exponential(1 − u): the mirror image, fast at first then slowly to 1
 *   sCurve       g = (1 − cos(π·u)) / 2: raised cosine, ½ at u = ½ with zero slope at both ends
 * Pure.
 */
export function fadeGain(curve: FadeCurve, u: number): number {
  if (u <= 0) return 0;
  if (u >= 1) return 1;
  switch (curve) {
    case "linear":
      return u;
    case "exponential":
      return (Math.exp(EXP_K * (u - 1)) - EXP_FLOOR) / (1 - EXP_FLOOR);
    case "logarithmic":
      return 1 - (Math.exp(-EXP_K * u) - EXP_FLOOR) / (1 - EXP_FLOOR);
    case "sCurve":
      return 0.5 - 0.5 * Math.cos(Math.PI * u);
  }
}

/**
 * Fade-in at the start and fade-out at the end of the programme; the gain depends only on the
 * absolute frame position n (counted from `prepare`/`reset`, or set by `setPosition`), so the output
 * does not depend on block sizes. With F_in = round(inS·fs), F_out = round(outS·fs), T = totalFrames:
 *   fade-in   n < F_in:        g = fadeGain(curve, n / F_in)            (g = 0 at n = 0)
 *   fade-out  n ≥ T − F_out:   g = fadeGain(curve, (T − 1 − n) / F_out)  (g = 0 at n = T − 1)
 *   after the end, n ≥ T (with a fade-out): g = 0
 * Overlapping fades multiply. The fade-out needs the programme length: call `setTimeline` before
 * processing; without it only the fade-in applies. Frames outside the fades are not touched; inside,
 * one curve evaluation per frame (Math.exp or Math.cos for the non-linear curves) is shared by all
 * channels. Latency 0.
 */
export class FadeProcessor implements ChainProcessor<FadeParams> {
  readonly latencyFrames = 0;
  private readonly params: FadeParams = { inS: 0, outS: 0, curve: "sCurve" };
  private sampleRate = 0;
  private channels = 0;
  private totalFrames = Number.POSITIVE_INFINITY;
  private position = 0;
  private inFrames = 0;
  private outFrames = 0;

  constructor(params: FadeParams = { inS: 0, outS: 0, curve: "sCurve" }, timeline?: Timeline) {
    this.setParams(params);
    if (timeline) this.setTimeline(timeline);
  }

  setParams(params: FadeParams): void {
    assertInRange(params.inS, 0, 1e6, "inS");
    assertInRange(params.outS, 0, 1e6, "outS");
    if (!CURVES.includes(params.curve)) {
      throw new DspError(
        "INVALID_ARGUMENT",
        `curve must be one of ${CURVES.join(", ")}, got ${JSON.stringify(params.curve)}`,
      );
    }
    this.params.inS = params.inS;
    this.params.outS = params.outS;
    this.params.curve = params.curve;
    this.update();
  }

  /** The programme length at this processor's input; the fade-out ends at its last frame. */
  setTimeline(timeline: Timeline): void {
    assertInteger(timeline.totalFrames, 0, Number.MAX_SAFE_INTEGER, "totalFrames");
    this.totalFrames = timeline.totalFrames;
  }

  /** Moves to absolute frame `frame` (a preview that starts inside the programme). */
  setPosition(frame: number): void {
    assertInteger(frame, 0, Number.MAX_SAFE_INTEGER, "frame");
    this.position = frame;
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.position = 0;
    this.update();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "FadeProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    const start = this.position;
    this.position = start + frames;
    const fin = this.inFrames;
    const fout = this.outFrames;
    const total = this.totalFrames;
    const outStart = fout > 0 ? total - fout : Number.POSITIVE_INFINITY;
    // Entirely at full level: nothing to do.
    if (start >= fin && start + frames <= outStart) return;
    const curve = this.params.curve;
    for (let i = 0; i < frames; i++) {
      const n = start + i;
      let g = 1;
      if (n < fin) g = fadeGain(curve, n / fin);
      if (n >= outStart) g *= n >= total ? 0 : fadeGain(curve, (total - 1 - n) / fout);
      if (g === 1) continue;
      for (let ch = 0; ch < this.channels; ch++) {
        const x = block[ch]!;
        x[i] = x[i]! * g;
      }
    }
  }

  /** Back to the start of the programme (frame 0). */
  reset(): void {
    this.position = 0;
  }

  private update(): void {
    this.inFrames = Math.round(this.params.inS * this.sampleRate);
    this.outFrames = Math.round(this.params.outS * this.sampleRate);
  }
}
