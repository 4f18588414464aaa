import type { DecodedAudio } from "./decodedAudio.ts";
import { AudioFormatError } from "./errors.ts";
import { decodeFlac } from "./flac.ts";
import { decodeMp3 } from "./mp3.ts";
import { decodePcmFrames, parsePcmHeader, pcmCodecName } from "./pcm.ts";
import { sniff } from "./sniff.ts";

/** Decodes uncompressed WAV/AIFF held wholly in memory. */
export function decodePcm(bytes: Uint8Array): DecodedAudio {
  const layout = parsePcmHeader(bytes, bytes.length);
  const frames = layout.dataBytes / layout.bytesPerFrame;
  const name = layout.container === "wav" ? "WAV" : "AIFF";
  if (frames === 0) {
    if (layout.declaredDataBytes > 0)
      throw new AudioFormatError(
        "TRUNCATED",
        `truncated ${name}: declared ${layout.declaredDataBytes} bytes of audio, found no whole frame`,
      );
    throw new AudioFormatError("DECODE_FAILED", `no audio in ${name}: the file declares 0 bytes of audio`);
  }
  // Allocation is bounded by the bytes present: dataBytes never exceeds bytes.length.
  const channelData = Array.from({ length: layout.channels }, () => new Float32Array(frames));
  const data = bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes);
  const { nonFinite } = decodePcmFrames(layout, data, channelData);
  const warnings = [...layout.warnings];
  if (nonFinite > 0) warnings.push(`replaced ${nonFinite} NaN/infinite samples by 0`);
  return {
    format: layout.container,
    codec: pcmCodecName(layout),
    sampleRate: layout.sampleRate,
    channelData,
    bitsPerSample: layout.validBitsPerSample,
    warnings,
    nonFiniteSamples: nonFinite,
  };
}

/**
 * Decodes the bytes of a WAV, AIFF/AIFF-C, FLAC or MP3 file into planar float channels. Rejects
 * with an AudioFormatError (and nothing else) for input it cannot decode.
 */
export async function decodeAudio(bytes: Uint8Array): Promise<DecodedAudio> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("decodeAudio expects a Uint8Array");
  const { format } = sniff(bytes);
  switch (format) {
    case "wav":
    case "aiff":
      return decodePcm(bytes);
    case "flac":
      return decodeFlac(bytes);
    case "mp3":
      return decodeMp3(bytes);
  }
}
