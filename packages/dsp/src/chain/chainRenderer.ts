import { DspError } from "../errors";
import type { ProcessSpec, SampleBuffer } from "../processor";
import type { ChainProcessor } from "../processors/chainProcessor";
import { LoudnessGain } from "./loudnessGain";
import type { ModulePlan } from "./modulePlan";
import { ModuleStage, stageScratch } from "./moduleStage";
import { createProcessor } from "./processorRegistry";

interface Stage {
  readonly id: string;
  readonly type: string;
  /** A processor module; null for the loudness stage. */
  readonly module: ModuleStage | null;
  /** The loudness stage, a plain gain; null for a processor module. */
  readonly loudness: LoudnessGain | null;
}

/**
 * Runs a run of chain modules in order, in place, on blocks of any size: the code the render worker
 * runs offline and the browser preview runs in 128-frame blocks. A `loudness` module is a plain gain
 * whose value the caller sets (`setLoudnessGainDb`: measured offline, or taken from the server-side
 * analysis in the preview). `fade` and `output` are not processors: the offline master applies them
 * after latency compensation.
 *
 * Live edits do not click: parameters glide in the processors (chainProcessor.ts), a toggle of
 * bypass crossfades between the module's dry and processed signals (moduleStage.ts), and the
 * loudness gain glides (loudnessGain.ts), all over GLIDE_SECONDS and per sample, so the output
 * does not depend on the block size. Before the first frame, and after `reset`, bypass and loudness
 * gain apply at once: a render with fixed settings (the export) is exactly what it was without
 * smoothing.
 *
 * Latency is the sum of the modules' latencies and stays fixed: a bypassed module still delays its
 * signal by its latency, so toggling bypass never shifts the timeline.
 */
export class ChainRenderer {
  readonly latencyFrames: number;
  private readonly stages: Stage[];

  constructor(
    modules: readonly ModulePlan[],
    readonly spec: ProcessSpec,
  ) {
    const scratch = stageScratch(spec);
    this.stages = modules.map((plan) => {
      if (plan.type === "fade" || plan.type === "output") {
        throw new DspError(
          "INVALID_ARGUMENT",
          `module "${plan.id}" (${plan.type}) is a stage of the master, not of the renderer`,
        );
      }
      if (plan.type === "loudness") {
        return { id: plan.id, type: plan.type, module: null, loudness: new LoudnessGain(spec.sampleRate, plan.bypass) };
      }
      const processor = createProcessor(plan.type);
      processor.setParams(plan.params);
      processor.prepare(spec);
      return {
        id: plan.id,
        type: plan.type,
        module: new ModuleStage(processor, plan.bypass, spec, scratch),
        loudness: null,
      };
    });
    this.latencyFrames = this.stages.reduce((sum, s) => sum + (s.module?.latencyFrames ?? 0), 0);
  }

  /** Gain of the loudness stage (if the chain has one and it is not bypassed); glides once playing. */
  setLoudnessGainDb(db: number): void {
    for (const s of this.stages) s.loudness?.setGainDb(db);
  }

  /** Live edit of one module: new parameters and bypass, from the next sample (gliding, see above). */
  update(plan: ModulePlan): void {
    const stage = this.stages.find((s) => s.id === plan.id);
    if (!stage || stage.type !== plan.type) {
      throw new DspError("INVALID_ARGUMENT", `no module "${plan.id}" of type ${plan.type} in this chain`);
    }
    if (stage.module) {
      stage.module.processor.setParams(plan.params);
      stage.module.setBypass(plan.bypass);
    } else stage.loudness!.setBypass(plan.bypass);
  }

  /** The module processors, for meters (gain reduction) in the preview. */
  processor(id: string): ChainProcessor<unknown> | null {
    return this.stages.find((s) => s.id === id)?.module?.processor ?? null;
  }

  process(block: readonly SampleBuffer[], frames: number): void {
    if (frames > this.spec.maxBlockFrames) {
      throw new DspError(
        "INVALID_ARGUMENT",
        `block of ${frames} frames, more than maxBlockFrames=${this.spec.maxBlockFrames}`,
      );
    }
    for (const s of this.stages) {
      if (s.module) s.module.process(block, frames);
      else s.loudness!.process(block, frames);
    }
  }

  /** Clears every module's state; glides under way land at once. */
  reset(): void {
    for (const s of this.stages) {
      s.module?.reset();
      s.loudness?.reset();
    }
  }
}
