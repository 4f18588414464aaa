import type { AnalysisResult } from "../analysisResult";
import { AudioAnalyzer } from "../analyzer";
import { DspError } from "../errors";
import { LoudnessMeter } from "../loudnessMeter";
import type { ProcessSpec } from "../processor";
import { dbToGain } from "../units";
import { ChainRenderer } from "./chainRenderer";
import type { ModulePlan } from "./modulePlan";
import { type OutputSettings, OutputStage } from "./outputStage";

/** The programme to master: replayable from the start (each `blocks()` call starts over). */
export interface MasterSource {
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
  blocks(): AsyncIterable<{ readonly channels: readonly Float32Array[]; readonly frames: number }>;
}

/** Where one pass writes; the master tells which pass is the export (`MasterReport.acceptedPass`). */
export interface MasterSink {
  write(channels: readonly Float32Array[], frames: number): Promise<void>;
  /** Called once the pass has written everything (flush encoders, close files). */
  close(): Promise<void>;
}

/** A block of planar audio: `channels[c]` holds at least `frames` samples. */
export interface StageBlock {
  readonly channels: readonly Float32Array[];
  readonly frames: number;
}

/**
 * Runs a run of modules over a stream of blocks, in order, and yields the processed blocks (same
 * frames, same order). The default runs a `ChainRenderer` in this thread; the render worker passes
 * one that splits the modules over two threads as a pipeline. Any runner must give the same samples:
 * the renderer is block-size invariant, so only the order of modules matters.
 */
export type StageRunner = (
  modules: readonly ModulePlan[],
  spec: ProcessSpec,
  input: AsyncIterable<StageBlock>,
) => AsyncIterable<StageBlock>;

/** The in-thread stage runner: copies each block into a work buffer and processes it in place. */
export async function* runStageInThread(
  modules: readonly ModulePlan[],
  spec: ProcessSpec,
  input: AsyncIterable<StageBlock>,
): AsyncIterable<StageBlock> {
  const renderer = new ChainRenderer(modules, spec);
  const work = Array.from({ length: spec.channels }, () => new Float32Array(spec.maxBlockFrames));
  for await (const block of input) {
    const n = block.frames;
    for (let c = 0; c < work.length; c++) work[c]!.set(block.channels[c]!.subarray(0, n));
    renderer.process(work, n);
    yield { channels: work, frames: n };
  }
}

export interface MasterOptions {
  readonly modules: readonly ModulePlan[];
  /** How the modules before the loudness stage run (default: in this thread). */
  readonly stage?: StageRunner;
  /** Output format; overrides the chain's `output` module where given. */
  readonly output?: Partial<OutputSettings>;
  /** Opens the sink of a writing pass (1, 2, …). */
  openSink(pass: number, format: { sampleRate: number; channels: number }): Promise<MasterSink>;
  /** Most writing passes before the best one is taken (default 4). */
  readonly maxPasses?: number;
  /** Integrated loudness tolerance around the target, LU (default 0.1). */
  readonly toleranceLu?: number;
  /** Memory the pre-loudness stage may keep between passes instead of re-rendering (default 256 MiB). */
  readonly cacheBudgetBytes?: number;
  /** Frames per block (default 8192). */
  readonly blockFrames?: number;
  /** Overall progress 0…1. */
  onProgress?(fraction: number): void;
}

export interface MasterReport {
  readonly acceptedPass: number;
  readonly passes: number;
  readonly targetLufs: number | null;
  readonly ceilingDbtp: number | null;
  /** The gain the loudness stage applied, dB (null without an active loudness module). */
  readonly loudnessGainDb: number | null;
  /** Analysis of the written output (after resampling and dither). */
  readonly analysis: AnalysisResult;
  readonly output: OutputSettings;
  readonly warnings: readonly string[];
}

/**
 * Offline mastering with a loudness target in passes (issue: "analyse, then one gain before the
 * limiter, iterate if the limiter moves the result"):
 * 1. render the modules before the `loudness` module and measure their integrated loudness;
 * 2. gain = target − measured; render the rest (limiter, …), compensate latency, fade, resample,
 *    dither; measure the OUTPUT (what is written);
 * 3. while it misses the target by more than the tolerance, correct the gain (secant step on the
 *    measured gain→loudness curve) and render again. Every writing pass goes to its own sink; the
 *    report names the one that met the target (or came closest, with a warning).
 * The first stage's output is kept in memory between passes when it fits `cacheBudgetBytes`, else it
 * is rendered again from the source, so memory stays bounded for long, high-rate files.
 */
