// The decoder (WebAssembly inlined as text) loads on first use, so PCM-only work never parses it.
import type { MPEGDecoder } from "mpg123-decoder";
import { addDecoderWarnings, type DecodedAudio, replaceNonFinite } from "./decodedAudio.ts";
import { AudioFormatError } from "./errors.ts";
import { findMpegStream, id3v2Length } from "./mpegFrame.ts";
import { checkStreamLimits } from "./pcmLayout.ts";

/**
 * Decodes an MP3 file (optionally behind ID3v2 tags). mpg123 always outputs two channels; a file
 * whose first frame header says single channel comes back as one channel. The decoder's gapless
 * mode trims the encoder delay and padding when the file has a LAME/Xing tag.
 */
export async function decodeMp3(bytes: Uint8Array): Promise<DecodedAudio> {
  const id3 = id3v2Length(bytes);
  const first = findMpegStream(bytes, id3, 4096, id3 > 0) ?? findMpegStream(bytes, id3, 64 * 1024);
  if (!first) {
    if (id3 >= bytes.length)
      throw new AudioFormatError(
        "TRUNCATED",
        `truncated MP3: ID3 tag declares ${id3} bytes, the file has ${bytes.length}`,
      );
    throw new AudioFormatError("NOT_AUDIO", "not an MP3 file (no MPEG audio frame found)");
  }
  const { header } = first;
  if (header.layer !== 3)
    throw new AudioFormatError("UNSUPPORTED_CODEC", `unsupported codec: MPEG audio Layer ${header.layer}`);

  let decoded: ReturnType<MPEGDecoder["decode"]>;
  let decoder: MPEGDecoder | undefined;
  try {
    const { MPEGDecoder: Decoder } = await import("mpg123-decoder");
    decoder = new Decoder();
    await decoder.ready;
    decoded = decoder.decode(bytes.subarray(first.offset));
  } catch (e) {
    throw new AudioFormatError("DECODE_FAILED", `MP3 decoder failed: ${e instanceof Error ? e.message : String(e)}`, {
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
  addDecoderWarnings(warnings, "MP3 decoder", decoded.errors);
  const frames = decoded.samplesDecoded;
  if (frames === 0) {
    const remaining = bytes.length - first.offset;
    if (remaining < header.frameBytes)
      throw new AudioFormatError(
        "TRUNCATED",
        `truncated MP3: the first frame needs ${header.frameBytes} bytes but only ${remaining} remain`,
      );
    const why = decoded.errors[0]?.message;
    throw new AudioFormatError("DECODE_FAILED", `no audio decoded from MP3${why ? `: ${why}` : " (no valid frames)"}`);
  }
  const all = decoded.channelData.map((ch) => (ch.length === frames ? ch : ch.slice(0, frames)));
  const channelData = header.channels === 1 ? all.slice(0, 1) : all;
  const sampleRate = decoded.sampleRate || header.sampleRate;
  checkStreamLimits("MP3", channelData.length, sampleRate);
  const nonFiniteSamples = replaceNonFinite(channelData);
  if (nonFiniteSamples > 0) warnings.push(`replaced ${nonFiniteSamples} NaN/infinite samples by 0`);
  return { format: "mp3", codec: "mp3", sampleRate, channelData, bitsPerSample: null, warnings, nonFiniteSamples };
}
