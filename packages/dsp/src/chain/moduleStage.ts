import type { ProcessSpec, SampleBuffer } from "../processor";
import type { ChainProcessor } from "../processors/chainProcessor";
import { GLIDE_SECONDS, ParamRamp } from "../processors/paramRamp";
import { BypassDelay } from "./bypassDelay";

/** Work buffers the stages of one renderer share (they run one after the other). */
export interface StageScratch {
  /** The dry signal during a crossfade, one array of maxBlockFrames per channel. */
  readonly dry: readonly Float64Array[];
  /** The crossfade's weights, maxBlockFrames long. */
  readonly weights: Float64Array;
}

export function stageScratch(spec: ProcessSpec): StageScratch {
  return {
    dry: Array.from({ length: spec.channels }, () => new Float64Array(spec.maxBlockFrames)),
    weights: new Float64Array(spec.maxBlockFrames),
  };
}

/**
 * A processor module of the chain with its bypass switch. Toggling bypass while audio plays does not
 * click: the output crossfades over GLIDE_SECONDS, with equal gains (w and 1 − w, w linear per
 * sample: dry and processed are mostly the same signal), between the module's dry signal (its input
 * delayed by its latency, so the timeline never shifts) and its processed signal.
 * - Bypass: the processor keeps running while it fades out, then stops; a bypassed module costs a
 *   delay line.
 * - Un-bypass: the processor starts from `reset()` (no state left over from before the bypass), its
 *   input fading in over GLIDE_SECONDS (an abrupt onset would ring through filters and reverb tails:
 *   a click, heard once the output fades over). The output stays dry during that fade and the
 *   processor's latency, then fades to the processed signal: fully on after latency + 2·GLIDE_SECONDS.
 *   Un-bypassing during a fade out turns the fade round (the processor is still running); bypassing
 *   while the processor warms up stops it at once (nothing of it was heard).
 * The delay line is fed every frame, bypassed or not, so the dry signal is always ready.
 *
 * Everything advances per sample, so the same toggles at the same frames give the same output
 * whatever the block size. A toggle before the first frame (and after `reset`) switches at once, and
 * a stage that is not crossfading computes exactly what the processor alone, or the delay alone,
 * computes: a render with fixed bypass flags (the export) is unchanged. Nothing here allocates after
 * the constructor.
 */
export class ModuleStage {
  readonly latencyFrames: number;
  private readonly dry: BypassDelay;
  /** Weight of the processed signal: 1 on, 0 bypassed. */
  private readonly mix = new ParamRamp(1);
  /** Gain of the processor's input while it warms up after an un-bypass (1 otherwise). */
  private readonly onset = new ParamRamp(1);
  private readonly glideFrames: number;
  /** The processor runs: on, fading, or warming up after an un-bypass. */
  private running: boolean;
  /** Frames of dry output left before the fade in starts (after an un-bypass: onset glide + latency). */
  private warmup = 0;
  private bypass: boolean;
  /** Frames were processed since construction or `reset` (a toggle then crossfades). */
  private started = false;

  constructor(
    readonly processor: ChainProcessor<unknown>,
    bypass: boolean,
    spec: ProcessSpec,
    private readonly scratch: StageScratch,
  ) {
    this.latencyFrames = processor.latencyFrames;
    this.dry = new BypassDelay(this.latencyFrames, spec.channels);
    this.glideFrames = Math.max(1, Math.round(GLIDE_SECONDS * spec.sampleRate));
    this.mix.setRampFrames(this.glideFrames);
    this.onset.setRampFrames(this.glideFrames);
    this.bypass = bypass;
    this.running = !bypass;
    this.mix.snap(bypass ? 0 : 1);
  }

  get bypassed(): boolean {
    return this.bypass;
  }

  /** Bypasses the module, or brings it back, from the next frame. */
  setBypass(bypass: boolean): void {
    if (bypass === this.bypass) return;
    this.bypass = bypass;
    if (!this.started) this.land();
    else if (bypass) {
      if (this.warmup > 0) {
        this.warmup = 0;
        this.onset.snap(1);
        this.running = false;
      } else this.mix.setTarget(0);
    } else if (this.mix.current > 0) {
      this.mix.setTarget(1);
    } else {
      this.processor.reset();
      this.running = true;
      this.onset.snap(0);
      this.onset.setTarget(1);
      this.warmup = this.glideFrames + this.latencyFrames;
    }
  }

  process(block: readonly SampleBuffer[], n: number): void {
    if (n > 0) this.started = true;
    if (!this.running) {
      this.dry.process(block, n);
      return;
    }
    if (this.warmup === 0 && !this.mix.moving && this.mix.current === 1) {
      this.dry.push(block, n);
      this.processor.process(block, n);
      return;
    }
    this.crossfade(block, n);
  }

  /** Clears the processor and the delay line; a crossfade under way lands at once. */
  reset(): void {
    this.processor.reset();
    this.dry.reset();
    this.land();
    this.started = false;
  }

  private land(): void {
    this.mix.snap(this.bypass ? 0 : 1);
    this.onset.snap(1);
    this.warmup = 0;
    this.running = !this.bypass;
  }

  /** Both paths, mixed frame by frame: dry during the warm-up, then w·processed + (1 − w)·dry. */
  private crossfade(block: readonly SampleBuffer[], n: number): void {
    const dry = this.scratch.dry;
    const w = this.scratch.weights;
    for (let c = 0; c < block.length; c++) {
      const x = block[c]!;
      const d = dry[c]!;
      for (let i = 0; i < n; i++) d[i] = x[i]!;
    }
    this.dry.process(dry, n);
    if (this.onset.moving) {
      this.onset.fill(w, n);
      for (let c = 0; c < block.length; c++) {
        const x = block[c]!;
        for (let i = 0; i < n; i++) x[i] = x[i]! * w[i]!;
      }
    }
    this.processor.process(block, n);
    const warm = Math.min(this.warmup, n);
    if (warm > 0) {
      for (let c = 0; c < block.length; c++) {
        const x = block[c]!;
        const d = dry[c]!;
        for (let i = 0; i < warm; i++) x[i] = d[i]!;
      }
      this.warmup -= warm;
      // The processor's output is valid from here: fade it in (warm-up only runs when not bypassed).
      if (this.warmup === 0) this.mix.setTarget(1);
    }
    this.mix.fill(w, n - warm);
    for (let c = 0; c < block.length; c++) {
      const x = block[c]!;
      const d = dry[c]!;
      for (let i = warm; i < n; i++) {
        const g = w[i - warm]!;
        x[i] = x[i]! * g + d[i]! * (1 - g);
      }
    }
    if (this.bypass && !this.mix.moving && this.mix.current === 0) this.running = false;
  }
}
