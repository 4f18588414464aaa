import { describe, expect, it } from "vitest";
import { decodeAudio } from "./decodeAudio.ts";
import { AudioFormatError } from "./errors.ts";
import { encodeAiff } from "./testing/encodeAiff.ts";
import { ascii, concatBytes, prng, quantise, testChannels } from "./testing/signals.ts";
import { writeWav } from "./testing/writeWav.ts";

async function failure(bytes: Uint8Array): Promise<string> {
  try {
    await decodeAudio(bytes);
    return "ok";
  } catch (e) {
    return e instanceof AudioFormatError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
}

describe("decodeAudio on bad input", () => {
  const input = testChannels(2, 44100, 1000);
  const wav = writeWav(input, 44100, { encoding: "int", bits: 16 });

  it("empty → EMPTY", async () => {
    expect(await failure(new Uint8Array(0))).toBe("EMPTY: empty input: 0 bytes");
  });

  it("truncated header → TRUNCATED", async () => {
    expect(await failure(wav.subarray(0, 29))).toBe(
      "TRUNCATED: truncated WAV header: fmt chunk is 16 bytes but only 9 remain",
    );
    expect(await failure(wav.subarray(0, 40))).toBe("TRUNCATED: truncated WAV: the file ends before the data chunk");
    const aiff = encodeAiff(input, 44100, { bits: 16 });
    expect(await failure(aiff.subarray(0, 30))).toMatch(/^TRUNCATED: truncated AIFF header: COMM chunk is 18 bytes/);
  });

  it("data chunk with no whole frame → TRUNCATED; an empty data chunk → DECODE_FAILED", async () => {
    expect(await failure(wav.subarray(0, 46))).toBe(
      "TRUNCATED: truncated WAV: declared 4000 bytes of audio, found no whole frame",
    );
    const empty = writeWav([new Float32Array(0)], 8000, { encoding: "int", bits: 16, dataSizeField: 4 });
    expect(await failure(empty)).toMatch(/^TRUNCATED/);
    const silent = concatBytes([writeWav([new Float32Array(0)], 8000, { encoding: "int", bits: 16 }), ascii("LIST")]);
    new DataView(silent.buffer).setUint32(40, 0, true);
    expect(await failure(silent.subarray(0, 44))).toBe(
      "DECODE_FAILED: no audio in WAV: the file declares 0 bytes of audio",
    );
  });

  it("corrupt header → CORRUPT_HEADER", async () => {
    const bad = wav.slice();
    new DataView(bad.buffer).setUint16(22, 0, true);
    expect(await failure(bad)).toBe("CORRUPT_HEADER: corrupt WAV header: 0 channels");
  });

  it("unsupported codecs → UNSUPPORTED_CODEC naming them", async () => {
    const adpcm = writeWav(input, 44100, { encoding: "int", bits: 16, formatTag: 2 });
    expect(await failure(adpcm)).toBe(
      "UNSUPPORTED_CODEC: unsupported codec: Microsoft ADPCM in WAV (format tag 0x0002)",
    );
    const ogg = concatBytes([
      ascii("OggS"),
      new Uint8Array(22),
      Uint8Array.of(1, 30),
      ascii("\x01vorbis"),
      new Uint8Array(64),
    ]);
    expect(await failure(ogg)).toBe("UNSUPPORTED_CODEC: unsupported codec: Ogg Vorbis");
  });

  it("random bytes and text → NOT_AUDIO", async () => {
    const rnd = prng(42);
    const noise = Uint8Array.from({ length: 10_000 }, () => Math.floor(rnd() * 256));
    expect(await failure(noise)).toBe("NOT_AUDIO: not an audio file (unrecognised header)");
    const text = ascii("# Release notes\n\nThis is not audio. RIFF WAVE fLaC ID3 are just words here.\n".repeat(20));
    expect(await failure(text)).toBe("NOT_AUDIO: not an audio file (unrecognised header)");
  });

  it("a declared data size larger than the file decodes what is there, with a warning", async () => {
    const cut = wav.subarray(0, 44 + 2 * 4 * 100 + 3);
    const decoded = await decodeAudio(cut);
    expect(decoded.channelData[0]).toEqual(
      Float32Array.from((input[0] as Float32Array).subarray(0, 200), (x) => quantise(x, 16)),
    );
    expect(decoded.warnings).toEqual([
      "truncated: declared 4000 bytes of audio, found 803",
      "ignored 3 trailing bytes that do not fill a whole frame",
    ]);
  });

  it("NaN/Inf samples in a float WAV become 0 and are counted", async () => {
    const ch = Float32Array.of(0.25, Number.NaN, -0.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5);
    const decoded = await decodeAudio(writeWav([ch, ch.map((x) => x / 2)], 48000, { encoding: "float", bits: 32 }));
    expect(Array.from(decoded.channelData[0] as Float32Array)).toEqual([0.25, 0, -0.5, 0, 0, 1.5]);
    expect(decoded.nonFiniteSamples).toBe(6);
    expect(decoded.warnings).toEqual(["replaced 6 NaN/infinite samples by 0"]);
  });
});
