import type { Waveform } from "./overview";
import type { SpectrumBand } from "./spectrum";

/**
 * Everything the analyzer reports about one piece of audio. JSON-safe: every number is finite, and a
 * figure that is undefined (silence, or audio too short for its window) is `null`, never NaN or
 * −Infinity. Levels in dB use the unit named by the field.
 */
export interface AnalysisResult {
  sampleRate: number;
  channels: number;
  frames: number;
  durationSeconds: number;
  /** ITU-R BS.1770-4 gated integrated loudness (LUFS). Needs 400 ms of non-silent audio. */
  integratedLufs: number | null;
  /** EBU Tech 3342 loudness range (LU). Needs 3 s. */
  loudnessRangeLu: number | null;
  /** BS.1770-4 Annex 2 true peak, max over channels (dBTP). */
  truePeakDbtp: number | null;
  /** Largest |sample| (dBFS). */
  samplePeakDbfs: number | null;
  /** Peak-to-loudness ratio: true peak − integrated loudness (dB). */
  plrDb: number | null;
  /** Largest 400 ms loudness (LUFS). */
  momentaryMaxLufs: number | null;
  /** Largest 3 s loudness (LUFS). */
  shortTermMaxLufs: number | null;
  /** The per-channel mean of largest magnitude (linear, signed). */
  dcOffset: number;
  dcOffsetPerChannel: number[];
  /** Σlr/√(Σl²·Σr²) of channels 0 and 1; 1 for mono, 0 if either is silent, null without audio. */
  correlation: number | null;
  /** Samples with |x| ≥ 32767/32768 (full scale of 16-bit audio). */
  clippedSamples: number;
  /** NaN and ±Infinity samples; they count as 0 in every other figure. */
  nonFiniteSamples: number;
  /** Short-term loudness at the end of each whole second (LUFS); null below −70 LUFS. */
  shortTermTimeline: (number | null)[];
  waveform: Waveform;
  spectrum: SpectrumBand[];
}
