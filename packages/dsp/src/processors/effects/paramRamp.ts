/**
 * A parameter that glides linearly to a new target over a fixed number of samples, so live edits do
 * not click. State advances per sample (block-size invariant) and reaches the target EXACTLY (the
 * last step assigns it), so a settled ramp returns the same number every sample.
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

  /** Glide length in samples (≥ 1); applies to the next `setTarget`. */
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
