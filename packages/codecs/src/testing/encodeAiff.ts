/** Test-only AIFF / AIFF-C writer. */
import { ascii, concatBytes } from "./signals.ts";
import { chunk, pcmBytes } from "./writeWav.ts";

export type AiffCompression = "NONE" | "sowt" | "fl32" | "fl64";

export interface AiffWriteOptions {
  bits: 8 | 16 | 24 | 32 | 64;
  /** Omit for plain AIFF; any value writes AIFF-C. */
  compression?: AiffCompression;
}

/** IEEE 754 80-bit extended encoding of a positive integer (AIFF COMM sample rate). */
export function extended80(value: number): Uint8Array {
  const out = new Uint8Array(10);
  if (value <= 0) return out;
  const e = Math.floor(Math.log2(value));
  const view = new DataView(out.buffer);
  view.setUint16(0, 16383 + e, false);
  const mantissa = value * 2 ** (63 - e);
  view.setUint32(2, Math.floor(mantissa / 2 ** 32), false);
  view.setUint32(6, mantissa % 2 ** 32, false);
  return out;
}

export function encodeAiff(channels: Float32Array[], sampleRate: number, o: AiffWriteOptions): Uint8Array {
  const aifc = o.compression !== undefined;
  const compression = o.compression ?? "NONE";
  const float = compression === "fl32" || compression === "fl64";
  const data = pcmBytes(channels, float ? "float" : "int", o.bits, compression === "sowt");
  const comm = new Uint8Array(aifc ? 24 : 18);
  const v = new DataView(comm.buffer);
  v.setInt16(0, channels.length, false);
  v.setUint32(2, channels[0]?.length ?? 0, false);
  v.setInt16(6, o.bits, false);
  comm.set(extended80(sampleRate), 8);
  if (aifc) comm.set(ascii(`${compression}\0\0`), 18); // type + empty pascal string (padded)
  const ssnd = concatBytes([new Uint8Array(8), data]);
  const chunks = [
    ...(aifc ? [chunk("FVER", Uint8Array.of(0xa2, 0x80, 0x51, 0x40), false)] : []),
    chunk("COMM", comm, false),
    chunk("SSND", ssnd, false),
  ];
  const body = concatBytes(chunks);
  const header = new Uint8Array(12);
  header.set(ascii("FORM"), 0);
  new DataView(header.buffer).setUint32(4, 4 + body.length, false);
  header.set(ascii(aifc ? "AIFC" : "AIFF"), 8);
  return concatBytes([header, body]);
}
