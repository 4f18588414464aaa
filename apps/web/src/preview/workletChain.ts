import {
  ChainRenderer,
  DspError,
  dbToGain,
  type FadeParams,
  FadeProcessor,
  type ModulePlan,
  type ParamValue,
} from "@comaster/dsp";
import { ProgrammeClock } from "./programmeClock";
import type { ChainLoad } from "./workletMessages";

/** Where a module lives in the preview chain, with its current plan (edits replace it). */
interface Slot {
  plan: ModulePlan;
  readonly renderer: ChainRenderer | null;
}

/** A dynamics processor of packages/dsp (compressor, multiband, de-esser, limiter) as a meter sees it. */
interface GainReducer {
  readonly gainReductionDb: number;
}

/** A module whose gain reduction the preview shows. */
interface Metered {
  readonly slot: Slot;
  readonly processor: GainReducer;
}

function isGainReducer(p: unknown): p is GainReducer {
  return (
    typeof p === "object" && p !== null && typeof (p as { gainReductionDb?: unknown }).gainReductionDb === "number"
  );
}

/**
 * The chain as the preview runs it, block by block, doing between input and output exactly what the
 * export (`master` in packages/dsp/src/chain/master.ts) does between the decoded file and a 32-bit
 * float WAV, with the loudness gain given instead of measured:
 * 1. the modules before the loudness module (a `ChainRenderer`, the class the worker runs);
 * 2. the loudness gain (`dbToGain`, one Float32 multiply per sample, as `master` does);
 * 3. the modules after it (a second `ChainRenderer`: the limiter and the rest);
 * 4. on the latency-aligned signal (output frame − `latencyFrames`), the fade.
 * With `programmeFrames` known, the programme ends as in the export: the input is silent after it,
 * the post-loudness modules see silence after the pre-loudness stage's last frame (the export
 * renders the stages one after the other, padding each with zeros), and the output is cut after the
 * programme's last frame. The output module (resampling, dither) is the export's business: the
 * preview plays at the context's rate, in floating point.
 *
 * Programme time: input frame n (counted from the load) is programme frame n until `setPosition`
 * says otherwise (a seek, a loop); a `ProgrammeClock` keeps the map, and each of the steps above
 * reads it at its own delay (the fade at the output's, `latencyFrames` behind the input), so the
 * audio still in the chain at a seek ends with the fade of where it came from.
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
  private readonly clock = new ProgrammeClock();
  private readonly metered: Metered[] = [];
  /** Ids of the modules that report gain reduction (compressor, multiband, de-esser, limiter), in chain order. */
  readonly meteredIds: readonly string[];
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
    for (const plan of processing) {
      const slot = this.slots.get(plan.id)!;
      const processor = slot.renderer?.processor(plan.id);
      if (isGainReducer(processor)) this.metered.push({ slot, processor });
    }
    this.meteredIds = this.metered.map((m) => m.slot.plan.id);
  }

  /**
   * Renders `n` frames: `input` (fewer channels than `channels`, or none, reads as silence) into
   * `output`, which may be the same arrays.
   */
  process(input: readonly Float32Array[], output: readonly Float32Array[], n: number): void {
    const start = this.frame;
    for (let c = 0; c < this.channels; c++) {
      const x = input[c];
      const y = output[c]!;
      if (x === undefined) y.fill(0, 0, n);
      else if (x !== y) y.set(x.length === n ? x : x.subarray(0, n));
    }
    this.silenceAfterEnd(output, start, n);

    this.pre.process(output, n);
    if (this.loudnessOn) {
      const g = this.gain;
      if (g !== 1) {
        for (let c = 0; c < this.channels; c++) {
          const y = output[c]!;
          for (let i = 0; i < n; i++) y[i] = y[i]! * g;
        }
      }
      this.silenceAfterEnd(output, start - this.pre.latencyFrames, n);
    }
    this.post.process(output, n);

    // The fade and the cut work on the programme's timeline, `latencyFrames` behind the input.
    const first = start - this.latencyFrames;
    if (this.fade && this.fadeOn) this.applyFade(output, first, n);
    this.silenceAfterEnd(output, first, n);
    this.frame = start + n;
    this.clock.forget(this.frame - this.latencyFrames);
  }

  /**
   * The programme is at frame `frame` from input frame `offset` of the next block on (a seek, a
   * loop's return, a new chain taking over mid-song). Frames already in the chain keep theirs.
   */
  setPosition(frame: number, offset = 0): void {
    if (!Number.isSafeInteger(frame) || frame < 0 || !Number.isSafeInteger(offset) || offset < 0) {
      throw new DspError("INVALID_ARGUMENT", `position must be whole frames ≥ 0, got ${frame} at +${offset}`);
    }
    this.clock.set(this.frame + offset, frame);
  }

  /** Each metered module's gain reduction now, dB ≥ 0, in `meteredIds` order (0 when bypassed). */
  readGainReduction(out: Float32Array): void {
    for (let i = 0; i < this.metered.length; i++) {
      const m = this.metered[i]!;
      out[i] = m.slot.plan.bypass ? 0 : m.processor.gainReductionDb;
    }
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
    this.clock.reset();
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

  /**
   * Silences the frames of `block` whose programme frame is past the end; `first` is the input
   * frame the block's first frame stands for (negative: the chain's pre-roll, never silenced).
   */
  private silenceAfterEnd(block: readonly Float32Array[], first: number, n: number): void {
    const end = this.programmeFrames;
    if (end === Number.POSITIVE_INFINITY) return;
    for (let i = Math.max(0, -first); i < n; ) {
      const c = first + i;
      const runEnd = Math.min(n, this.clock.nextAfter(c) - first);
      const from = i + Math.max(0, end - this.clock.at(c));
      if (from < runEnd) silenceRange(block, from, runEnd);
      i = runEnd;
    }
  }

  /** The fade on `block`, run by run of consecutive programme frames (one run unless a seek is inside). */
  private applyFade(block: readonly Float32Array[], first: number, n: number): void {
    const fade = this.fade!;
    for (let i = Math.max(0, -first); i < n; ) {
      const c = first + i;
      const runEnd = Math.min(n, this.clock.nextAfter(c) - first);
      fade.setPosition(this.clock.at(c));
      if (i === 0 && runEnd === n) fade.process(block, n);
      else this.fadeRange(block, i, runEnd);
      i = runEnd;
    }
  }

  /** The fade on frames `from … to` of the block, through the scratch buffers (no views allocated). */
  private fadeRange(block: readonly Float32Array[], from: number, to: number): void {
    const m = to - from;
    for (let c = 0; c < this.channels; c++) {
      const s = this.scratch[c]!;
      const x = block[c]!;
      for (let i = 0; i < m; i++) s[i] = x[from + i]!;
    }
    this.fade!.process(this.scratch, m);
    for (let c = 0; c < this.channels; c++) {
      const s = this.scratch[c]!;
      const x = block[c]!;
      for (let i = 0; i < m; i++) x[from + i] = s[i]!;
    }
  }
}

function silenceRange(block: readonly Float32Array[], from: number, to: number): void {
  for (let c = 0; c < block.length; c++) block[c]!.fill(0, from, to);
}