export async function master(source: MasterSource, o: MasterOptions): Promise<MasterReport> {
  const blockFrames = o.blockFrames ?? 8192;
  const spec = { sampleRate: source.sampleRate, channels: source.channels, maxBlockFrames: blockFrames };
  const active = o.modules.filter((m) => !m.bypass || (m.type !== "fade" && m.type !== "output"));
  const outputModule = active.find((m) => m.type === "output");
  const fade = active.find((m) => m.type === "fade" && !m.bypass);
  const limiter = active.find((m) => m.type === "limiter" && !m.bypass);
  const processing = active.filter((m) => m.type !== "fade" && m.type !== "output");
  const li = processing.findIndex((m) => m.type === "loudness" && !m.bypass);
  const target = li >= 0 ? Number(processing[li]!.params.targetLufs) : null;
  const ceiling = limiter ? Number(limiter.params.ceilingDbtp) : null;
  const settings = OutputStage.settings(source.sampleRate, outputModule?.params, o.output);
  const warnings: string[] = [];
  const progress = o.onProgress ?? (() => {});

  const pre = li >= 0 ? processing.slice(0, li) : [];
  const post = li >= 0 ? processing.slice(li + 1) : processing;
  const render = new PassRenderer(source, pre, spec, o.cacheBudgetBytes ?? 256 * 2 ** 20, o.stage ?? runStageInThread);

  let gainDb: number | null = null;
  let plannedPasses = 1;
  if (target !== null) {
    const measured = await render.measurePre(() => progress(0.2 * render.fraction));
    if (measured === null) {
      warnings.push("the programme is silent: the loudness target cannot be met, no gain applied");
      gainDb = 0;
    } else gainDb = target - measured;
    plannedPasses = 2;
  }

  const maxPasses = target === null ? 1 : (o.maxPasses ?? 4);
  const tolerance = o.toleranceLu ?? 0.1;
  const tried: { gainDb: number; lufs: number; pass: number; analysis: AnalysisResult }[] = [];
  let best: (typeof tried)[number] | undefined;
  for (let pass = 1; pass <= maxPasses; pass++) {
    const sink = await o.openSink(pass, { sampleRate: settings.sampleRate, channels: source.channels });
    const base = target === null ? 0 : 0.2;
    const analysis = await render.writePass(post, gainDb ?? 0, fade, settings, sink, (f) =>
      progress(Math.min(0.99, base + ((1 - base) * (pass - 1 + f)) / plannedPasses)),
    );
    await sink.close();
    const lufs = analysis.integratedLufs;
    const entry = { gainDb: gainDb ?? 0, lufs: lufs ?? Number.NEGATIVE_INFINITY, pass, analysis };
    tried.push(entry);
    if (target === null || lufs === null) {
      best = entry;
      break;
    }
    if (!best || Math.abs(lufs - target) < Math.abs(best.lufs - target)) best = entry;
    if (Math.abs(lufs - target) <= tolerance) break;
    gainDb = nextGain(tried, target);
    plannedPasses = Math.min(maxPasses, pass + 1);
  }
  if (!best) throw new DspError("INVALID_STATE", "no pass was rendered");
  if (target !== null && best.analysis.integratedLufs !== null && Math.abs(best.lufs - target) > tolerance) {
    warnings.push(
      `loudness target ${target} LUFS not reached within ±${tolerance} LU after ${tried.length} passes: ` +
        `${best.lufs.toFixed(2)} LUFS (the limiter ceiling or the material allows no more)`,
    );
  }
  progress(1);
  return {
    acceptedPass: best.pass,
    passes: tried.length,
    targetLufs: target,
    ceilingDbtp: ceiling,
    loudnessGainDb: target === null ? null : best.gainDb,
    analysis: best.analysis,
    output: settings,
    warnings,
  };
}

/** Secant step on (gain, loudness) pairs; the first correction assumes 1 dB in gives 1 LU out. */
function nextGain(tried: readonly { gainDb: number; lufs: number }[], target: number): number {
  const last = tried[tried.length - 1]!;
  const prev = tried.length > 1 ? tried[tried.length - 2]! : undefined;
  let slope = 1;
  if (prev && Math.abs(last.gainDb - prev.gainDb) > 1e-6) {
    slope = (last.lufs - prev.lufs) / (last.gainDb - prev.gainDb);
    // A limiter makes loudness grow more slowly than gain; keep the step sane.
    slope = Math.min(1.2, Math.max(0.2, slope));
  }
  return last.gainDb + (target - last.lufs) / slope;
}

/** Renders passes: the pre-loudness modules (cached when small), then gain, post modules and output. */
class PassRenderer {
  fraction = 0;
  private cache: Float32Array[][] | null = null;
  private cacheFrames: number[] = [];
  private readonly preLatency: number;

