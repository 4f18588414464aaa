import { GLIDE_TICK_FRAMES, glideTicks, ParamRamp } from "../paramRamp";
import { advanceCoefs, runSection, runSectionGliding, SECTION_COEFS, SECTION_STATE } from "./section";

/**
 * A cascade of second-order sections (one EQ band, the subsonic filter's Butterworth cascade) that
 * takes live edits without clicks, for up to `chains` signals (channels, or mid and side) that share
 * its coefficients:
 * - a new design of the same structure GLIDES: the owner designs into `next` at a tick and calls
 *   `glide()`; over the next GLIDE_TICK_FRAMES samples the coefficients move linearly to it (the
 *   owner's parameters step once per tick, so the filter sweeps through the designs in between);
 * - a new structure (another filter type or slope, the band switched on or off, other chains)
 *   CROSSFADES: `beginSwitch` keeps the old sections running with their state, the owner designs the
 *   new ones into `coefs`, and the output goes from old(x) to new(x) linearly over GLIDE_SECONDS.
 * While a glide or a crossfade runs (`busy`) the owner calls, per run of at most GLIDE_TICK_FRAMES
 * frames between two ticks: `beginRun(n)`, `run(chain, …)` for every chain, `endRun(n)`; and
 * `tick()` on every tick. Settled, `run` is exactly `runSection` over the sections, so static
 * parameters give the same output as a plain cascade. Allocates in the constructor only.
 */
export class GlidingCascade {
  /** The current sections (while settled or gliding), or the new ones (while switching). */
  readonly coefs: Float64Array;
  /** Where a glide goes: the owner designs into it, then calls `glide()`. */
  readonly next: Float64Array;
  /** Sections of the current structure (0: the identity). */
  sections = 0;
  /** Bit c set: the cascade filters chain c (−1: every chain). */
  chainMask = 0;
  private readonly maxSections: number;
  private readonly delta: Float64Array;
  private readonly state: Float64Array;
  private readonly oldCoefs: Float64Array;
  private readonly oldState: Float64Array;
  private oldSections = 0;
  private oldMask = 0;
  private gliding = false;
  private fading = false;
  private readonly fade = new ParamRamp(0);
  private readonly weights = new Float64Array(GLIDE_TICK_FRAMES);
  private readonly dry = new Float64Array(GLIDE_TICK_FRAMES);

  constructor(maxSections: number, chains: number) {
    this.maxSections = maxSections;
    this.coefs = new Float64Array(maxSections * SECTION_COEFS);
    this.next = new Float64Array(maxSections * SECTION_COEFS);
    this.delta = new Float64Array(maxSections * SECTION_COEFS);
    this.oldCoefs = new Float64Array(maxSections * SECTION_COEFS);
    this.state = new Float64Array(chains * maxSections * SECTION_STATE);
    this.oldState = new Float64Array(chains * maxSections * SECTION_STATE);
  }

  /** The crossfade length follows the sample rate. */
  prepare(sampleRate: number): void {
    this.fade.setRampFrames(glideTicks(sampleRate) * GLIDE_TICK_FRAMES);
  }

  /** Sets the structure at once, with zero state (prepare, reset); the owner designs `coefs`. */
  set(sections: number, chainMask: number): void {
    this.sections = sections;
    this.chainMask = sections > 0 ? chainMask : 0;
    this.gliding = false;
    this.fading = false;
    this.fade.snap(0);
    this.state.fill(0);
    this.oldState.fill(0);
  }

  /** A glide or a crossfade is running. */
  get busy(): boolean {
    return this.gliding || this.fading;
  }

  /** A crossfade is running (a new switch waits for it to end). */
  get switching(): boolean {
    return this.fading;
  }

  /** On a tick: a glide lands exactly on `next`; a finished crossfade ends. */
  tick(): void {
    if (this.gliding) {
      this.coefs.set(this.next);
      this.gliding = false;
    }
    if (this.fading && !this.fade.moving) this.fading = false;
  }

  /** On a tick, after designing `next`: glide there over the coming GLIDE_TICK_FRAMES samples. */
  glide(): void {
    const n = this.sections * SECTION_COEFS;
    for (let i = 0; i < n; i++) this.delta[i] = (this.next[i]! - this.coefs[i]!) / GLIDE_TICK_FRAMES;
    this.gliding = true;
  }

  /**
   * On a tick, not while switching: crossfades to a structure of `sections` sections acting on
   * `chainMask`; the owner then designs `coefs`. With `keepState`, chains filtered before and after
   * start from the old state (the same filter type: a smaller transient to fade in); others from 0.
   */
  beginSwitch(sections: number, chainMask: number, keepState: boolean): void {
    this.oldCoefs.set(this.coefs);
    this.oldState.set(this.state);
    this.oldSections = this.sections;
    this.oldMask = this.chainMask;
    const mask = sections > 0 ? chainMask : 0;
    const kept = keepState && sections === this.sections ? mask & this.chainMask : 0;
    const per = this.maxSections * SECTION_STATE;
    for (let c = 0; c * per < this.state.length; c++)
      if ((kept & (1 << c)) === 0) this.state.fill(0, c * per, (c + 1) * per);
    this.sections = sections;
    this.chainMask = mask;
    this.gliding = false;
    this.fading = true;
    this.fade.snap(0);
    this.fade.setTarget(1);
  }

  /** Before the chains of a run of `frames` frames (≤ GLIDE_TICK_FRAMES while busy). */
  beginRun(frames: number): void {
    if (this.fading) this.fade.fill(this.weights, frames);
  }

  /** Filters `buf[0…frames)` of chain `chain` in place. */
  run(chain: number, buf: Float64Array, frames: number): void {
    const bit = 1 << chain;
    const newOn = (this.chainMask & bit) !== 0;
    const si = chain * this.maxSections * SECTION_STATE;
    if (!this.fading) {
      if (newOn) this.runNew(buf, frames, si);
      return;
    }
    const oldOn = (this.oldMask & bit) !== 0;
    if (!(oldOn || newOn)) return;
    const dry = this.dry;
    for (let i = 0; i < frames; i++) dry[i] = buf[i]!;
    if (oldOn) {
      for (let s = 0; s < this.oldSections; s++) {
        runSection(dry, frames, this.oldCoefs, s * SECTION_COEFS, this.oldState, si + s * SECTION_STATE);
      }
    }
    if (newOn) this.runNew(buf, frames, si);
    const w = this.weights;
    for (let i = 0; i < frames; i++) buf[i] = (1 - w[i]!) * dry[i]! + w[i]! * buf[i]!;
  }

  /** After every chain of the run: the glide's coefficient steps. */
  endRun(frames: number): void {
    if (!this.gliding) return;
    for (let s = 0; s < this.sections; s++) advanceCoefs(this.coefs, s * SECTION_COEFS, this.delta, frames);
  }

  private runNew(buf: Float64Array, frames: number, si: number): void {
    for (let s = 0; s < this.sections; s++) {
      const ci = s * SECTION_COEFS;
      if (this.gliding) runSectionGliding(buf, frames, this.coefs, ci, this.delta, this.state, si + s * SECTION_STATE);
      else runSection(buf, frames, this.coefs, ci, this.state, si + s * SECTION_STATE);
    }
  }

  /** Clears the filter state (the structure and coefficients stay). */
  reset(): void {
    this.state.fill(0);
    this.oldState.fill(0);
  }
}
