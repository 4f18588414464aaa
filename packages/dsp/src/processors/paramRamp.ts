/*
 * Smoothing of live parameter edits, shared by the processors: the preview calls `setParams` between
 * 128-frame blocks while audio plays, and a parameter that jumps makes a click. Every glide here
 * advances per sample or per tick of the processor's own frame counter, never per block, so the
 * output does not depend on how the audio is split into blocks (the processor contract); and a
 * `setParams` before `prepare` (the export's only call) sets the value at once, so a render with
 * static parameters is exactly what it was without smoothing.
 */

/** How long a parameter glides, and how long a switch between two filter structures crossfades. */
export const GLIDE_SECONDS = 0.02;

/**
 * Filters whose coefficients are costly to design glide in ticks: their parameters step once every
 * GLIDE_TICK_FRAMES frames, counted from the processor's frame counter (not from block starts), and
 * the coefficients are interpolated linearly in between (section.ts `runSectionGliding`).
 */
export const GLIDE_TICK_FRAMES = 32;

/** A glide of GLIDE_SECONDS in whole ticks at `sampleRate` (at least 1). */
export function glideTicks(sampleRate: number): number {
  return Math.max(1, Math.round((GLIDE_SECONDS * sampleRate) / GLIDE_TICK_FRAMES));
}

/** Frames from frame `time` to the next tick (GLIDE_TICK_FRAMES when `time` is on a tick). */
export function framesToTick(time: number): number {
  return GLIDE_TICK_FRAMES - (time % GLIDE_TICK_FRAMES);
}

/**
 * A parameter that glides linearly to a new target over a fixed number of steps (samples, or ticks),
 * so live edits do not click. State advances per step (block-size invariant) and reaches the target
 * EXACTLY (the last step assigns it), so a settled ramp returns the same number every step.
 */
export class ParamRamp {
  private value: number;
  private target: number;
  private step = 0;
  private remaining = 0;
  private rampFrames = 1;

  constructor(initial: number) {
    this.value = initial;
    this.target = initial;
  }

  /** Glide length in steps (≥ 1); applies to the next `setTarget`. */
  setRampFrames(frames: number): void {
    this.rampFrames = Math.max(1, Math.round(frames));
  }

  /** Glides to `target` (jumps when `immediate`). */
  setTarget(target: number, immediate = false): void {
    if (immediate) {
      this.snap(target);
      return;
    }
    if (target === this.target) return;
    this.target = target;
    this.remaining = this.rampFrames;
    this.step = (target - this.value) / this.rampFrames;
  }

  /** Jumps to `target` (or the current target). */
  snap(target: number = this.target): void {
    this.target = target;
    this.value = target;
    this.remaining = 0;
  }

  /** True while the value is still moving. */
  get moving(): boolean {
    return this.remaining > 0;
  }

  get current(): number {
    return this.value;
  }

  get targetValue(): number {
    return this.target;
  }

  /** Advances one step and returns the new value (the same arithmetic as `fill`). */
  next(): number {
    if (this.remaining > 0) {
      this.remaining--;
      this.value = this.remaining === 0 ? this.target : this.value + this.step;
    }
    return this.value;
  }

  /** Writes the next `frames` values into `out` and advances. */
  fill(out: Float64Array, frames: number): void {
    let v = this.value;
    let r = this.remaining;
    const step = this.step;
    for (let i = 0; i < frames; i++) {
      if (r > 0) {
        r--;
        v = r === 0 ? this.target : v + step;
      }
      out[i] = v;
    }
    this.value = v;
    this.remaining = r;
  }
}
