import { describe, expect, it } from "vitest";
import { decodeAudio } from "./decodeAudio.ts";
import { AudioFormatError } from "./errors.ts";
import { quantise, testChannels } from "./testing/signals.ts";
import { type WavWriteOptions, writeWav } from "./testing/writeWav.ts";
import { parseWavHeader } from "./wavHeader.ts";

const FORMATS: [string, WavWriteOptions, string][] = [
  ["8-bit unsigned", { encoding: "uint8", bits: 8 }, "pcm_u8"],
  ["16-bit int", { encoding: "int", bits: 16 }, "pcm_s16le"],
  ["24-bit int", { encoding: "int", bits: 24 }, "pcm_s24le"],
  ["32-bit int", { encoding: "int", bits: 32 }, "pcm_s32le"],
  ["32-bit float", { encoding: "float", bits: 32 }, "pcm_f32le"],
  ["64-bit float", { encoding: "float", bits: 64 }, "pcm_f64le"],
];
const RATES = [8000, 44100, 96000, 192000];

/** What the file holds after quantisation: the decoder must return exactly this. */
function expected(x: number, o: WavWriteOptions): number {
  return o.encoding === "float" ? Math.fround(x) : quantise(x, o.bits);
}

describe("WAV round trips (exact to the quantisation step)", () => {
  for (const [label, options, codec] of FORMATS)
    for (const extensible of [false, true])
      for (const channels of [1, 2])
        it.each(RATES)(`${label}${extensible ? " extensible" : ""}, ${channels} ch, %i Hz`, async (rate) => {
          const input = testChannels(channels, rate, 1500, rate + channels);
          const decoded = await decodeAudio(writeWav(input, rate, { ...options, extensible }));
          expect(decoded).toMatchObject({ format: "wav", codec, sampleRate: rate, bitsPerSample: options.bits });
          expect(decoded.warnings).toEqual([]);
          expect(decoded.channelData).toHaveLength(channels);
          input.forEach((ch, c) => {
            expect(decoded.channelData[c]).toEqual(Float32Array.from(ch, (x) => expected(x, options)));
          });
        });

  it.each([16, 24, 32] as const)("RIFX (big-endian) %i-bit", async (bits) => {
    const input = testChannels(2, 48000, 500);
    const decoded = await decodeAudio(writeWav(input, 48000, { encoding: "int", bits, rifx: true }));
    expect(decoded.codec).toBe(`pcm_s${bits}be`);
    expect(decoded.channelData[1]).toEqual(Float32Array.from(input[1] as Float32Array, (x) => quantise(x, bits)));
  });

  it("RF64 takes the data size from ds64", async () => {
    const input = testChannels(2, 48000, 700);
    const bytes = writeWav(input, 48000, { encoding: "int", bits: 24, rf64: true });
    const layout = parseWavHeader(bytes);
    expect(layout.declaredDataBytes).toBe(700 * 6);
    expect(layout.warnings).toEqual([]);
    const decoded = await decodeAudio(bytes);
    expect(decoded.channelData[0]).toEqual(Float32Array.from(input[0] as Float32Array, (x) => quantise(x, 24)));
  });

  it("skips other chunks, including odd-sized ones with their pad byte", async () => {
    const input = testChannels(1, 44100, 300);
    const bytes = writeWav(input, 44100, {
      encoding: "int",
      bits: 16,
      extraChunks: [
        ["LIST", new Uint8Array(33)],
        ["junk", new Uint8Array(4)],
      ],
    });
    expect((await decodeAudio(bytes)).channelData[0]).toHaveLength(300);
  });
});

