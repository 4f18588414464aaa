import { describe, expect, it } from "vitest";
import { parseAiffHeader, readExtended80 } from "./aiffHeader.ts";
import { decodeAudio } from "./decodeAudio.ts";
import { AudioFormatError } from "./errors.ts";
import { type AiffWriteOptions, encodeAiff, extended80 } from "./testing/encodeAiff.ts";
import { ascii, quantise, testChannels } from "./testing/signals.ts";

const CASES: [string, AiffWriteOptions, string, (x: number) => number][] = [
  ["AIFF 8-bit", { bits: 8 }, "pcm_s8", (x) => quantise(x, 8)],
  ["AIFF 16-bit", { bits: 16 }, "pcm_s16be", (x) => quantise(x, 16)],
  ["AIFF 24-bit", { bits: 24 }, "pcm_s24be", (x) => quantise(x, 24)],
  ["AIFF 32-bit", { bits: 32 }, "pcm_s32be", (x) => quantise(x, 32)],
  ["AIFF-C NONE 16-bit", { bits: 16, compression: "NONE" }, "pcm_s16be", (x) => quantise(x, 16)],
  ["AIFF-C sowt 16-bit", { bits: 16, compression: "sowt" }, "pcm_s16le", (x) => quantise(x, 16)],
  ["AIFF-C sowt 24-bit", { bits: 24, compression: "sowt" }, "pcm_s24le", (x) => quantise(x, 24)],
  ["AIFF-C fl32", { bits: 32, compression: "fl32" }, "pcm_f32be", Math.fround],
  ["AIFF-C fl64", { bits: 64, compression: "fl64" }, "pcm_f64be", Math.fround],
];

describe("AIFF round trips (exact to the quantisation step)", () => {
  for (const [label, options, codec, expected] of CASES)
    for (const channels of [1, 2])
      it.each([8000, 44100, 96000, 192000])(`${label}, ${channels} ch, %i Hz`, async (rate) => {
        const input = testChannels(channels, rate, 1200, rate);
        const decoded = await decodeAudio(encodeAiff(input, rate, options));
        expect(decoded).toMatchObject({ format: "aiff", codec, sampleRate: rate, warnings: [] });
        input.forEach((ch, c) => {
          expect(decoded.channelData[c]).toEqual(Float32Array.from(ch, expected));
        });
      });
});

describe("readExtended80", () => {
  it.each([8000, 11025, 22050, 44100, 48000, 96000, 176400, 192000])("reads %i Hz", (rate) => {
    expect(readExtended80(new DataView(extended80(rate).buffer), 0)).toBe(rate);
  });

  it("reads the classic Mac rate 22254.5454… and Infinity/NaN safely", () => {
    // 244800 / 11 Hz = 1.358… × 2^14: exponent 16383 + 14, mantissa ⌊244800 · 2^49 / 11⌋.
    const bytes = new Uint8Array(10);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, 16383 + 14, false);
    view.setBigUint64(2, (244800n << 49n) / 11n, false);
    expect(readExtended80(view, 0)).toBeCloseTo(244800 / 11, 9);
    const inf = Uint8Array.of(0x7f, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0);
    expect(readExtended80(new DataView(inf.buffer), 0)).toBeNaN();
    const huge = Uint8Array.of(0x7f, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0);
    expect(readExtended80(new DataView(huge.buffer), 0)).toBe(Number.POSITIVE_INFINITY);
    expect(readExtended80(new DataView(new ArrayBuffer(10)), 0)).toBe(0);
  });
});

describe("parseAiffHeader", () => {
  const aiff = encodeAiff(testChannels(2, 44100, 1000), 44100, { bits: 16 });
  const codeOf = (bytes: Uint8Array, total?: number) => {
    try {
      parseAiffHeader(bytes, total);
    } catch (e) {
      return e instanceof AudioFormatError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
    }
    return "ok";
  };

  it("describes the layout", () => {
    expect(parseAiffHeader(aiff)).toMatchObject({
      container: "aiff",
      channels: 2,
      sampleRate: 44100,
      bitsPerSample: 16,
      encoding: "int",
      littleEndian: false,
      bytesPerFrame: 4,
      dataOffset: 12 + 26 + 16,
      dataBytes: 4000,
      declaredDataBytes: 4000,
      warnings: [],
    });
  });

  it("clamps a truncated SSND and warns", () => {
    const layout = parseAiffHeader(aiff.subarray(0, aiff.length - 1001));
    expect(layout.dataBytes).toBe(2996);
    expect(layout.warnings).toContain("truncated: declared 4000 bytes of audio, found 2999");
  });

  it("rejects nonsense values", () => {
    const copy = aiff.slice();
    const v = new DataView(copy.buffer);
    v.setInt16(20, 0, false); // COMM channels
    expect(codeOf(copy)).toMatch(/^CORRUPT_HEADER: .*0 channels/);
    v.setInt16(20, 2, false);
    v.setInt16(26, 0, false); // sample size
    expect(codeOf(copy)).toMatch(/^CORRUPT_HEADER: .*0 bits/);
    v.setInt16(26, 16, false);
    copy.set(extended80(5000), 28);
    expect(codeOf(copy)).toMatch(/^UNSUPPORTED_FORMAT: .*5000 Hz/);
    copy.set(Uint8Array.of(0x7f, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0), 28);
    expect(codeOf(copy)).toMatch(/^CORRUPT_HEADER: .*sample rate NaN/);
  });

  it("names unsupported AIFF-C codecs", () => {
    const aifc = encodeAiff(testChannels(1, 8000, 10), 8000, { bits: 16, compression: "NONE" });
    const at = aifc.indexOf(0x4e, 30); // "NONE" in COMM
    aifc.set(ascii("ulaw"), at);
    expect(codeOf(aifc)).toMatch(/^UNSUPPORTED_CODEC: unsupported codec: µ-law in AIFF-C/);
  });

  it("TRUNCATED when the file ends before COMM or SSND", () => {
    for (const n of [6, 12, 20, 30, 40, 50]) expect(codeOf(aiff.subarray(0, n))).toMatch(/^TRUNCATED: /);
  });
});
