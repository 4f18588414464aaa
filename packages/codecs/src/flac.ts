// The decoder (WebAssembly inlined as text) loads on first use, so PCM-only work never parses it.
import type { FLACDecoder } from "@wasm-audio-decoders/flac";
import { addDecoderWarnings, type DecodedAudio, replaceNonFinite } from "./decodedAudio.ts";
import { AudioFormatError } from "./errors.ts";
import { id3v2Length } from "./mpegFrame.ts";
import { checkStreamLimits } from "./pcmLayout.ts";

export interface FlacStreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when unknown. */
  totalSamples: number;
  /** Offset of the first audio frame (after all metadata blocks). */
  framesOffset: number;
}

/** Sample sizes the bundled decoder scales correctly (it divides by 2^(bits-1) - 1 only for these). */
const DECODABLE_BITS = new Set([8, 16, 24, 32]);

/**
 * Reads STREAMINFO and walks the metadata blocks (RFC 9639 §8) of a FLAC stream starting with
 * "fLaC" at `at`. Each block header is 4 bytes, so the walk ends on any input.
 */
export function readFlacStreamInfo(bytes: Uint8Array, at = 0): FlacStreamInfo {
  const u8 = (i: number) => bytes[at + i] as number;
  if (at + 8 > bytes.length) throw new AudioFormatError("TRUNCATED", "truncated FLAC header: no STREAMINFO block");
  const type = u8(4) & 0x7f;
  const length = (u8(5) << 16) | (u8(6) << 8) | u8(7);
  if (type !== 0 || length < 34)
    throw new AudioFormatError(
      "CORRUPT_HEADER",
      `corrupt FLAC header: first metadata block is type ${type} of ${length} bytes, expected a 34-byte STREAMINFO`,
    );
  if (at + 8 + 34 > bytes.length)
    throw new AudioFormatError(
      "TRUNCATED",
      `truncated FLAC header: STREAMINFO is 34 bytes but only ${bytes.length - at - 8} remain`,
    );
  const s = 8;
  const sampleRate = (u8(s + 10) << 12) | (u8(s + 11) << 4) | (u8(s + 12) >> 4);
  const channels = ((u8(s + 12) >> 1) & 7) + 1;
  const bitsPerSample = (((u8(s + 12) & 1) << 4) | (u8(s + 13) >> 4)) + 1;
  const totalSamples =
    (u8(s + 13) & 0x0f) * 2 ** 32 + ((u8(s + 14) << 24) >>> 0) + (u8(s + 15) << 16) + (u8(s + 16) << 8) + u8(s + 17);
  let pos = at + 4;
  for (;;) {
    if (pos + 4 > bytes.length)
      throw new AudioFormatError("TRUNCATED", "truncated FLAC: the file ends inside its metadata blocks");
    const isLast = (bytes[pos] as number) & 0x80;
    pos += 4 + (((bytes[pos + 1] as number) << 16) | ((bytes[pos + 2] as number) << 8) | (bytes[pos + 3] as number));
    if (isLast) break;
  }
  if (pos > bytes.length)
    throw new AudioFormatError("TRUNCATED", "truncated FLAC: the file ends inside its metadata blocks");
  if (pos === bytes.length)
    throw new AudioFormatError("TRUNCATED", "truncated FLAC: the file ends before the first audio frame");
  return { sampleRate, channels, bitsPerSample, totalSamples, framesOffset: pos };
}

/** Re-scales the decoder's k / (2^(b-1) - 1) output to k / 2^(b-1), as WAV decoding does. */
function rescale(channels: Float32Array[], bits: number): void {
  const full = 2 ** (bits - 1);
  for (const ch of channels) {
    if (bits <= 24) for (let i = 0; i < ch.length; i++) ch[i] = Math.round((ch[i] as number) * (full - 1)) / full;
    else for (let i = 0; i < ch.length; i++) ch[i] = ((ch[i] as number) * (full - 1)) / full;
  }
}

/** Decodes a FLAC file (optionally behind an ID3v2 tag). */
export async function decodeFlac(bytes: Uint8Array): Promise<DecodedAudio> {
  let at = id3v2Length(bytes);
  while (at < bytes.length && bytes[at] === 0) at++;
  if (bytes[at] !== 0x66 || bytes[at + 1] !== 0x4c || bytes[at + 2] !== 0x61 || bytes[at + 3] !== 0x43)
    throw new AudioFormatError("NOT_AUDIO", "not a FLAC file (no fLaC marker)");
  const info = readFlacStreamInfo(bytes, at);
  if (info.bitsPerSample < 4)
    throw new AudioFormatError("CORRUPT_HEADER", `corrupt FLAC header: ${info.bitsPerSample} bits per sample`);
  checkStreamLimits("FLAC", info.channels, info.sampleRate);
  if (!DECODABLE_BITS.has(info.bitsPerSample))
    throw new AudioFormatError(
      "UNSUPPORTED_FORMAT",
      `unsupported FLAC: ${info.bitsPerSample}-bit samples (8, 16, 24 and 32 bits are supported)`,
    );

  let decoded: Awaited<ReturnType<FLACDecoder["decodeFile"]>>;
  let decoder: FLACDecoder | undefined;
  try {
    const { FLACDecoder: Decoder } = await import("@wasm-audio-decoders/flac");
    decoder = new Decoder();
    await decoder.ready;
    decoded = await decoder.decodeFile(bytes.subarray(at));
  } catch (e) {
    throw new AudioFormatError("DECODE_FAILED", `FLAC decoder failed: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  } finally {
    try {
      decoder?.free();
    } catch {
      // Freeing a decoder whose wasm never started has nothing to release.
    }
  }

  const warnings: string[] = [];
  addDecoderWarnings(warnings, "FLAC decoder", decoded.errors);
  const frames = decoded.samplesDecoded;
  const channelData = decoded.channelData.map((ch) => (ch.length === frames ? ch : ch.slice(0, frames)));
  if (frames === 0 || channelData.length === 0) {
    const why = decoded.errors[0]?.message;
    throw new AudioFormatError("DECODE_FAILED", `no audio decoded from FLAC${why ? `: ${why}` : " (no valid frames)"}`);
  }
  const sampleRate = decoded.sampleRate || info.sampleRate;
  if (sampleRate !== info.sampleRate)
    warnings.push(`frames say ${sampleRate} Hz but STREAMINFO says ${info.sampleRate} Hz`);
  checkStreamLimits("FLAC", channelData.length, sampleRate);
  if (info.totalSamples > 0 && frames < info.totalSamples)
    warnings.push(`truncated: declared ${info.totalSamples} samples per channel, decoded ${frames}`);
  else if (info.totalSamples > 0 && frames > info.totalSamples)
    warnings.push(`decoded ${frames} samples per channel, more than the ${info.totalSamples} declared`);

  const bits = DECODABLE_BITS.has(decoded.bitDepth) ? decoded.bitDepth : info.bitsPerSample;
  const nonFiniteSamples = replaceNonFinite(channelData);
  if (nonFiniteSamples > 0) warnings.push(`replaced ${nonFiniteSamples} NaN/infinite samples by 0`);
  rescale(channelData, bits);
  return { format: "flac", codec: "flac", sampleRate, channelData, bitsPerSample: bits, warnings, nonFiniteSamples };
}
