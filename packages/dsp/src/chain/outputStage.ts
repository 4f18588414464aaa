import type { AudioAnalyzer } from "../analyzer";
import { DspError } from "../errors";
import { type DitherMode, Quantizer } from "../processors/effects/dither";
import { Resampler } from "../processors/effects/resampler";
import { FadeProcessor } from "../processors/filters/fade";
import type { ModulePlan, ParamValue } from "./modulePlan";

export interface OutputSettings {
  readonly sampleRate: number;
  readonly bitDepth: "16" | "24" | "32f";
  readonly dither: DitherMode;
}

export interface OutputWriter {
  write(channels: readonly Float32Array[], frames: number): Promise<void>;
}

const RATES = [44_100, 48_000, 88_200, 96_000];
const DITHER_SEED = 0x5eed;

/**
 * The end of the offline chain, on the latency-aligned signal: fade (it needs the programme's
 * absolute position), sample-rate conversion, word-length reduction with dither; then every output
 * block goes to the analyzer and the writer. The stream is cut to the programme's length.
 */
export class OutputStage {
  private readonly fade: FadeProcessor | null;
  private readonly resampler: Resampler | null;
  private readonly quantizer: Quantizer | null;
  private readonly resampled: Float32Array[];
  private readonly scratch: Float32Array[];
  private written = 0;
  private resampledOut = 0;
  private readonly expectedOut: number;

  /** The output settings from the chain's `output` module, with CLI/job overrides on top. */
  static settings(
    inputRate: number,
    params: Readonly<Record<string, ParamValue>> | undefined,
    overrides: Partial<OutputSettings> | undefined,
  ): OutputSettings {
    const rateParam = params?.sampleRate ?? "keep";
    const sampleRate = overrides?.sampleRate ?? (rateParam === "keep" ? inputRate : Number(rateParam));
    if (sampleRate !== inputRate && !RATES.includes(sampleRate)) {
      throw new DspError("INVALID_ARGUMENT", `output sample rate ${sampleRate} Hz: choose ${RATES.join(", ")} or keep`);
    }
    const bitDepth = overrides?.bitDepth ?? (params?.bitDepth as OutputSettings["bitDepth"] | undefined) ?? "32f";
    const dither =
      overrides?.dither ?? (params?.dither as DitherMode | undefined) ?? (bitDepth === "32f" ? "none" : "tpdf");
    return { sampleRate, bitDepth, dither: bitDepth === "32f" ? "none" : dither };
  }

  constructor(
    spec: { sampleRate: number; channels: number; maxBlockFrames: number },
    readonly settings: OutputSettings,
    private readonly totalFrames: number,
    fade: ModulePlan | undefined,
  ) {
    this.fade = fade ? new FadeProcessor() : null;
    if (this.fade && fade) {
      this.fade.setParams(fade.params as never);
      this.fade.setTimeline({ totalFrames });
      this.fade.prepare(spec);
    }
    const rateChange = settings.sampleRate !== spec.sampleRate;
    this.resampler = rateChange ? new Resampler(spec.sampleRate, settings.sampleRate, spec.channels) : null;
    const maxOut = this.resampler ? this.resampler.maxOutputFrames(spec.maxBlockFrames) : spec.maxBlockFrames;
    this.resampled = Array.from({ length: spec.channels }, () => new Float32Array(maxOut));
    this.scratch = Array.from({ length: spec.channels }, () => new Float32Array(spec.maxBlockFrames));
    if (settings.bitDepth === "32f") this.quantizer = null;
    else {
      // Seeded: the same render gives the same dither, bit for bit.
      this.quantizer = new Quantizer({ bitDepth: settings.bitDepth, dither: settings.dither }, DITHER_SEED);
      // The rate picks the noise-shaping filter.
      this.quantizer.prepare({ sampleRate: settings.sampleRate, channels: spec.channels, maxBlockFrames: maxOut });
    }
    // The converter aligns its output itself: frame 0 is input time 0, ⌈n·out/in⌉ frames in all.
    this.expectedOut = rateChange ? Math.ceil((totalFrames * settings.sampleRate) / spec.sampleRate) : totalFrames;
  }

  /** Frames `offset … offset+n` of `block` are the next aligned frames of the programme. */
  async push(
    block: readonly Float32Array[],
    offset: number,
    n: number,
    analyzer: AudioAnalyzer,
    writer: OutputWriter,
  ): Promise<void> {
    n = Math.min(n, this.totalFrames - this.written);
    if (n <= 0) return;
    this.written += n;
    const x = this.scratch;
    for (let c = 0; c < x.length; c++) x[c]!.set(block[c]!.subarray(offset, offset + n));
    this.fade?.process(x, n);
    if (!this.resampler) return this.emit(x, n, analyzer, writer);
    const produced = this.resampler.process(x, n, this.resampled);
    await this.emit(this.resampled, produced, analyzer, writer);
  }

  async finish(analyzer: AudioAnalyzer, writer: OutputWriter): Promise<void> {
    if (!this.resampler) return;
    // Drain the converter's filter tail: the last input frames are still inside it.
    const produced = this.resampler.flush(this.resampled);
    await this.emit(this.resampled, produced, analyzer, writer);
  }

  private async emit(x: Float32Array[], n: number, analyzer: AudioAnalyzer, writer: OutputWriter): Promise<void> {
    if (this.resampler) {
      n = Math.min(n, this.expectedOut - this.resampledOut);
      this.resampledOut += Math.max(0, n);
    }
    if (n <= 0) return;
    this.quantizer?.process(x, n);
    analyzer.process(x, n);
    await writer.write(x, n);
  }
}
