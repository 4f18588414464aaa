import { type AnalysisResult, AudioAnalyzer } from "@comaster/dsp";
import { CliError } from "./cliError";
import { type AudioStreamSummary, readAudioFile } from "./readAudioFile";

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
  let analyzer: AudioAnalyzer | undefined;
  const summary: AudioStreamSummary = await readAudioFile(path, {
    begin(info) {
      analyzer = new AudioAnalyzer({ sampleRate: info.sampleRate, channels: info.channels, waveformBins: bins || 1 });
    },
    block(channels, frames) {
      analyzer?.process(channels, frames);
    },
  });
  if (!analyzer || summary.frames === 0) throw new CliError("BAD_INPUT", `${path}: the file holds no audio frames`);
  const { waveform, ...figures } = analyzer.result();
  return {
    file: path,
    format: summary.format,
    codec: summary.codec,
    bitsPerSample: summary.bitsPerSample,
    ...figures,
    nonFiniteSamples: figures.nonFiniteSamples + summary.nonFiniteSamples,
    warnings: summary.warnings,
    ...(bins > 0 ? { waveform } : {}),
  };
}
