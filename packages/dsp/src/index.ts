// @comaster/dsp: pure TypeScript DSP (no imports beyond this folder; runs in Node and in an AudioWorklet).

export type { AnalysisResult } from "./analysisResult";
export { type AnalyzerOptions, AudioAnalyzer, analyzeAudio } from "./analyzer";
export { Biquad, type BiquadCoefs, biquadMagnitude } from "./biquad";
export {
  type ReferenceCase,
  type Tech3341Case,
  type Tech3342Case,
  tech3341Case,
  tech3342Case,
} from "./ebuTestSignals";
export { assertInRange, assertInteger, DspError, type DspErrorCode, isDspError } from "./errors";
export { RealFft } from "./fft";
export {
  ABSOLUTE_GATE_LUFS,
  energyToLoudness,
  INTEGRATED_RELATIVE_GATE_LU,
  integratedLoudness,
  loudnessRange,
  RANGE_RELATIVE_GATE_LU,
} from "./gating";
export { kShelf, rlbHighPass } from "./kWeighting";
export { LoudnessMeter, type LoudnessMeterOptions } from "./loudnessMeter";
export { type Waveform, WaveformOverview } from "./overview";
export { assertBlock, assertSpec, type Processor, type ProcessSpec, type SampleBuffer } from "./processor";
export {
  concat,
  type NoiseOptions,
  pinkNoise,
  prng,
  type SineOptions,
  sine,
  whiteNoise,
} from "./signals";
export { SpectrumAnalyzer, type SpectrumBand, spectrumFftSize } from "./spectrum";
export { TruePeakMeter } from "./truePeak";
export { interpolatorPhases, oversamplingFactor, worstCaseGain } from "./truePeakFilter";
export {
  type Db,
  type Dbfs,
  type Dbtp,
  db,
  dbToGain,
  gainToDb,
  type Hz,
  hz,
  type Lu,
  type Lufs,
  lu,
  lufs,
  type Seconds,
  seconds,
} from "./units";
