// Writes long test WAV files in pieces (so a 10-minute 96 kHz file never sits in memory).
import { closeSync, openSync, writeSync } from "node:fs";

/**
 * Streams `seconds` of stereo 24-bit PCM from `next(frames) → [Float32Array, Float32Array]`.
 * @param {string} path @param {number} sampleRate @param {number} seconds
 * @param {(frames: number) => Float32Array[]} next
 */
export function writeWav24(path, sampleRate, seconds, next) {
  const channels = 2;
  const frames = Math.round(sampleRate * seconds);
  const dataBytes = frames * channels * 3;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 3, 28);
  header.writeUInt16LE(channels * 3, 32);
  header.writeUInt16LE(24, 34);
  header.write("data", 36);
  header.writeUInt32LE(dataBytes, 40);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, header);
    const block = 65536;
    const buf = Buffer.alloc(block * channels * 3);
    for (let at = 0; at < frames; at += block) {
      const n = Math.min(block, frames - at);
      const ch = next(n);
      let p = 0;
      for (let i = 0; i < n; i++)
        for (let c = 0; c < channels; c++, p += 3) {
          const v = Math.max(-8388608, Math.min(8388607, Math.round(ch[c][i] * 8388608)));
          buf.writeIntLE(v, p, 3);
        }
      writeSync(fd, buf, 0, n * channels * 3);
    }
  } finally {
    closeSync(fd);
  }
}

/** A music-like stereo signal generator: pink-ish noise with a pulsing bass, deterministic. */
export function musicLike(sampleRate, seed = 1) {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const b = [new Float64Array(3), new Float64Array(3)];
  let pos = 0;
  return (frames) => {
    const out = [new Float32Array(frames), new Float32Array(frames)];
    for (let i = 0; i < frames; i++, pos++) {
      const beat = (pos % sampleRate) / sampleRate;
      const env = Math.exp(-beat * 6);
      const bass = 0.25 * env * Math.sin((2 * Math.PI * 55 * pos) / sampleRate);
      for (let c = 0; c < 2; c++) {
        const w = rand();
        const st = b[c];
        st[0] = 0.99765 * st[0] + w * 0.099046;
        st[1] = 0.963 * st[1] + w * 0.2965164;
        st[2] = 0.57 * st[2] + w * 1.0526913;
        out[c][i] = 0.08 * (st[0] + st[1] + st[2] + w * 0.1848) + bass;
      }
    }
    return out;
  };
}
