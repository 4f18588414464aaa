import type { SampleBuffer } from "../processor";
import { framesToTick, GLIDE_TICK_FRAMES } from "./paramRamp";

/** A processor's kernel on frames [off, off + frames) of `block`, with its parameters as they stand. */
export type GlideRun = (block: readonly SampleBuffer[], off: number, frames: number) => void;

/**
 * The frame counter of a processor whose parameters glide in ticks (paramRamp.ts): while `active`,
 * runs end on every tick and `tick` is called there. The processor binds `tick` and `run` once (no
 * allocation in process), sets `active` on an edit and in `tick`, and stages its input in `run`.
 */
export class GlideClock {
  /** Frames processed since prepare or reset: ticks fall on its multiples of GLIDE_TICK_FRAMES. */
  time = 0;
  active = false;

  constructor(
    private readonly tick: () => void,
    private readonly run: GlideRun,
  ) {}

  /** Runs `frames` frames of `block`, in runs of at most `maxRun` frames, ticking on the way. */
  process(block: readonly SampleBuffer[], frames: number, maxRun: number): void {
    for (let off = 0; off < frames; ) {
      if (this.active && this.time % GLIDE_TICK_FRAMES === 0) this.tick();
      let n = Math.min(maxRun, frames - off);
      if (this.active) n = Math.min(n, framesToTick(this.time));
      this.run(block, off, n);
      off += n;
      this.time += n;
    }
  }

  /** Back to frame 0, nothing gliding. */
  reset(): void {
    this.time = 0;
    this.active = false;
  }
}
