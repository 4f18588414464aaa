import {
  ChainRenderer,
  DspError,
  dbToGain,
  type FadeParams,
  FadeProcessor,
  type ModulePlan,
  type ParamValue,
} from "@comaster/dsp";
import type { ChainLoad } from "./workletMessages";

/** Where a module lives in the preview chain, with its current plan (edits replace it). */
interface Slot {
  plan: ModulePlan;
  readonly renderer: ChainRenderer | null;
}

/**
 * The chain as the preview runs it, block by block, doing between input and output exactly what the
 * export (`master` in packages/dsp/src/chain/master.ts) does between the decoded file and a 32-bit
 * float WAV, with the loudness gain given instead of measured:
 * 1. the modules before the loudness module (a `ChainRenderer`, the class the worker runs);
 * 2. the loudness gain (`dbToGain`, one Float32 multiply per sample, as `master` does);
 * 3. the modules after it (a second `ChainRenderer`: the limiter and the rest);
 * 4. on the latency-aligned signal (programme frame = output frame − `latencyFrames`), the fade.
 * With `programmeFrames` known, the programme ends as in the export: the input is silent after it,
 * the post-loudness modules see silence after the pre-loudness stage's last frame (the export
 * renders the stages one after the other, padding each with zeros), and the output is cut after the
 * programme's last frame. The output module (resampling, dither) is the export's business: the
 * preview plays at the context's rate, in floating point.
 *
 * `process` works in place on planar blocks of at most `maxBlockFrames` and never allocates; `load`
 * (the constructor) and the edit methods may, and run between blocks.
 */
export class WorkletChain {
  readonly latencyFrames: number;
  private readonly pre: ChainRenderer;
  private readonly post: ChainRenderer;
  private readonly slots = new Map<string, Slot>();
  private readonly loudnessId: string | null;
  private loudnessOn: boolean;
  private gain: number;
  private readonly fade: FadeProcessor | null;
  private readonly fadeId: string | null;
  private fadeOn: boolean;
  private readonly scratch: Float32Array[];
  private readonly programmeFrames: number;
  /** Frames processed since the load or the last reset. */
  private frame = 0;

  constructor(
    load: ChainLoad,
    readonly sampleRate: number,
    readonly channels: number,
    readonly maxBlockFrames = 128,
  ) {
    const spec = { sampleRate, channels, maxBlockFrames };
    const processing = load.modules.filter((m) => m.type !== "fade" && m.type !== "output");
    // The export splits at the active loudness module; a bypassed one stays in place as a no-op
    // stage, so the split at the first loudness module gives the same samples and lets the
    // preview toggle it live.
    const li = processing.findIndex((m) => m.type === "loudness");
    this.pre = new ChainRenderer(li >= 0 ? processing.slice(0, li) : [], spec);
    this.post = new ChainRenderer(li >= 0 ? processing.slice(li + 1) : processing, spec);
    this.latencyFrames = this.pre.latencyFrames + this.post.latencyFrames;
    for (const [i, plan] of processing.entries()) {
      this.slots.set(plan.id, { plan, renderer: i === li ? null : i < li ? this.pre : this.post });
    }
    this.loudnessId = li >= 0 ? processing[li]!.id : null;
    this.loudnessOn = li >= 0 && !processing[li]!.bypass;
    this.gain = dbToGain(load.loudnessGainDb);

    const fade = load.modules.find((m) => m.type === "fade");
    this.fadeId = fade?.id ?? null;
    this.fadeOn = fade !== undefined && !fade.bypass;
    this.programmeFrames = load.programmeFrames ?? Number.POSITIVE_INFINITY;
    if (fade) {
      this.fade = new FadeProcessor();
      this.fade.setParams(fade.params as unknown as FadeParams);
      if (load.programmeFrames !== undefined) this.fade.setTimeline({ totalFrames: load.programmeFrames });
      this.fade.prepare(spec);
      this.slots.set(fade.id, { plan: fade, renderer: null });
    } else this.fade = null;
    for (const m of load.modules) if (m.type === "output") this.slots.set(m.id, { plan: m, renderer: null });
    this.scratch = Array.from({ length: channels }, () => new Float32Array(maxBlockFrames));
  }

