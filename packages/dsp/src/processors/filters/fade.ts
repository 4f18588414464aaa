import { assertInRange, assertInteger, DspError } from "../../errors";
import { assertBlock, assertSpec, type ProcessSpec, type SampleBuffer } from "../../processor";
import type { ChainProcessor, Timeline } from "../chainProcessor";
import { GLIDE_SECONDS, ParamRamp } from "../paramRamp";

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

/** A fade in frames at the processor's rate: what `FadeParams` become once the rate is known. */
interface FadeShape {
  inFrames: number;
  outFrames: number;
  curve: FadeCurve;
}

/** The gain of `shape` at frame n of a programme of `total` frames (the formulas of FadeProcessor). */
function shapeGain(shape: FadeShape, total: number, n: number): number {
  const fin = shape.inFrames;
  const fout = shape.outFrames;
  let g = 1;
  if (n < fin) g = fadeGain(shape.curve, n / fin);
  if (fout > 0 && n >= total - fout) g *= n >= total ? 0 : fadeGain(shape.curve, (total - 1 - n) / fout);
  return g;
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
 *
 * Live edits do not click: once frames were processed (since `prepare` or `reset`), new parameters
 * glide over GLIDE_SECONDS of processed frames, a frame at a time whatever the blocks and positions:
 * g = (1 − w)·g_old(n) + w·g_new(n), both at the same frame n, w rising linearly to exactly 1 (where
 * g is exactly g_new). An edit during a glide waits for it to end (the latest edit wins), then glides
 * on from there. Before the first frame, and after `reset`, an edit applies at once: a render with
 * fixed parameters (the export) is the formulas above, bit for bit.
 */
export class FadeProcessor implements ChainProcessor<FadeParams> {
  readonly latencyFrames = 0;
  /** The latest parameters set; `shape` is them in frames unless an edit waits (`pending`). */
  private readonly params: FadeParams = { inS: 0, outS: 0, curve: "sCurve" };
  /** The fade applied, or glided to. */
  private readonly shape: FadeShape = { inFrames: 0, outFrames: 0, curve: "sCurve" };
  /** The fade glided from. */
  private readonly from: FadeShape = { inFrames: 0, outFrames: 0, curve: "sCurve" };
  /** Weight of `shape` against `from`: 1 when no glide runs. */
  private readonly mix = new ParamRamp(1);
  /** `params` changed during the glide: the next glide starts when this one ends. */
  private pending = false;
  /** Frames were processed since `prepare` or `reset` (an edit then glides). */
  private started = false;
  private sampleRate = 0;
  private channels = 0;
  private totalFrames = Number.POSITIVE_INFINITY;
  private position = 0;

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
    if (!this.started) this.settle();
    else if (this.mix.moving) this.pending = true;
    else this.startGlide();
  }

  /**
   * Ends a glide under way at once: the latest parameters apply from the next frame (for an owner
   * whose fade is out of the signal, such as a bypassed one, so nothing is heard).
   */
  settle(): void {
    this.shape.inFrames = Math.round(this.params.inS * this.sampleRate);
    this.shape.outFrames = Math.round(this.params.outS * this.sampleRate);
    this.shape.curve = this.params.curve;
    this.mix.snap(1);
    this.pending = false;
  }

  /** The programme length at this processor's input; the fade-out ends at its last frame. */
  setTimeline(timeline: Timeline): void {
    assertInteger(timeline.totalFrames, 0, Number.MAX_SAFE_INTEGER, "totalFrames");
    this.totalFrames = timeline.totalFrames;
  }

  /** Moves to absolute frame `frame` (a preview that starts inside the programme); a glide goes on. */
  setPosition(frame: number): void {
    assertInteger(frame, 0, Number.MAX_SAFE_INTEGER, "frame");
    this.position = frame;
  }

  prepare(spec: ProcessSpec): void {
    assertSpec(spec);
    this.sampleRate = spec.sampleRate;
    this.channels = spec.channels;
    this.mix.setRampFrames(GLIDE_SECONDS * spec.sampleRate);
    this.reset();
  }

  process(block: readonly SampleBuffer[], frames: number = block[0]?.length ?? 0): void {
    if (this.channels === 0) throw new DspError("INVALID_STATE", "FadeProcessor.process called before prepare");
    assertBlock(block, frames, this.channels);
    const start = this.position;
    this.position = start + frames;
    if (frames > 0) this.started = true;
    if (this.mix.moving) {
      this.glide(block, start, frames);
      return;
    }
    const shape = this.shape;
    const total = this.totalFrames;
    const outStart = shape.outFrames > 0 ? total - shape.outFrames : Number.POSITIVE_INFINITY;
    // Entirely at full level: nothing to do.
    if (start >= shape.inFrames && start + frames <= outStart) return;
    for (let i = 0; i < frames; i++) {
      const g = shapeGain(shape, total, start + i);
      if (g === 1) continue;
      for (let ch = 0; ch < this.channels; ch++) {
        const x = block[ch]!;
        x[i] = x[i]! * g;
      }
    }
  }

  /** Back to the start of the programme (frame 0); a glide lands at once. */
  reset(): void {
    this.position = 0;
    this.started = false;
    this.settle();
  }

  /** A glide from `shape` to `params` (none if they are the same fade). */
  private startGlide(): void {
    const to = this.params;
    const inFrames = Math.round(to.inS * this.sampleRate);
    const outFrames = Math.round(to.outS * this.sampleRate);
    const s = this.shape;
    this.pending = false;
    if (inFrames === s.inFrames && outFrames === s.outFrames && to.curve === s.curve) return;
    this.from.inFrames = s.inFrames;
    this.from.outFrames = s.outFrames;
    this.from.curve = s.curve;
    s.inFrames = inFrames;
    s.outFrames = outFrames;
    s.curve = to.curve;
    this.mix.snap(0);
    this.mix.setTarget(1);
  }

  /** `process` while a glide runs: both fades, weighted frame by frame; a waiting edit starts on time. */
  private glide(block: readonly SampleBuffer[], start: number, frames: number): void {
    const total = this.totalFrames;
    for (let i = 0; i < frames; i++) {
      const n = start + i;
      let g: number;
      if (this.mix.moving) {
        const w = this.mix.next();
        g = (1 - w) * shapeGain(this.from, total, n) + w * shapeGain(this.shape, total, n);
        if (!this.mix.moving && this.pending) this.startGlide();
      } else g = shapeGain(this.shape, total, n);
      if (g === 1) continue;
      for (let ch = 0; ch < this.channels; ch++) {
        const x = block[ch]!;
        x[i] = x[i]! * g;
      }
    }
  }
}
