import { describe, expect, it } from "vitest";
import { decodeAudio } from "./decodeAudio.ts";
import { AudioFormatError } from "./errors.ts";
import { decodeFlac, readFlacStreamInfo } from "./flac.ts";
import { encodeFlac } from "./testing/encodeFlac.ts";
import { concatBytes, quantise, testChannels } from "./testing/signals.ts";

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return e instanceof AudioFormatError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
}

describe("FLAC", () => {
  for (const bits of [8, 16, 24] as const)
    for (const channels of [1, 2])
      it.each([8000, 44100, 96000, 192000])(`${bits}-bit, ${channels} ch, %i Hz decodes exactly`, async (rate) => {
        const input = testChannels(channels, rate, 10_000, bits + rate);
        const bytes = await encodeFlac(input, rate, bits);
        const decoded = await decodeAudio(bytes);
        expect(decoded).toMatchObject({ format: "flac", codec: "flac", sampleRate: rate, bitsPerSample: bits });
        expect(decoded.warnings).toEqual([]);
        expect(decoded.nonFiniteSamples).toBe(0);
        input.forEach((ch, c) => {
          expect(decoded.channelData[c]).toEqual(Float32Array.from(ch, (x) => quantise(x, bits)));
        });
      });

  it("decodes six channels", async () => {
    const input = testChannels(6, 48000, 3000);
    const decoded = await decodeAudio(await encodeFlac(input, 48000, 24));
    expect(decoded.channelData).toHaveLength(6);
    expect(decoded.channelData[5]).toEqual(Float32Array.from(input[5] as Float32Array, (x) => quantise(x, 24)));
  });

  it("reads STREAMINFO", async () => {
    const bytes = await encodeFlac(testChannels(2, 96000, 1234), 96000, 24);
    expect(readFlacStreamInfo(bytes)).toMatchObject({
      sampleRate: 96000,
      channels: 2,
      bitsPerSample: 24,
      totalSamples: 1234,
    });
  });

  it("skips a leading ID3v2 tag", async () => {
    const input = testChannels(2, 44100, 5000);
    const tag = new Uint8Array(10 + 64);
    tag.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 64]);
    const decoded = await decodeAudio(concatBytes([tag, await encodeFlac(input, 44100, 16)]));
    expect(decoded.channelData[0]).toEqual(Float32Array.from(input[0] as Float32Array, (x) => quantise(x, 16)));
  });

  it("decodes the whole frames of a truncated file and warns", async () => {
    const bytes = await encodeFlac(testChannels(2, 44100, 20_000), 44100, 16);
    const decoded = await decodeAudio(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect(decoded.channelData[0]?.length).toBeGreaterThan(4096);
    expect(decoded.channelData[0]?.length).toBeLessThan(20_000);
    expect(decoded.warnings.join("\n")).toMatch(/truncated: declared 20000 samples per channel, decoded \d+/);
  });

  it("refuses 12- and 20-bit FLAC (the bundled decoder cannot scale them)", async () => {
    for (const bits of [12, 20] as const) {
      const bytes = await encodeFlac(testChannels(1, 44100, 1000), 44100, bits);
      expect(await failure(decodeAudio(bytes))).toBe(
        `UNSUPPORTED_FORMAT: unsupported FLAC: ${bits}-bit samples (8, 16, 24 and 32 bits are supported)`,
      );
    }
  });

  it("reports truncation inside the metadata, and frames that do not decode", async () => {
    const bytes = await encodeFlac(testChannels(2, 44100, 5000), 44100, 16);
    expect(await failure(decodeFlac(bytes.subarray(0, 20)))).toMatch(/^TRUNCATED: .*STREAMINFO is 34 bytes/);
    const { framesOffset } = readFlacStreamInfo(bytes);
    expect(await failure(decodeFlac(bytes.subarray(0, framesOffset - 3)))).toMatch(
      /^TRUNCATED: .*ends inside its metadata blocks/,
    );
    expect(await failure(decodeFlac(bytes.subarray(0, framesOffset)))).toMatch(
      /^TRUNCATED: .*before the first audio frame/,
    );
    const garbage = concatBytes([bytes.subarray(0, framesOffset), new Uint8Array(5000).fill(0x55)]);
    expect(await failure(decodeFlac(garbage))).toMatch(/^DECODE_FAILED: no audio decoded from FLAC/);
  });
});
