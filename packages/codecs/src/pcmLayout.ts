import { AudioFormatError } from "./errors.ts";

/** How the samples of an uncompressed WAV or AIFF file are stored. */
export type PcmEncoding = "int" | "uint8" | "float";

/**
 * Everything needed to convert the data region of a WAV/AIFF file, found from its header alone.
 * Sizes are clamped to the bytes the file really has (whole frames only), never taken on trust.
 */
export interface PcmLayout {
  container: "wav" | "aiff";
  sampleRate: number;
  channels: number;
  /** Bits of storage per sample (8, 16, 24, 32 or 64): what `decodePcmFrames` reads. */
  bitsPerSample: number;
  /** Significant bits per sample (e.g. 20 in a 24-bit container); equals bitsPerSample for float. */
  validBitsPerSample: number;
  encoding: PcmEncoding;
  littleEndian: boolean;
  bytesPerFrame: number;
  /** Offset of the first audio byte in the file. */
  dataOffset: number;
  /** Audio bytes actually present: whole frames, within the file. */
  dataBytes: number;
  /** Audio bytes the header claims. */
  declaredDataBytes: number;
  warnings: string[];
}

export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192_000;
export const MAX_CHANNELS = 8;

/** Channel count and sample rate limits shared by every decoder. */
export function checkStreamLimits(what: string, channels: number, sampleRate: number): void {
  if (!Number.isFinite(channels) || channels < 1)
    throw new AudioFormatError("CORRUPT_HEADER", `corrupt ${what} header: ${channels} channels`);
  if (channels > MAX_CHANNELS)
    throw new AudioFormatError(
      "UNSUPPORTED_FORMAT",
      `unsupported ${what}: ${channels} channels (at most ${MAX_CHANNELS} are supported)`,
    );
  if (!Number.isFinite(sampleRate) || sampleRate <= 0)
    throw new AudioFormatError("CORRUPT_HEADER", `corrupt ${what} header: sample rate ${sampleRate} Hz`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE)
    throw new AudioFormatError(
      "UNSUPPORTED_FORMAT",
      `unsupported ${what}: sample rate ${sampleRate} Hz (supported: ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz)`,
    );
}

/**
 * Audio bytes to read: the declared size, cut to what the file holds after `dataOffset` and to
 * whole frames, with a warning for each shortfall.
 */
export function clampDataBytes(declared: number, available: number, bytesPerFrame: number, warnings: string[]): number {
  const present = Math.max(0, Math.min(declared, available));
  if (declared > present) warnings.push(`truncated: declared ${declared} bytes of audio, found ${present}`);
  const whole = present - (present % bytesPerFrame);
  if (whole < present) warnings.push(`ignored ${present - whole} trailing bytes that do not fill a whole frame`);
  return whole;
}

/** An ffmpeg-style codec name, e.g. "pcm_s24le", "pcm_f32be", "pcm_u8". */
export function pcmCodecName(layout: PcmLayout): string {
  if (layout.encoding === "uint8") return "pcm_u8";
  const endian = layout.littleEndian ? "le" : "be";
  if (layout.encoding === "float") return `pcm_f${layout.bitsPerSample}${endian}`;
  return layout.bitsPerSample === 8 ? "pcm_s8" : `pcm_s${layout.bitsPerSample}${endian}`;
}

/** Reads an unsigned 64-bit integer as a number (exact below 2^53). */
export function getUint64(view: DataView, offset: number, littleEndian: boolean): number {
  const a = view.getUint32(offset, littleEndian);
  const b = view.getUint32(offset + 4, littleEndian);
  return littleEndian ? b * 2 ** 32 + a : a * 2 ** 32 + b;
}
