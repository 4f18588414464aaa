import type { AudioFormat } from "./sniff.ts";

/** A decoded file: planar float channels (nominally in [-1, 1]) plus what is known of its source. */
export interface DecodedAudio {
  format: AudioFormat;
  /** ffmpeg-style codec name: "pcm_s16le", "pcm_s24be", "pcm_f32le", "pcm_u8", "flac", "mp3", … */
  codec: string;
  sampleRate: number;
  channelData: Float32Array[];
  /** Significant bits per sample of the source, or null for lossy codecs. */
  bitsPerSample: number | null;
  /** Problems that did not stop decoding (truncation, decoder errors on some frames, …). */
  warnings: string[];
  /** NaN/±Inf samples replaced by 0. */
  nonFiniteSamples: number;
}

/** Replaces NaN/±Inf by 0 in place; returns how many were replaced. */
export function replaceNonFinite(channels: Float32Array[]): number {
  let count = 0;
  for (const ch of channels)
    for (let i = 0; i < ch.length; i++) {
      if (!Number.isFinite(ch[i] as number)) {
        ch[i] = 0;
        count++;
      }
    }
  return count;
}

/** Adds decoder error messages as warnings, at most `limit` of them plus a count of the rest. */
export function addDecoderWarnings(
  warnings: string[],
  prefix: string,
  errors: readonly { message: string }[],
  limit = 5,
): void {
  for (const e of errors.slice(0, limit)) warnings.push(`${prefix}: ${e.message}`);
  if (errors.length > limit) warnings.push(`${prefix}: ${errors.length - limit} more errors`);
}
