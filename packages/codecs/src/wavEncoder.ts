import type { AudioEncoder, EncoderTail } from "./audioEncoder.ts";
import { encodeWav, type WavSampleFormat } from "./encodeWav.ts";
import { AudioFormatError } from "./errors.ts";

/**
 * Streaming WAV writer. The header is written first with zero sizes and patched by `finish()`.
 * Integer formats expect samples already at their word length (the chain's output stage dithers);
 * values are rounded to nearest and clipped at full scale, as `encodeWav` does.
 */
export function createWavEncoder(o: { sampleRate: number; channels: number; format: WavSampleFormat }): AudioEncoder {
  const header = encodeWav(
    Array.from({ length: o.channels }, () => new Float32Array(0)),
    o.sampleRate,
    o.format,
  );
  const dataSizeAt = header.length - 4;
  const factAt = findTag(header, "fact");
  const bytesPerSample = o.format === "pcm16" ? 2 : o.format === "pcm24" ? 3 : 4;
  const blockAlign = bytesPerSample * o.channels;
  let frames = 0;
  let headerSent = false;
  return {
    extension: "wav",
    mimeType: "audio/wav",
    async encode(channels, n) {
      const out = new Uint8Array((headerSent ? 0 : header.length) + n * blockAlign);
      let pos = 0;
      if (!headerSent) {
        out.set(header, 0);
        pos = header.length;
        headerSent = true;
      }
      const view = new DataView(out.buffer);
      writeInterleaved(view, pos, channels, n, o.format);
      frames += n;
      return out;
    },
    async finish(): Promise<EncoderTail> {
      const dataBytes = frames * blockAlign;
      const pad = dataBytes % 2;
      const riffSize = header.length - 8 + dataBytes + pad;
      if (riffSize > 0xffffffff)
        throw new AudioFormatError("UNSUPPORTED_FORMAT", `WAV files cannot exceed 4 GiB (${dataBytes} bytes of audio)`);
      const u32 = (v: number) => {
        const b = new Uint8Array(4);
        new DataView(b.buffer).setUint32(0, v, true);
        return b;
      };
      const patches = [
        { offset: 4, bytes: u32(riffSize) },
        { offset: dataSizeAt, bytes: u32(dataBytes) },
      ];
      if (factAt >= 0) patches.push({ offset: factAt + 8, bytes: u32(frames) });
      const tail = new Uint8Array((headerSent ? 0 : header.length) + pad);
      if (!headerSent) tail.set(header, 0);
      return { tail, patches };
    },
  };
}

function writeInterleaved(
  view: DataView,
  pos: number,
  channels: readonly Float32Array[],
  n: number,
  format: WavSampleFormat,
): void {
  const nc = channels.length;
  if (format === "float32") {
    for (let i = 0; i < n; i++)
      for (let c = 0; c < nc; c++, pos += 4) {
        const v = channels[c]![i]!;
        view.setFloat32(pos, Number.isFinite(v) ? v : 0, true);
      }
    return;
  }
  const full = format === "pcm16" ? 32768 : 8388608;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < nc; c++) {
      const x = channels[c]![i]!;
      let v = Math.round((Number.isNaN(x) ? 0 : x) * full);
      if (v > full - 1) v = full - 1;
      else if (v < -full) v = -full;
      if (format === "pcm16") {
        view.setInt16(pos, v, true);
        pos += 2;
      } else {
        view.setUint8(pos, v & 0xff);
        view.setUint8(pos + 1, (v >> 8) & 0xff);
        view.setUint8(pos + 2, (v >> 16) & 0xff);
        pos += 3;
      }
    }
}

function findTag(bytes: Uint8Array, tag: string): number {
  outer: for (let i = 12; i + 4 <= bytes.length; i++) {
    for (let k = 0; k < 4; k++) if (bytes[i + k] !== tag.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}
