/**
 * @comaster/codecs: audio file bytes in, planar Float32 channels out (and back to WAV).
 * WAV (PCM/float/extensible, RIFX, RF64), AIFF/AIFF-C, FLAC and MP3. No file system, no Node
 * built-ins: runs in Node and in the browser.
 */

export { type AudioEncoder, applyPatches, concatBytes, type EncoderTail, type ExportFormat } from "./audioEncoder.ts";
export { decodeAudio, decodePcm } from "./decodeAudio.ts";
export type { DecodedAudio } from "./decodedAudio.ts";
export { encodeWav, type WavSampleFormat } from "./encodeWav.ts";
export { AudioFormatError, type AudioFormatErrorCode, isAudioFormatError } from "./errors.ts";
export { decodeFlac, type FlacStreamInfo, readFlacStreamInfo } from "./flac.ts";
export { decodeMp3 } from "./mp3.ts";
export {
  decodePcmFrames,
  type PcmEncoding,
  type PcmFramesResult,
  type PcmLayout,
  parseAiffHeader,
  parsePcmHeader,
  parseWavHeader,
  pcmCodecName,
} from "./pcm.ts";
export { type AudioFormat, type SniffResult, sniff } from "./sniff.ts";
export { createWavEncoder } from "./wavEncoder.ts";
