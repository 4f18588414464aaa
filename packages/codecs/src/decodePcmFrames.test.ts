import { describe, expect, it } from "vitest";
import { decodePcmFrames } from "./decodePcmFrames.ts";
import { parsePcmHeader } from "./pcm.ts";
import { encodeAiff } from "./testing/encodeAiff.ts";
import { testChannels } from "./testing/signals.ts";
import { writeWav } from "./testing/writeWav.ts";

describe("decodePcmFrames (streaming)", () => {
  const files = {
    "WAV 24-bit": writeWav(testChannels(2, 48000, 5000), 48000, { encoding: "int", bits: 24 }),
    "WAV float64": writeWav(testChannels(3, 48000, 5000), 48000, { encoding: "float", bits: 64 }),
    "AIFF 16-bit": encodeAiff(testChannels(2, 48000, 5000), 48000, { bits: 16 }),
  };

  it.each(Object.entries(files))("%s: chunked decoding equals whole-file decoding", (_, bytes) => {
    const layout = parsePcmHeader(bytes.subarray(0, 256), bytes.length);
    const frames = layout.dataBytes / layout.bytesPerFrame;
    const data = bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes);
    const whole = Array.from({ length: layout.channels }, () => new Float32Array(frames));
    expect(decodePcmFrames(layout, data, whole)).toEqual({ frames, nonFinite: 0 });

    const chunked = Array.from({ length: layout.channels }, () => new Float32Array(frames));
    const chunkBytes = 333 * layout.bytesPerFrame;
    let done = 0;
    for (let at = 0; at < data.length; at += chunkBytes)
      done += decodePcmFrames(layout, data.subarray(at, at + chunkBytes), chunked, done).frames;
    expect(done).toBe(frames);
    expect(chunked).toEqual(whole);
  });

  it("converts only whole frames and stops at the end of the output", () => {
    const bytes = files["WAV 24-bit"];
    const layout = parsePcmHeader(bytes);
    const out = [new Float32Array(10), new Float32Array(10)];
    const data = bytes.subarray(layout.dataOffset);
    expect(decodePcmFrames(layout, data.subarray(0, 6 * 3 + 5), out).frames).toBe(3);
    expect(decodePcmFrames(layout, data, out, 4).frames).toBe(6);
    expect(decodePcmFrames(layout, data, out, 10).frames).toBe(0);
  });

  it("replaces NaN/±Inf float samples (and float64 beyond float32 range) by 0 and counts them", () => {
    const ch = Float32Array.of(0.5, Number.NaN, Number.POSITIVE_INFINITY, -0.25, Number.NEGATIVE_INFINITY);
    const bytes = writeWav([ch], 8000, { encoding: "float", bits: 32 });
    const layout = parsePcmHeader(bytes);
    const out = [new Float32Array(5)];
    expect(decodePcmFrames(layout, bytes.subarray(layout.dataOffset), out)).toEqual({ frames: 5, nonFinite: 3 });
    expect(Array.from(out[0] as Float32Array)).toEqual([0.5, 0, 0, -0.25, 0]);

    const wide = writeWav([Float32Array.of(0)], 8000, { encoding: "float", bits: 64 });
    new DataView(wide.buffer).setFloat64(wide.length - 8, 1e300, true);
    const l64 = parsePcmHeader(wide);
    expect(decodePcmFrames(l64, wide.subarray(l64.dataOffset), [new Float32Array(1)]).nonFinite).toBe(1);
  });

  it("scales integers by 2^-(bits-1): full-scale negative is exactly -1", () => {
    const bytes = writeWav([Float32Array.of(-1, 1, 0)], 8000, { encoding: "uint8", bits: 8 });
    const layout = parsePcmHeader(bytes);
    const out = [new Float32Array(3)];
    decodePcmFrames(layout, bytes.subarray(layout.dataOffset), out);
    expect(Array.from(out[0] as Float32Array)).toEqual([-1, 127 / 128, 0]);
  });
});
