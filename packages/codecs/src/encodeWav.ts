import { AudioFormatError } from "./errors.ts";

export type WavSampleFormat = "pcm16" | "pcm24" | "float32";

const MAX_RIFF_SIZE = 0xffffffff;
/** KSDATAFORMAT_SUBTYPE_PCM/IEEE_FLOAT after the 2-byte format code (little-endian GUID layout). */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

function writeAscii(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
}

/**
 * Encodes planar float channels as a little-endian RIFF/WAVE file. Integer formats round to
 * nearest and clip at full scale (x · 2^(bits-1), so decode → encode is lossless); NaN becomes 0.
 * Float32 writes IEEE float (format 3) with a fact chunk; non-finite samples are written as 0.
 * More than two channels use WAVE_FORMAT_EXTENSIBLE. Throws UNSUPPORTED_FORMAT beyond 4 GiB.
 */
export function encodeWav(channels: Float32Array[], sampleRate: number, format: WavSampleFormat): Uint8Array {
  const channelCount = channels.length;
  if (channelCount < 1 || channelCount > 0xffff)
    throw new RangeError(`encodeWav: need 1–65535 channels, got ${channelCount}`);
  const frames = (channels[0] as Float32Array).length;
  if (channels.some((ch) => ch.length !== frames))
    throw new RangeError("encodeWav: all channels must have the same length");
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > MAX_RIFF_SIZE)
    throw new RangeError(`encodeWav: invalid sample rate ${sampleRate}`);

  const sampleBytes = format === "pcm16" ? 2 : format === "pcm24" ? 3 : 4;
  const isFloat = format === "float32";
  const extensible = channelCount > 2;
  const blockAlign = sampleBytes * channelCount;
  if (blockAlign > 0xffff) throw new RangeError(`encodeWav: ${channelCount} channels do not fit a WAV block`);
  const dataBytes = frames * blockAlign;
  const fmtSize = extensible ? 40 : isFloat ? 18 : 16;
  const factChunk = isFloat || extensible ? 12 : 0;
  const headerBytes = 12 + 8 + fmtSize + factChunk + 8;
  const riffSize = headerBytes - 8 + dataBytes + (dataBytes % 2);
  if (riffSize > MAX_RIFF_SIZE)
    throw new AudioFormatError(
      "UNSUPPORTED_FORMAT",
      `WAV files cannot exceed 4 GiB: ${frames} frames × ${channelCount} channels × ${sampleBytes} bytes is ${dataBytes} bytes of audio`,
    );

  const out = new Uint8Array(headerBytes + dataBytes + (dataBytes % 2));
  const view = new DataView(out.buffer);
  writeAscii(out, 0, "RIFF");
  view.setUint32(4, riffSize, true);
  writeAscii(out, 8, "WAVE");
  writeAscii(out, 12, "fmt ");
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, extensible ? 0xfffe : isFloat ? 3 : 1, true);
  view.setUint16(22, channelCount, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, sampleBytes * 8, true);
  let pos = 36;
  if (fmtSize >= 18) {
    view.setUint16(36, fmtSize - 18, true);
    pos = 38;
  }
  if (extensible) {
    view.setUint16(38, sampleBytes * 8, true); // valid bits
    view.setUint32(40, 0, true); // channel mask: no speaker assignment
    view.setUint16(44, isFloat ? 3 : 1, true);
    out.set(GUID_TAIL, 46);
    pos = 60;
  }
  if (factChunk) {
    writeAscii(out, pos, "fact");
    view.setUint32(pos + 4, 4, true);
    view.setUint32(pos + 8, frames, true);
    pos += 12;
  }
  writeAscii(out, pos, "data");
  view.setUint32(pos + 4, dataBytes, true);
  pos += 8;

  for (let c = 0; c < channelCount; c++) {
    const src = channels[c] as Float32Array;
    let p = pos + c * sampleBytes;
    if (format === "float32") {
      for (let i = 0; i < frames; i++, p += blockAlign) {
        const x = src[i] as number;
        view.setFloat32(p, Number.isFinite(x) ? x : 0, true);
      }
    } else if (format === "pcm16") {
      for (let i = 0; i < frames; i++, p += blockAlign) {
        const v = Math.round((src[i] as number) * 32768);
        view.setInt16(p, v > 32767 ? 32767 : v < -32768 ? -32768 : v || 0, true);
      }
    } else {
      for (let i = 0; i < frames; i++, p += blockAlign) {
        const r = Math.round((src[i] as number) * 8388608);
        const v = r > 8388607 ? 8388607 : r < -8388608 ? -8388608 : r || 0;
        out[p] = v & 0xff;
        out[p + 1] = (v >> 8) & 0xff;
        out[p + 2] = (v >> 16) & 0xff;
      }
    }
  }
  return out;
}