  constructor(
    private readonly source: MasterSource,
    private readonly pre: readonly ModulePlan[],
    private readonly spec: { sampleRate: number; channels: number; maxBlockFrames: number },
    private readonly budget: number,
    private readonly stage: StageRunner,
  ) {
    this.preLatency = new ChainRenderer(pre, spec).latencyFrames;
  }

  /** Integrated loudness of the pre-loudness stage's output (null for silence); fills the cache. */
  async measurePre(onProgress: () => void): Promise<number | null> {
    const meter = new LoudnessMeter();
    meter.prepare(this.spec);
    const total = this.source.frames + this.preLatency;
    const fits = total * this.spec.channels * 4 <= this.budget;
    const cache: Float32Array[][] = [];
    const cacheFrames: number[] = [];
    let skip = this.preLatency;
    let done = 0;
    for await (const block of this.preBlocks()) {
      // Loudness of the aligned signal: the first `preLatency` frames are the renderer's pre-roll.
      const drop = Math.min(skip, block.frames);
      skip -= drop;
      const n = block.frames - drop;
      if (n > 0)
        meter.process(
          block.channels.map((c) => c.subarray(drop, drop + n)),
          n,
        );
      if (fits) {
        cache.push(block.channels.map((c) => c.slice(0, block.frames)));
        cacheFrames.push(block.frames);
      }
      done += block.frames;
      this.fraction = done / total;
      onProgress();
    }
    if (fits) {
      this.cache = cache;
      this.cacheFrames = cacheFrames;
    }
    return meter.integrated();
  }

  /** Pre-stage output blocks, source frames followed by the pre-stage's latency in silence. */
  private async *preBlocks(): AsyncGenerator<StageBlock> {
    if (this.cache) {
      for (let i = 0; i < this.cache.length; i++) yield { channels: this.cache[i]!, frames: this.cacheFrames[i]! };
      return;
    }
    yield* this.stage(this.pre, this.spec, this.sourceThenSilence());
  }

  /** The source in blocks of at most `maxBlockFrames`, then the pre-stage's latency in zeros. */
  private async *sourceThenSilence(): AsyncGenerator<StageBlock> {
    const max = this.spec.maxBlockFrames;
    for await (const block of this.source.blocks()) {
      for (let at = 0; at < block.frames; at += max) {
        const n = Math.min(max, block.frames - at);
        yield { channels: block.channels.map((c) => c.subarray(at, at + n)), frames: n };
      }
    }
    const zeros = Array.from({ length: this.spec.channels }, () => new Float32Array(max));
    for (let left = this.preLatency; left > 0; left -= max) yield { channels: zeros, frames: Math.min(max, left) };
  }

  /** The pre-stage's output times the loudness gain, then the post stage's latency in zeros. */
  private async *gained(
    gainDb: number,
    postLatency: number,
    onProgress: (f: number) => void,
  ): AsyncGenerator<StageBlock> {
    const gain = dbToGain(gainDb);
    const work = Array.from({ length: this.spec.channels }, () => new Float32Array(this.spec.maxBlockFrames));
    const total = this.source.frames + this.preLatency;
    let done = 0;
    for await (const block of this.preBlocks()) {
      const n = block.frames;
      for (let c = 0; c < work.length; c++) {
        const src = block.channels[c]!;
        const dst = work[c]!;
        for (let i = 0; i < n; i++) dst[i] = src[i]! * gain;
      }
      yield { channels: work, frames: n };
      done += n;
      onProgress(done / total);
    }
    for (let left = postLatency; left > 0; left -= this.spec.maxBlockFrames) {
      const n = Math.min(this.spec.maxBlockFrames, left);
      for (const w of work) w.fill(0, 0, n);
      yield { channels: work, frames: n };
    }
  }

  async writePass(
    post: readonly ModulePlan[],
    gainDb: number,
    fade: ModulePlan | undefined,
    settings: OutputSettings,
    sink: MasterSink,
    onProgress: (fraction: number) => void,
  ): Promise<AnalysisResult> {
    const postLatency = new ChainRenderer(post, this.spec).latencyFrames;
    const out = new OutputStage(this.spec, settings, this.source.frames, fade);
    const analyzer = new AudioAnalyzer({
      sampleRate: settings.sampleRate,
      channels: this.spec.channels,
      waveformBins: 1000,
    });
    let skip = this.preLatency + postLatency;
    // The post modules (the limiter, mostly) run through the stage runner too, so that with two
    // threads they overlap with the output stage, the analysis and the encoder here.
    for await (const block of this.stage(post, this.spec, this.gained(gainDb, postLatency, onProgress))) {
      const n = block.frames;
      const drop = Math.min(skip, n);
      skip -= drop;
      if (n - drop > 0) await out.push(block.channels, drop, n - drop, analyzer, sink);
    }
    await out.finish(analyzer, sink);
    return analyzer.result();
  }
}
