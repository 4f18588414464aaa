/**
 * A streaming encoder: blocks of planar float samples in, file bytes out, so an export of any length
 * is written with bounded memory. Formats whose header holds sizes (WAV, FLAC) return `patches`
 * from `finish()`: bytes to write over the start of the file once the length is known.
 */
export interface AudioEncoder {
  readonly extension: "wav" | "flac" | "mp3";
  readonly mimeType: string;
  /** Encodes `frames` frames of every channel; returns bytes to append (possibly empty). */
  encode(channels: readonly Float32Array[], frames: number): Promise<Uint8Array>;
  /** Flushes the encoder; returns the last bytes to append and the header patches. */
  finish(): Promise<EncoderTail>;
}

export interface EncoderTail {
  readonly tail: Uint8Array;
  readonly patches: readonly { readonly offset: number; readonly bytes: Uint8Array }[];
}

export type ExportFormat = "wav16" | "wav24" | "wav32f" | "flac16" | "flac24" | "mp3";

/** Joins byte chunks into one array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Applies `finish()` patches to a whole file held in memory (tests, small exports). */
export function applyPatches(file: Uint8Array, tail: EncoderTail): Uint8Array {
  for (const p of tail.patches) file.set(p.bytes, p.offset);
  return file;
}
