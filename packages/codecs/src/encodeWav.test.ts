import { describe, expect, it } from "vitest";
import { decodeAudio } from "./decodeAudio.ts";
import { encodeWav } from "./encodeWav.ts";
import { AudioFormatError } from "./errors.ts";
import { quantise, testChannels } from "./testing/signals.ts";
import { parseWavHeader } from "./wavHeader.ts";

describe("encodeWav", () => {
  const input = testChannels(2, 48000, 2000);

  it.each([
    ["pcm16", 16, "pcm_s16le"],
    ["pcm24", 24, "pcm_s24le"],
    ["float32", 32, "pcm_f32le"],
  ] as const)("%s round-trips through decodeAudio", async (format, bits, codec) => {
    const decoded = await decodeAudio(encodeWav(input, 48000, format));
    expect(decoded).toMatchObject({ codec, sampleRate: 48000, bitsPerSample: bits, warnings: [] });
    const exp = format === "float32" ? Math.fround : (x: number) => quantise(x, bits);
    input.forEach((ch, c) => {
      expect(decoded.channelData[c]).toEqual(Float32Array.from(ch, exp));
    });
    // decode → encode is lossless
    expect(encodeWav(decoded.channelData, 48000, format)).toEqual(encodeWav(input, 48000, format));
  });

  it("writes the canonical 44-byte PCM header", () => {
    const bytes = encodeWav([Float32Array.of(0, 0.5, -0.5)], 44100, "pcm16");
    const v = new DataView(bytes.buffer);
    expect(bytes.length).toBe(44 + 6);
    expect(String.fromCharCode(...bytes.subarray(0, 4), ...bytes.subarray(8, 16))).toBe("RIFFWAVEfmt ");
    expect([v.getUint32(4, true), v.getUint32(16, true), v.getUint16(20, true), v.getUint16(22, true)]).toEqual([
      42, 16, 1, 1,
    ]);
    expect([v.getUint32(24, true), v.getUint32(28, true), v.getUint16(32, true), v.getUint16(34, true)]).toEqual([
      44100, 88200, 2, 16,
    ]);
    expect(String.fromCharCode(...bytes.subarray(36, 40))).toBe("data");
    expect([v.getUint32(40, true), v.getInt16(44, true), v.getInt16(46, true), v.getInt16(48, true)]).toEqual([
      6, 0, 16384, -16384,
    ]);
  });

  it("rounds to nearest and clips at full scale", () => {
    const x = Float32Array.of(1.5, -1.5, 1, -1, 0.4 / 32768, 0.6 / 32768, Number.NaN, Number.POSITIVE_INFINITY);
    const v = new DataView(encodeWav([x], 8000, "pcm16").buffer);
    expect(Array.from({ length: 8 }, (_, i) => v.getInt16(44 + 2 * i, true))).toEqual([
      32767, -32768, 32767, -32768, 0, 1, 0, 32767,
    ]);
    const b24 = encodeWav([Float32Array.of(2, -2)], 8000, "pcm24");
    expect(Array.from(b24.subarray(44))).toEqual([0xff, 0xff, 0x7f, 0x00, 0x00, 0x80]);
    const f = new DataView(encodeWav([Float32Array.of(Number.NaN, 1.5)], 8000, "float32").buffer);
    expect([f.getFloat32(58, true), f.getFloat32(62, true)]).toEqual([0, 1.5]);
  });

  it("uses WAVE_FORMAT_EXTENSIBLE above two channels, and pads odd data", () => {
    const six = testChannels(6, 48000, 11);
    const bytes = encodeWav(six, 48000, "pcm24");
    expect(new DataView(bytes.buffer).getUint16(20, true)).toBe(0xfffe);
    expect(bytes.length % 2).toBe(0);
    expect(parseWavHeader(bytes)).toMatchObject({
      channels: 6,
      bitsPerSample: 24,
      dataBytes: 6 * 3 * 11,
      warnings: [],
    });
  });

  it("rejects more than 4 GiB with a clear error, before allocating", () => {
    const long = new Float32Array(1);
    Object.defineProperty(long, "length", { value: 2 ** 30 });
    let error: unknown;
    try {
      encodeWav([long, long], 48000, "float32");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AudioFormatError);
    expect((error as AudioFormatError).code).toBe("UNSUPPORTED_FORMAT");
    expect((error as AudioFormatError).message).toMatch(/cannot exceed 4 GiB/);
  });

  it("rejects bad arguments", () => {
    expect(() => encodeWav([], 48000, "pcm16")).toThrow(RangeError);
    expect(() => encodeWav([new Float32Array(2), new Float32Array(3)], 48000, "pcm16")).toThrow(/same length/);
    expect(() => encodeWav([new Float32Array(2)], 0, "pcm16")).toThrow(/sample rate/);
  });
});
