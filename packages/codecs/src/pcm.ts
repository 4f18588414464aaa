/**
 * Streaming-capable core for uncompressed WAV and AIFF: parse a header from the first bytes of a
 * file, then convert the data region in pieces of any size (whole frames) into planar floats.
 *
 *   const layout = parsePcmHeader(head, fileSize);
 *   // read layout.dataBytes bytes from layout.dataOffset in chunks of k × layout.bytesPerFrame,
 *   // and for each: decodePcmFrames(layout, chunk, out, framesSoFar)
 */
import { parseAiffHeader } from "./aiffHeader.ts";
import { fourCC } from "./chunks.ts";
import { AudioFormatError } from "./errors.ts";
import type { PcmLayout } from "./pcmLayout.ts";
import { parseWavHeader } from "./wavHeader.ts";

export { parseAiffHeader, readExtended80 } from "./aiffHeader.ts";
export { decodePcmFrames, type PcmFramesResult } from "./decodePcmFrames.ts";
export type { PcmEncoding, PcmLayout } from "./pcmLayout.ts";
export { pcmCodecName } from "./pcmLayout.ts";
export { parseWavHeader } from "./wavHeader.ts";

/** Parses a WAV (RIFF/RIFX/RF64) or AIFF/AIFF-C header, whichever `head` starts with. */
export function parsePcmHeader(head: Uint8Array, totalBytes: number = head.length): PcmLayout {
  if (head.length === 0 || totalBytes === 0) throw new AudioFormatError("EMPTY", "empty input: 0 bytes");
  const magic = fourCC(head, 0);
  if (magic === "RIFF" || magic === "RIFX" || magic === "RF64") return parseWavHeader(head, totalBytes);
  if (magic === "FORM") return parseAiffHeader(head, totalBytes);
  throw new AudioFormatError("NOT_AUDIO", "not a WAV or AIFF file (unrecognised header)");
}
