import {
  ChainRenderer,
  DspError,
  type FadeParams,
  FadeProcessor,
  GLIDE_SECONDS,
  LoudnessGain,
  type ModulePlan,
  ParamRamp,
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
 * 2. the loudness gain (a `LoudnessGain`, the stage `ChainRenderer` runs: one Float32 multiply per
 *    sample, x·dbToGain(db), as `master` applies it);
 * 3. the modules after it (a second `ChainRenderer`: the limiter and the rest);
 * 4. on the latency-aligned signal (output frame − `latencyFrames`), the fade.
 * Live changes do not click: parameters and bypass toggles of the modules crossfade in the
 * renderers, the loudness gain and its bypass glide in `LoudnessGain`, the fade's parameters glide
 * in `FadeProcessor` (from the old fade's gain to the new one's at the same programme frame), and a
 * toggle of the fade's bypass crossfades between the faded and the unfaded signal, linearly over
 * GLIDE_SECONDS; all per output frame, so the output does not depend on the block size. Before the
 * first frame (and after `reset`) a change applies at once, so a render with fixed settings is the export's, bit for bit.
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
  /** The loudness module's slot; without one, `loudness` stays bypassed (a gain of 1). */
  private readonly loudnessSlot: Slot | null;
  private readonly loudness: LoudnessGain;
  private readonly fade: FadeProcessor | null;
  private readonly fadeId: string | null;
  /** Weight of the faded signal: 1 with the fade on, 0 bypassed, in between while a toggle glides. */
  private readonly fadeMix = new ParamRamp(0);
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
    this.loudnessSlot = li >= 0 ? this.slots.get(processing[li]!.id)! : null;
    this.loudness = new LoudnessGain(sampleRate, this.loudnessSlot?.plan.bypass ?? true);
    this.loudness.setGainDb(load.loudnessGainDb);

    const fade = load.modules.find((m) => m.type === "fade");
    this.fadeId = fade?.id ?? null;
    this.fadeMix.setRampFrames(GLIDE_SECONDS * sampleRate);
    this.fadeMix.snap(fade !== undefined && !fade.bypass ? 1 : 0);
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
    this.loudness.process(output, n);
    if (this.loudnessSlot && !this.loudnessSlot.plan.bypass) {
      this.silenceAfterEnd(output, start - this.pre.latencyFrames, n);
    }
    this.post.process(output, n);

    // The fade and the cut work on the programme's timeline, `latencyFrames` behind the input.
    const first = start - this.latencyFrames;
    if (this.fadeMix.moving) this.glideFade(output, first, n);
    else if (this.fadeMix.current === 1) this.applyFade(output, first, n);
    this.settleFadeIfOff();
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

  /**
   * The loudness module's gain, dB (from the server-side analysis, as the export applies it): at once
   * before the first frame, gliding once playing.
   */
  setLoudnessGainDb(db: number): void {
    this.loudness.setGainDb(db);
  }

  /** Clears every processor's state; the programme starts again at frame 0. */
  reset(): void {
    this.pre.reset();
    this.post.reset();
    this.loudness.reset();
    this.fade?.reset();
    this.fadeMix.snap();
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
    else if (slot === this.loudnessSlot) this.loudness.setBypass(plan.bypass);
    else if (plan.id === this.fadeId) {
      this.fade!.setParams(plan.params as unknown as FadeParams);
      // Frames played: glide (an output frame at a time, as the other stages do); before: at once.
      this.fadeMix.setTarget(plan.bypass ? 0 : 1, this.frame === 0);
      this.settleFadeIfOff();
    }
    slot.plan = plan;
  }

  /**
   * The fade's glide advances with the frames it fades; once the fade is bypassed (its bypass glide
   * over) a glide lands, and an edit applies at once: nothing of it is heard, and a glide left half
   * done would resume at the next un-bypass by as much as the last block of the bypass glide faded.
   */
  private settleFadeIfOff(): void {
    if (!this.fadeMix.moving && this.fadeMix.current === 0) this.fade?.settle();
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
    this.fadeToScratch(block, from, to);
    for (let c = 0; c < this.channels; c++) {
      const s = this.scratch[c]!;
      const x = block[c]!;
      for (let i = from; i < to; i++) x[i] = s[i - from]!;
    }
  }

  /**
   * A toggle of the fade's bypass under way: frame by frame, w·faded + (1 − w)·unfaded, w gliding
   * (`fadeMix`, one step per output frame, the pre-roll's too). Where the glide ends inside the block
   * w is exactly 0 or 1, which gives exactly the unfaded or the faded sample.
   */
  private glideFade(block: readonly Float32Array[], first: number, n: number): void {
    const mix = this.fadeMix;
    const preRoll = Math.min(n, Math.max(0, -first));
    for (let i = 0; i < preRoll; i++) mix.next();
    for (let i = preRoll; i < n; ) {
      const c = first + i;
      const runEnd = Math.min(n, this.clock.nextAfter(c) - first);
      this.fade!.setPosition(this.clock.at(c));
      this.fadeToScratch(block, i, runEnd);
      for (let f = i; f < runEnd; f++) {
        const w = mix.next();
        for (let ch = 0; ch < this.channels; ch++) {
          const x = block[ch]!;
          x[f] = this.scratch[ch]![f - i]! * w + x[f]! * (1 - w);
        }
      }
      i = runEnd;
    }
  }

  /** Frames `from … to` of `block`, faded, into the scratch buffers from index 0. */
  private fadeToScratch(block: readonly Float32Array[], from: number, to: number): void {
    for (let c = 0; c < this.channels; c++) {
      const s = this.scratch[c]!;
      const x = block[c]!;
      for (let i = from; i < to; i++) s[i - from] = x[i]!;
    }
    this.fade!.process(this.scratch, to - from);
  }
}

function silenceRange(block: readonly Float32Array[], from: number, to: number): void {
  for (let c = 0; c < block.length; c++) block[c]!.fill(0, from, to);
}
