import { DspError } from "../errors";
import type { ProcessSpec, SampleBuffer } from "../processor";
import type { ChainProcessor } from "../processors/chainProcessor";
import { dbToGain } from "../units";
import { BypassDelay } from "./bypassDelay";
import type { ModulePlan } from "./modulePlan";
import { createProcessor } from "./processorRegistry";

interface Stage {
  readonly plan: ModulePlan;
  /** null for the loudness stage, a plain gain. */
  readonly processor: ChainProcessor<unknown> | null;
  readonly dry: BypassDelay;
  bypass: boolean;
}

/**
 * Runs a run of chain modules in order, in place, on blocks of any size: the code the render worker
 * runs offline and the browser preview runs in 128-frame blocks. A `loudness` module is a plain gain
 * whose value the caller sets (`setLoudnessGainDb`: measured offline, or taken from the server-side
 * analysis in the preview). `fade` and `output` are not processors: the offline master applies them
 * after latency compensation.
 *
 * Latency is the sum of the modules' latencies and stays fixed: a bypassed module still delays its
 * signal by its latency, so toggling bypass never shifts the timeline.
 */
export class ChainRenderer {
  readonly latencyFrames: number;
  private readonly stages: Stage[];
  private gain = 1;

  constructor(
    modules: readonly ModulePlan[],
    readonly spec: ProcessSpec,
  ) {
    this.stages = modules.map((plan) => {
      if (plan.type === "fade" || plan.type === "output") {
        throw new DspError(
          "INVALID_ARGUMENT",
          `module "${plan.id}" (${plan.type}) is a stage of the master, not of the renderer`,
        );
      }
      const processor = plan.type === "loudness" ? null : createProcessor(plan.type);
      if (processor) {
        processor.setParams(plan.params);
        processor.prepare(spec);
      }
      return {
        plan,
        processor,
        dry: new BypassDelay(processor?.latencyFrames ?? 0, spec.channels),
        bypass: plan.bypass,
      };
    });
    this.latencyFrames = this.stages.reduce((sum, s) => sum + s.dry.frames, 0);
  }

  /** Gain of the loudness stage (if the chain has one and it is not bypassed). */
  setLoudnessGainDb(db: number): void {
    this.gain = dbToGain(db);
  }

  /** Live edit of one module: new parameters and bypass, effective from the next sample. */
  update(plan: ModulePlan): void {
    const stage = this.stages.find((s) => s.plan.id === plan.id);
    if (!stage || stage.plan.type !== plan.type) {
      throw new DspError("INVALID_ARGUMENT", `no module "${plan.id}" of type ${plan.type} in this chain`);
    }
    stage.processor?.setParams(plan.params);
    if (stage.bypass !== plan.bypass) stage.dry.reset();
    stage.bypass = plan.bypass;
  }

  /** The module processors, for meters (gain reduction) in the preview. */
  processor(id: string): ChainProcessor<unknown> | null {
    return this.stages.find((s) => s.plan.id === id)?.processor ?? null;
  }

  process(block: readonly SampleBuffer[], frames: number): void {
    for (const s of this.stages) {
      if (s.processor === null) {
        if (!s.bypass && this.gain !== 1) applyGain(block, frames, this.gain);
      } else if (s.bypass) s.dry.process(block, frames);
      else s.processor.process(block, frames);
    }
  }

  reset(): void {
    for (const s of this.stages) {
      s.processor?.reset();
      s.dry.reset();
    }
  }
}

function applyGain(block: readonly SampleBuffer[], n: number, g: number): void {
  for (const x of block) for (let i = 0; i < n; i++) x[i] = x[i]! * g;
}
