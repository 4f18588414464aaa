import type { PcmLayout } from "./pcmLayout.ts";

export interface PcmFramesResult {
  /** Frames converted (and written to every channel of `out`). */
  frames: number;
  /** NaN/±Inf float samples (or float64 values beyond float32 range) replaced by 0. */
  nonFinite: number;
}

/**
 * Converts the whole frames at the start of `bytes` (a piece of the data region that begins on a
 * frame boundary) into planar floats in [-1, 1), writing `out[c][outOffset + i]`. Integer samples
 * are scaled by 2^-(bits-1) (16-bit 32767 → 0.999969…); 8-bit WAV is unsigned with 128 as zero.
 * Stops at the end of `bytes` or of the shortest output channel, whichever comes first.
 */
export function decodePcmFrames(
  layout: PcmLayout,
  bytes: Uint8Array,
  out: Float32Array[],
  outOffset = 0,
): PcmFramesResult {
  const { channels, bytesPerFrame, littleEndian: le } = layout;
  if (out.length < channels) throw new RangeError(`need ${channels} output channels, got ${out.length}`);
  let frames = Math.floor(bytes.length / bytesPerFrame);
  for (let c = 0; c < channels; c++) frames = Math.min(frames, (out[c] as Float32Array).length - outOffset);
  if (frames <= 0) return { frames: 0, nonFinite: 0 };

  const view = new DataView(bytes.buffer, bytes.byteOffset, frames * bytesPerFrame);
  const sampleBytes = layout.bitsPerSample / 8;
  let nonFinite = 0;
  for (let c = 0; c < channels; c++) {
    const dst = out[c] as Float32Array;
    const end = outOffset + frames;
    let p = c * sampleBytes;
    if (layout.encoding === "uint8") {
      for (let i = outOffset; i < end; i++, p += bytesPerFrame) dst[i] = (view.getUint8(p) - 128) / 128;
    } else if (layout.encoding === "float" && sampleBytes === 4) {
      for (let i = outOffset; i < end; i++, p += bytesPerFrame) {
        const v = view.getFloat32(p, le);
        if (Number.isFinite(v)) dst[i] = v;
        else {
          dst[i] = 0;
          nonFinite++;
        }
      }
    } else if (layout.encoding === "float") {
      for (let i = outOffset; i < end; i++, p += bytesPerFrame) {
        const v = Math.fround(view.getFloat64(p, le));
        if (Number.isFinite(v)) dst[i] = v;
        else {
          dst[i] = 0;
          nonFinite++;
        }
      }
    } else if (sampleBytes === 1) {
      for (let i = outOffset; i < end; i++, p += bytesPerFrame) dst[i] = view.getInt8(p) / 128;
    } else if (sampleBytes === 2) {
      for (let i = outOffset; i < end; i++, p += bytesPerFrame) dst[i] = view.getInt16(p, le) / 32768;
    } else if (sampleBytes === 3) {
      const lo = le ? 0 : 2;
      const hi = le ? 2 : 0;
      for (let i = outOffset; i < end; i++, p += bytesPerFrame) {
        const v = view.getUint8(p + lo) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + hi) << 16);
        dst[i] = v / 8388608;
      }
    } else {
      for (let i = outOffset; i < end; i++, p += bytesPerFrame) dst[i] = view.getInt32(p, le) / 2147483648;
    }
  }
  return { frames, nonFinite };
}