  /**
   * Renders `n` frames: `input` (fewer channels than `channels`, or none, reads as silence) into
   * `output`, which may be the same arrays.
   */
  process(input: readonly Float32Array[], output: readonly Float32Array[], n: number): void {
    const start = this.frame;
    const end = this.programmeFrames;
    for (let c = 0; c < this.channels; c++) {
      const x = input[c];
      const y = output[c]!;
      if (x === undefined) y.fill(0, 0, n);
      else if (x !== y) y.set(x.length === n ? x : x.subarray(0, n));
    }
    if (start + n > end) silenceFrom(output, Math.max(0, end - start), n);

    this.pre.process(output, n);
    if (this.loudnessOn) {
      const g = this.gain;
      if (g !== 1) {
        for (let c = 0; c < this.channels; c++) {
          const y = output[c]!;
          for (let i = 0; i < n; i++) y[i] = y[i]! * g;
        }
      }
      const postEnd = end + this.pre.latencyFrames;
      if (start + n > postEnd) silenceFrom(output, Math.max(0, postEnd - start), n);
    }
    this.post.process(output, n);

    // The fade and the cut work on the programme's timeline: output frame − latency.
    const first = start - this.latencyFrames;
    if (this.fade && this.fadeOn && first + n > 0) {
      const skip = Math.max(0, -first);
      this.fade.setPosition(first + skip);
      if (skip === 0) this.fade.process(output, n);
      else this.fadeTail(output, skip, n);
    }
    if (first + n > end) silenceFrom(output, Math.max(0, end - first), n);
    this.frame = start + n;
  }

  /** A live parameter edit, effective from the next block. Throws DspError for an unknown module or key. */
  setParam(moduleId: string, key: string, value: ParamValue): void {
    const slot = this.slot(moduleId);
    if (!Object.hasOwn(slot.plan.params, key)) {
      throw new DspError("INVALID_ARGUMENT", `module "${moduleId}" (${slot.plan.type}) has no parameter "${key}"`);
    }
    this.apply(slot, { ...slot.plan, params: { ...slot.plan.params, [key]: value } });
  }

  setBypass(moduleId: string, bypass: boolean): void {
    const slot = this.slot(moduleId);
    this.apply(slot, { ...slot.plan, bypass });
  }

  /** The loudness module's gain, dB (from the server-side analysis, as the export applies it). */
  setLoudnessGainDb(db: number): void {
    if (!Number.isFinite(db)) throw new DspError("INVALID_ARGUMENT", `loudness gain must be finite, got ${db}`);
    this.gain = dbToGain(db);
  }

  /** Clears every processor's state; the programme starts again at frame 0. */
  reset(): void {
    this.pre.reset();
    this.post.reset();
    this.fade?.reset();
    this.frame = 0;
  }

  private slot(moduleId: string): Slot {
    const slot = this.slots.get(moduleId);
    if (!slot) throw new DspError("INVALID_ARGUMENT", `no module "${moduleId}" in this chain`);
    return slot;
  }

  private apply(slot: Slot, plan: ModulePlan): void {
    if (slot.renderer) slot.renderer.update(plan);
    else if (plan.id === this.loudnessId) this.loudnessOn = !plan.bypass;
    else if (plan.id === this.fadeId) {
      this.fade!.setParams(plan.params as unknown as FadeParams);
      this.fadeOn = !plan.bypass;
    }
    slot.plan = plan;
  }

  /** The fade on frames `skip … n` of the block: the programme starts inside it. */
  private fadeTail(block: readonly Float32Array[], skip: number, n: number): void {
    const m = n - skip;
    for (let c = 0; c < this.channels; c++) this.scratch[c]!.set(block[c]!.subarray(skip, n));
    this.fade!.process(this.scratch, m);
    for (let c = 0; c < this.channels; c++) block[c]!.set(this.scratch[c]!.subarray(0, m), skip);
  }
}

function silenceFrom(block: readonly Float32Array[], from: number, n: number): void {
  for (let c = 0; c < block.length; c++) block[c]!.fill(0, from, n);
}
