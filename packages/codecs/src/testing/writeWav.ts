/**
 * Test-only WAV writer covering what `encodeWav` does not: 8-bit unsigned, 32-bit int, 64-bit
 * float, WAVE_FORMAT_EXTENSIBLE, RIFX, RF64, odd format tags and forged data sizes.
 */
import { ascii, concatBytes } from "./signals.ts";

export interface WavWriteOptions {
  encoding: "uint8" | "int" | "float";
  bits: 8 | 16 | 24 | 32 | 64;
  extensible?: boolean;
  /** Big-endian RIFX. */
  rifx?: boolean;
  rf64?: boolean;
  /** Overrides the format tag (or, with `extensible`, the sub-format code). */
  formatTag?: number;
  /** Written into the data chunk's size field instead of the real size. */
  dataSizeField?: number;
  /** Chunks to put between fmt and data, e.g. [["LIST", bytes]]. */
  extraChunks?: [string, Uint8Array][];
}

export function chunk(id: string, body: Uint8Array, littleEndian = true, sizeField = body.length): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length % 2));
  out.set(ascii(id), 0);
  new DataView(out.buffer).setUint32(4, sizeField, littleEndian);
  out.set(body, 8);
  return out;
}

/** Interleaves float channels into sample bytes (round to nearest, clip). */
export function pcmBytes(
  channels: Float32Array[],
  encoding: "uint8" | "int" | "float",
  bits: number,
  littleEndian: boolean,
): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const sb = bits / 8;
  const out = new Uint8Array(frames * channels.length * sb);
  const view = new DataView(out.buffer);
  const full = 2 ** (bits - 1);
  let p = 0;
  for (let i = 0; i < frames; i++)
    for (const ch of channels) {
      const x = ch[i] as number;
      if (encoding === "float") {
        if (bits === 32) view.setFloat32(p, x, littleEndian);
        else view.setFloat64(p, x, littleEndian);
      } else {
        const v = Math.min(full - 1, Math.max(-full, Math.round(x * full)));
        if (encoding === "uint8") view.setUint8(p, v + 128);
        else if (bits === 8) view.setInt8(p, v);
        else if (bits === 16) view.setInt16(p, v, littleEndian);
        else if (bits === 32) view.setInt32(p, v, littleEndian);
        else {
          const b = [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff];
          out.set(littleEndian ? b : b.reverse(), p);
        }
      }
      p += sb;
    }
  return out;
}

export function writeWav(channels: Float32Array[], sampleRate: number, o: WavWriteOptions): Uint8Array {
  const le = !o.rifx;
  const data = pcmBytes(channels, o.encoding, o.bits, le);
  const blockAlign = (channels.length * o.bits) / 8;
  const fmt = new Uint8Array(o.extensible ? 40 : 16);
  const v = new DataView(fmt.buffer);
  const code = o.formatTag ?? (o.encoding === "float" ? 3 : 1);
  v.setUint16(0, o.extensible ? 0xfffe : code, le);
  v.setUint16(2, channels.length, le);
  v.setUint32(4, sampleRate, le);
  v.setUint32(8, sampleRate * blockAlign, le);
  v.setUint16(12, blockAlign, le);
  v.setUint16(14, o.bits, le);
  if (o.extensible) {
    v.setUint16(16, 22, le);
    v.setUint16(18, o.bits, le);
    v.setUint32(20, channels.length === 2 ? 3 : 0, le);
    v.setUint16(24, code, le);
    fmt.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
  }
  const chunks: Uint8Array[] = [];
  if (o.rf64) {
    const ds64 = new Uint8Array(28);
    const dv = new DataView(ds64.buffer);
    dv.setBigUint64(8, BigInt(data.length), true);
    dv.setBigUint64(16, BigInt(channels[0]?.length ?? 0), true);
    chunks.push(chunk("ds64", ds64, le));
  }
  chunks.push(chunk("fmt ", fmt, le));
  for (const [id, body] of o.extraChunks ?? []) chunks.push(chunk(id, body, le));
  chunks.push(chunk("data", data, le, o.rf64 ? 0xffffffff : (o.dataSizeField ?? data.length)));
  const body = concatBytes(chunks);
  const header = new Uint8Array(12);
  header.set(ascii(o.rf64 ? "RF64" : o.rifx ? "RIFX" : "RIFF"), 0);
  new DataView(header.buffer).setUint32(4, o.rf64 ? 0xffffffff : 4 + body.length, le);
  header.set(ascii("WAVE"), 8);
  return concatBytes([header, body]);
}
