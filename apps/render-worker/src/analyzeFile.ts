import { type AnalysisResult, AudioAnalyzer } from "@comaster/dsp";
import { CliError } from "./cliError";
import { openAudioSource } from "./readAudioFile";

export interface FileAnalysis extends Omit<AnalysisResult, "waveform"> {
  readonly file: string;
  readonly format: string;
  readonly codec: string;
  readonly bitsPerSample: number | null;
  readonly warnings: readonly string[];
  readonly waveform?: AnalysisResult["waveform"];
}

export interface AnalyzeFileOptions {
  /** Waveform overview resolution; 0 leaves the overview out of the result. */
  readonly waveformBins?: number;
}

/** Streams a file through the dsp analyzer: memory stays bounded for PCM whatever the length. */
export async function analyzeFile(path: string, options: AnalyzeFileOptions = {}): Promise<FileAnalysis> {
  const bins = options.waveformBins ?? 0;
  const source = await openAudioSource(path);
  try {
    const analyzer = new AudioAnalyzer({
      sampleRate: source.sampleRate,
      channels: source.channels,
      waveformBins: bins || 1,
    });
    let frames = 0;
    for await (const block of source.blocks()) {
      analyzer.process(block.channels, block.frames);
      frames += block.frames;
    }
    if (frames === 0) throw new CliError("BAD_INPUT", `${path}: the file holds no audio frames`);
    return describe(path, source, analyzer.result(), bins > 0);
  } finally {
    await source.close();
  }
}

/** The CLI's JSON shape of an analysis: file facts first, then the figures. */
export function describe(
  path: string,
  source: {
    format: string;
    codec: string;
    bitsPerSample: number | null;
    nonFiniteSamples: number;
    warnings: readonly string[];
  },
  result: AnalysisResult,
  withWaveform: boolean,
): FileAnalysis {
  const { waveform, ...figures } = result;
  return {
    file: path,
    format: source.format,
    codec: source.codec,
    bitsPerSample: source.bitsPerSample,
    ...figures,
    nonFiniteSamples: figures.nonFiniteSamples + source.nonFiniteSamples,
    warnings: [...source.warnings],
    ...(withWaveform ? { waveform } : {}),
  };
}
