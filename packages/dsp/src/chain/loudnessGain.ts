import { DspError } from "../errors";
import type { SampleBuffer } from "../processor";
import { GLIDE_SECONDS, ParamRamp } from "../processors/paramRamp";
import { dbToGain } from "../units";

/**
 * The `loudness` module: one gain, the one that brings the programme to its loudness target (measured
 * offline by `master`, taken from the server-side analysis in the preview), with its bypass switch.
 * While audio plays, a new gain (the preview's chain changed its target) or a toggle of bypass glides
 * linearly over GLIDE_SECONDS, per sample, so it does not click and the output does not depend on the
 * block size. Before the first frame (and after `reset`) a change applies at once: a render with a
 * fixed gain is one multiplication per sample, x·dbToGain(db), as `master` applies it. Allocates
 * nothing.
 */
export class LoudnessGain {
  private readonly ramp = new ParamRamp(1);
  private gain = 1;
  private bypass: boolean;
  private started = false;

  constructor(sampleRate: number, bypass = false) {
    this.ramp.setRampFrames(GLIDE_SECONDS * sampleRate);
    this.bypass = bypass;
  }

  /** The gain when not bypassed, dB (finite). */
  setGainDb(db: number): void {
    if (!Number.isFinite(db)) throw new DspError("INVALID_ARGUMENT", `loudness gain must be finite, got ${db}`);
    this.gain = dbToGain(db);
    this.retarget();
  }

  setBypass(bypass: boolean): void {
    this.bypass = bypass;
    this.retarget();
  }

  /** The gain applied to the next frame (1 when bypassed; between two values while gliding). */
  get current(): number {
    return this.ramp.current;
  }

  process(block: readonly SampleBuffer[], n: number): void {
    if (n > 0) this.started = true;
    const ramp = this.ramp;
    if (!ramp.moving) {
      const g = ramp.current;
      if (g === 1) return;
      for (let c = 0; c < block.length; c++) {
        const x = block[c]!;
        for (let i = 0; i < n; i++) x[i] = x[i]! * g;
      }
      return;
    }
    // One gain per frame for every channel; a glide that ends inside the block leaves the rest of it
    // exactly as the settled gain above would.
    for (let i = 0; i < n; i++) {
      const g = ramp.next();
      for (let c = 0; c < block.length; c++) block[c]![i] = block[c]![i]! * g;
    }
  }

  /** Lands a glide under way; the next change before a frame applies at once. */
  reset(): void {
    this.ramp.snap();
    this.started = false;
  }

  private retarget(): void {
    this.ramp.setTarget(this.bypass ? 1 : this.gain, !this.started);
  }
}
