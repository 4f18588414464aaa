// @comaster/dsp: pure TypeScript DSP (no imports beyond this folder; runs in Node and in an AudioWorklet).

export type { AnalysisResult } from "./analysisResult";
export { type AnalyzerOptions, AudioAnalyzer, analyzeAudio } from "./analyzer";
export { Biquad, type BiquadCoefs, biquadMagnitude } from "./biquad";
// The mastering chain: processors, the renderer shared by preview and export, the offline master.
export { ChainRenderer } from "./chain/chainRenderer";
export { LoudnessGain } from "./chain/loudnessGain";
export {
  type MasterOptions,
  type MasterReport,
  type MasterSink,
  type MasterSource,
  master,
  runStageInThread,
  type StageBlock,
  type StageRunner,
} from "./chain/master";
export type { ModulePlan, ParamValue } from "./chain/modulePlan";
export { type OutputSettings, OutputStage } from "./chain/outputStage";
export { createProcessor, PROCESSOR_TYPES } from "./chain/processorRegistry";
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
export { processInBlocks } from "./processors/blockRunner";
export type { ChainProcessor, Timeline } from "./processors/chainProcessor";
export { Compressor, type CompressorParams, compressorCurveDb } from "./processors/dynamics/compressor";
export { Deesser, type DeesserParams } from "./processors/dynamics/deesser";
export { Limiter, type LimiterParams } from "./processors/dynamics/limiter";
export { Multiband, type MultibandParams } from "./processors/dynamics/multiband";
export { type DitherMode, Quantizer } from "./processors/effects/dither";
export { Resampler } from "./processors/effects/resampler";
export { Reverb, type ReverbParams } from "./processors/effects/reverb";
export { Saturation, type SaturationParams } from "./processors/effects/saturation";
export { type EqCurveBand, type EqParams, EqProcessor, eqCurveBands } from "./processors/filters/eq";
// The EQ curve on the desk: the response of the sections the processor runs.
export { eqResponseDb } from "./processors/filters/eqResponse";
export { bandUsesGain } from "./processors/filters/eqSection";
export { type FadeParams, FadeProcessor, fadeGain } from "./processors/filters/fade";
export { type HighpassParams, HighpassProcessor } from "./processors/filters/highpass";
export { type ImagerParams, ImagerProcessor } from "./processors/filters/imager";
export { MultibandSplitter } from "./processors/filters/linkwitzRiley";
export { type TrimParams, TrimProcessor } from "./processors/filters/trim";
// The glide of live changes (a switch the preview makes outside a ChainRenderer: the fade's bypass).
export { GLIDE_SECONDS, ParamRamp } from "./processors/paramRamp";
export {
  concat,
  type NoiseOptions,
  pinkNoise,
  prng,
  type SineOptions,
  sine,
  whiteNoise,
} from "./signals";
export {
  SpectrumAnalyzer,
  type SpectrumBand,
  spectrumFftSize,
  THIRD_OCTAVE_CENTRES_HZ,
  thirdOctaveBandPower,
} from "./spectrum";
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
