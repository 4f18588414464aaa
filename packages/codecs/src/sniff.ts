import { AIFC_DECODABLE } from "./aiffHeader.ts";
import { fourCC, iterateChunks } from "./chunks.ts";
import { aifcCodecName, wavCodecName } from "./codecNames.ts";
import { AudioFormatError } from "./errors.ts";
import { findMpegStream, id3v2Length } from "./mpegFrame.ts";
import { wavFormatTag } from "./wavHeader.ts";

/** The containers this package decodes. */
export type AudioFormat = "wav" | "aiff" | "flac" | "mp3";

export interface SniffResult {
  format: AudioFormat;
  /** Where the codec stream starts: after any ID3v2 tag for FLAC and MP3, else 0. */
  offset: number;
}

/** How far past the start (or an ID3 tag) to look for the first MPEG frame. */
const MPEG_SCAN_BYTES = 4096;

const unsupported = (what: string) => new AudioFormatError("UNSUPPORTED_CODEC", `unsupported codec: ${what}`);

function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function oggCodec(bytes: Uint8Array): string {
  const segments = bytes[26] ?? 0;
  const packet = 27 + segments;
  if (startsWith(bytes, packet, "OpusHead")) return "Ogg Opus";
  if (startsWith(bytes, packet + 1, "vorbis")) return "Ogg Vorbis";
  if (startsWith(bytes, packet + 1, "FLAC")) return "Ogg FLAC";
  if (startsWith(bytes, packet, "Speex")) return "Ogg Speex";
  return "Ogg";
}

function checkWavCodec(bytes: Uint8Array): void {
  const tag = wavFormatTag(bytes);
  if (tag !== undefined && tag !== 1 && tag !== 3) throw unsupported(wavCodecName(tag));
}

function checkAifcCodec(bytes: Uint8Array): void {
  for (const c of iterateChunks(bytes, 12, false)) {
    if (c.id !== "COMM") continue;
    if (c.declaredSize < 22 || c.bodyOffset + 22 > bytes.length) return;
    const compression = fourCC(bytes, c.bodyOffset + 18);
    if (!AIFC_DECODABLE.has(compression)) throw unsupported(aifcCodecName(compression));
    return;
  }
}

/** Formats recognised by their first bytes that we do not decode. */
function otherFormat(bytes: Uint8Array, at: number): string | undefined {
  if (startsWith(bytes, at, "OggS")) return oggCodec(bytes.subarray(at));
  if (startsWith(bytes, at + 4, "ftyp")) {
    const brand = fourCC(bytes, at + 8).replace(/[^\x20-\x7e]/g, "?");
    return `MP4/M4A (AAC or ALAC, brand "${brand}")`;
  }
  if (bytes[at] === 0x1a && bytes[at + 1] === 0x45 && bytes[at + 2] === 0xdf && bytes[at + 3] === 0xa3)
    return "WebM/Matroska";
  if (startsWith(bytes, at, "caff")) return "Core Audio Format (CAF)";
  if (startsWith(bytes, at, ".snd")) return "Sun/NeXT AU";
  if (startsWith(bytes, at, "wvpk")) return "WavPack";
  if (startsWith(bytes, at, "MAC ")) return "Monkey's Audio (APE)";
  if (startsWith(bytes, at, "#!AMR")) return "AMR";
  if (startsWith(bytes, at, "ADIF")) return "AAC (ADIF)";
  if (startsWith(bytes, at, "FORM") && startsWith(bytes, at + 8, "8SVX")) return "IFF 8SVX";
  // ADTS AAC: 12-bit sync, layer bits 00 (MPEG audio never uses 00).
  if (bytes[at] === 0xff && ((bytes[at + 1] as number) & 0xf6) === 0xf0 && at + 7 <= bytes.length) return "AAC (ADTS)";
  return undefined;
}

/**
 * Identifies the container from magic bytes (the whole file or its first few KiB). Throws an
 * AudioFormatError for empty input (EMPTY), recognised formats we do not decode
 * (UNSUPPORTED_CODEC, naming them) and anything else (NOT_AUDIO).
 */
export function sniff(bytes: Uint8Array): SniffResult {
  if (bytes.length === 0) throw new AudioFormatError("EMPTY", "empty input: 0 bytes");
  const magic = fourCC(bytes, 0);
  if (magic === "RIFF" || magic === "RIFX" || magic === "RF64") {
    if (bytes.length < 12)
      throw new AudioFormatError("TRUNCATED", `truncated RIFF header: 12 bytes needed, ${bytes.length} present`);
    const type = fourCC(bytes, 8);
    if (type !== "WAVE")
      throw new AudioFormatError("NOT_AUDIO", `not an audio file (RIFF type "${type.replace(/[^\x20-\x7e]/g, "?")}")`);
    checkWavCodec(bytes);
    return { format: "wav", offset: 0 };
  }
  if (magic === "FORM" && bytes.length < 12)
    throw new AudioFormatError("TRUNCATED", `truncated IFF header: 12 bytes needed, ${bytes.length} present`);
  if (magic === "FORM") {
    const type = fourCC(bytes, 8);
    if (type === "AIFF") return { format: "aiff", offset: 0 };
    if (type === "AIFC") {
      checkAifcCodec(bytes);
      return { format: "aiff", offset: 0 };
    }
  }
  const other = otherFormat(bytes, 0);
  if (other) throw unsupported(other);

  const id3 = id3v2Length(bytes);
  if (id3 > 0) {
    let at = id3;
    // Some taggers pad beyond the declared tag size with zeros.
    while (at < bytes.length && at < id3 + MPEG_SCAN_BYTES && bytes[at] === 0) at++;
    if (startsWith(bytes, at, "fLaC")) return { format: "flac", offset: at };
    const afterTag = otherFormat(bytes, at);
    if (afterTag) throw unsupported(`${afterTag} (after an ID3 tag)`);
    const mpeg = findMpegStream(bytes, at, MPEG_SCAN_BYTES, true);
    if (mpeg) return mpegResult(mpeg.header.layer, mpeg.offset);
    if (id3 >= bytes.length)
      throw new AudioFormatError(
        "TRUNCATED",
        `truncated file: ID3 tag declares ${id3} bytes but the file has ${bytes.length}`,
      );
    throw new AudioFormatError("NOT_AUDIO", "not an audio file (an ID3 tag not followed by MP3 or FLAC audio)");
  }
  if (magic === "fLaC") return { format: "flac", offset: 0 };
  const mpeg = findMpegStream(bytes, 0, MPEG_SCAN_BYTES);
  if (mpeg) return mpegResult(mpeg.header.layer, mpeg.offset);
  throw new AudioFormatError("NOT_AUDIO", "not an audio file (unrecognised header)");
}

function mpegResult(layer: 1 | 2 | 3, offset: number): SniffResult {
  if (layer !== 3) throw unsupported(`MPEG audio Layer ${layer === 1 ? "I (MP1)" : "II (MP2)"}`);
  return { format: "mp3", offset };
}
