import type { Processor, ProcessSpec } from "../processor";

/**
 * A module of the mastering chain as the DSP sees it: the processor contract plus parameters and
 * latency. Parameter objects are plain values whose keys match the chain document's parameter specs
 * (packages/chain): enums arrive as their string values, booleans as booleans.
 *
 * Rules every implementation keeps (tests check them):
 * - `process` works IN PLACE on `block` (planar, one array per channel) and never allocates.
 * - Block-size invariance: splitting the same input into blocks of 1, 128 or 8192 frames gives
 *   bit-identical output. Nothing may depend on where a block starts (no per-block coefficient
 *   updates, no per-block envelope steps); state advances per sample.
 * - `latencyFrames` is the delay the module adds (lookahead, linear-phase filters); the renderer
 *   compensates it. It is fixed after `prepare` (it must not change with parameters).
 * - `setParams` may be called between blocks (the live preview); it must not allocate in steady
 *   state and takes effect from the next sample. It is also called once before `prepare`, and then
 *   applies at once (an export's static parameters render exactly as set).
 * - Live edits do not click (paramRamp.ts): after `prepare`, a new value glides, or a new filter
 *   structure crossfades, over GLIDE_SECONDS, starting at the next sample or, for filters that
 *   redesign coefficients in steps, at the next tick of GLIDE_TICK_FRAMES of the processor's own
 *   frame counter. Block-size invariance holds with edits too: the same edits at the same sample
 *   positions give the same output whatever the block size. `reset` lands every glide at once.
 *   The limiter's ceiling glides too, for the samples entering it: a lowered ceiling holds at every
 *   output sample from latencyFrames + GLIDE_SECONDS after the edit on (limiter.ts).
 * - Bypass is not the processor's business: the renderer crossfades between a module's dry and
 *   processed signals (chain/moduleStage.ts), and calls `reset` before a module it un-bypasses.
 * - Channel count is 1 or 2 (mono/stereo); mid/side features treat mono as mid only.
 */
export interface ChainProcessor<P> extends Processor {
  setParams(params: P): void;
  readonly latencyFrames: number;
}

/** Where the render stands in the programme, for processors that depend on it (fades). */
export interface Timeline {
  /** Total frames of the programme at the processor's input. */
  readonly totalFrames: number;
}

export type { ProcessSpec };