describe("parseWavHeader", () => {
  const wav = writeWav(testChannels(2, 44100, 1000), 44100, { encoding: "int", bits: 16 });

  it("describes the layout", () => {
    expect(parseWavHeader(wav)).toEqual({
      container: "wav",
      sampleRate: 44100,
      channels: 2,
      bitsPerSample: 16,
      validBitsPerSample: 16,
      encoding: "int",
      littleEndian: true,
      bytesPerFrame: 4,
      dataOffset: 44,
      dataBytes: 4000,
      declaredDataBytes: 4000,
      warnings: [],
    });
  });

  it("works from the head of a larger file (streaming)", () => {
    const layout = parseWavHeader(wav.subarray(0, 64), wav.length);
    expect(layout.dataBytes).toBe(4000);
  });

  it("asks for more header bytes when the head ends before the data chunk", () => {
    expect(() => parseWavHeader(wav.subarray(0, 30), wav.length)).toThrow(/fmt chunk is 16 bytes but only 10 remain/);
    try {
      parseWavHeader(wav.subarray(0, 40), wav.length);
    } catch (e) {
      expect(e).toBeInstanceOf(AudioFormatError);
      expect((e as AudioFormatError).code).toBe("TRUNCATED");
      expect((e as AudioFormatError).message).toMatch(/pass more of the file/);
    }
  });

  it("clamps a declared data size larger than the file and warns", () => {
    const layout = parseWavHeader(wav.subarray(0, 44 + 1001));
    expect(layout.dataBytes).toBe(1000);
    expect(layout.declaredDataBytes).toBe(4000);
    expect(layout.warnings).toContain("truncated: declared 4000 bytes of audio, found 1001");
  });

  it.each([0, 0xffffffff])("treats data size %i as 'to the end of the file'", (size) => {
    const bytes = writeWav(testChannels(1, 8000, 100), 8000, { encoding: "int", bits: 16, dataSizeField: size });
    const layout = parseWavHeader(bytes);
    expect(layout.dataBytes).toBe(200);
    expect(layout.warnings[0]).toMatch(/end of the file/);
  });

  it("keeps a 20-bit-in-24 extensible file's valid bits", () => {
    const bytes = writeWav(testChannels(2, 48000, 10), 48000, { encoding: "int", bits: 24, extensible: true });
    new DataView(bytes.buffer).setUint16(12 + 8 + 18, 20, true);
    expect(parseWavHeader(bytes)).toMatchObject({ bitsPerSample: 24, validBitsPerSample: 20 });
  });

  function codeOf(f: () => unknown): string | undefined {
    try {
      f();
    } catch (e) {
      return e instanceof AudioFormatError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
    }
    return undefined;
  }
  const mutate = (write: (v: DataView) => void) => {
    const copy = wav.slice();
    write(new DataView(copy.buffer));
    return codeOf(() => parseWavHeader(copy));
  };

  it("rejects nonsense header values as CORRUPT_HEADER, naming the field", () => {
    expect(mutate((v) => v.setUint16(22, 0, true))).toMatch(/^CORRUPT_HEADER: .*0 channels/);
    expect(mutate((v) => v.setUint16(34, 0, true))).toMatch(/^CORRUPT_HEADER: .*0 bits/);
    expect(mutate((v) => v.setUint16(32, 3, true))).toMatch(/^CORRUPT_HEADER: .*block align 3/);
    expect(mutate((v) => v.setUint16(32, 8, true))).toMatch(/^CORRUPT_HEADER: .*block align mismatch/);
    expect(mutate((v) => v.setUint32(24, 0, true))).toMatch(/^CORRUPT_HEADER: .*sample rate 0/);
    expect(mutate((v) => v.setUint32(16, 12, true))).toMatch(/^CORRUPT_HEADER: .*fmt chunk is 12 bytes/);
  });

  it("rejects out-of-range channel counts and sample rates as UNSUPPORTED_FORMAT with the value", () => {
    expect(mutate((v) => v.setUint32(24, 4000, true))).toMatch(/^UNSUPPORTED_FORMAT: .*4000 Hz/);
    expect(mutate((v) => v.setUint32(24, 384000, true))).toMatch(/^UNSUPPORTED_FORMAT: .*384000 Hz/);
    expect(mutate((v) => v.setUint16(22, 9, true))).toMatch(/^UNSUPPORTED_FORMAT: .*9 channels/);
  });

  it("names non-PCM codecs", () => {
    expect(mutate((v) => v.setUint16(20, 2, true))).toMatch(/^UNSUPPORTED_CODEC: .*Microsoft ADPCM/);
    expect(mutate((v) => v.setUint16(20, 0x55, true))).toMatch(/^UNSUPPORTED_CODEC: .*MP3 in WAV/);
    expect(mutate((v) => v.setUint16(20, 7, true))).toMatch(/^UNSUPPORTED_CODEC: .*µ-law/);
    const ext = writeWav(testChannels(2, 8000, 4), 8000, { encoding: "int", bits: 16, extensible: true, formatTag: 6 });
    expect(codeOf(() => parseWavHeader(ext))).toMatch(/^UNSUPPORTED_CODEC: .*A-law/);
  });

  it("TRUNCATED when the file ends before fmt or data", () => {
    for (const n of [5, 12, 20, 36, 40])
      expect(codeOf(() => parseWavHeader(wav.subarray(0, n)))).toMatch(/^TRUNCATED: /);
  });
});
