import { describe, expect, it } from "vitest";
import { AudioFormatError } from "./errors.ts";
import { sniff } from "./sniff.ts";
import { encodeAiff } from "./testing/encodeAiff.ts";
import { encodeFlac } from "./testing/encodeFlac.ts";
import { encodeMp3 } from "./testing/encodeMp3.ts";
import { ascii, concatBytes, prng, sine, testChannels } from "./testing/signals.ts";
import { writeWav } from "./testing/writeWav.ts";

function failure(bytes: Uint8Array): string {
  try {
    return `ok: ${JSON.stringify(sniff(bytes))}`;
  } catch (e) {
    return e instanceof AudioFormatError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
}

/** An ID3v2.3 tag with `size` bytes of (zero) content. */
function id3(size: number): Uint8Array {
  const tag = new Uint8Array(10 + size);
  tag.set([0x49, 0x44, 0x33, 3, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
  return tag;
}

describe("sniff", () => {
  const ch = testChannels(2, 44100, 4410);

  it("recognises the supported containers", async () => {
    const mp3 = await encodeMp3([sine(1000, 44100, 44100)], 44100);
    const flac = await encodeFlac(ch, 44100, 16);
    expect(sniff(writeWav(ch, 44100, { encoding: "int", bits: 16 }))).toEqual({ format: "wav", offset: 0 });
    expect(sniff(writeWav(ch, 44100, { encoding: "int", bits: 16, rifx: true })).format).toBe("wav");
    expect(sniff(writeWav(ch, 44100, { encoding: "int", bits: 16, rf64: true })).format).toBe("wav");
    expect(sniff(encodeAiff(ch, 44100, { bits: 16 }))).toEqual({ format: "aiff", offset: 0 });
    expect(sniff(encodeAiff(ch, 44100, { bits: 32, compression: "fl32" })).format).toBe("aiff");
    expect(sniff(flac)).toEqual({ format: "flac", offset: 0 });
    expect(sniff(concatBytes([id3(100), flac]))).toEqual({ format: "flac", offset: 110 });
    expect(sniff(mp3)).toEqual({ format: "mp3", offset: 0 });
    expect(sniff(concatBytes([id3(300), mp3]))).toEqual({ format: "mp3", offset: 310 });
    // Extra zero padding after the tag, and a few junk bytes before the first frame.
    expect(sniff(concatBytes([id3(20), new Uint8Array(50), mp3]))).toEqual({ format: "mp3", offset: 80 });
    expect(sniff(concatBytes([Uint8Array.of(1, 2, 3), mp3]))).toEqual({ format: "mp3", offset: 3 });
  });

  it("refuses recognised formats it does not decode, naming them", () => {
    const ogg = concatBytes([ascii("OggS"), new Uint8Array(22), Uint8Array.of(1, 30), ascii("\x01vorbis")]);
    expect(failure(ogg)).toBe("UNSUPPORTED_CODEC: unsupported codec: Ogg Vorbis");
    const opus = concatBytes([ascii("OggS"), new Uint8Array(22), Uint8Array.of(1, 19), ascii("OpusHead")]);
    expect(failure(opus)).toBe("UNSUPPORTED_CODEC: unsupported codec: Ogg Opus");
    expect(failure(concatBytes([Uint8Array.of(0, 0, 0, 0x20), ascii("ftypM4A "), new Uint8Array(20)]))).toMatch(
      /^UNSUPPORTED_CODEC: .*MP4\/M4A .*M4A/,
    );
    expect(failure(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3, 4))).toMatch(/^UNSUPPORTED_CODEC: .*WebM\/Matroska/);
    expect(failure(writeWav(ch, 44100, { encoding: "int", bits: 16, formatTag: 2 }))).toMatch(
      /^UNSUPPORTED_CODEC: .*Microsoft ADPCM in WAV \(format tag 0x0002\)/,
    );
    expect(failure(writeWav(ch, 44100, { encoding: "int", bits: 16, formatTag: 0x55 }))).toMatch(/MP3 in WAV/);
    expect(failure(writeWav(ch, 44100, { encoding: "int", bits: 16, formatTag: 7, extensible: true }))).toMatch(
      /µ-law/,
    );
    const aifc = encodeAiff(ch, 44100, { bits: 16, compression: "NONE" });
    aifc.set(ascii("ima4"), aifc.indexOf(0x4e, 30));
    expect(failure(aifc)).toMatch(/^UNSUPPORTED_CODEC: .*IMA ADPCM in AIFF-C/);
    expect(failure(Uint8Array.of(0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc, 0))).toMatch(/AAC \(ADTS\)/);
  });

  it("refuses MPEG Layer II", () => {
    // MPEG-1 Layer II, 128 kbps, 44.1 kHz: 417-byte frames.
    const frame = new Uint8Array(417);
    frame.set([0xff, 0xfd, 0x80, 0x04]);
    expect(failure(concatBytes([frame, frame, frame]))).toMatch(/^UNSUPPORTED_CODEC: .*Layer II/);
  });

  it("EMPTY, NOT_AUDIO and TRUNCATED", () => {
    expect(failure(new Uint8Array(0))).toBe("EMPTY: empty input: 0 bytes");
    expect(failure(ascii("Hello, this is a text file.\nIt has lines.\n"))).toBe(
      "NOT_AUDIO: not an audio file (unrecognised header)",
    );
    expect(failure(ascii("RIFF\x10\0\0\0AVI LIST"))).toMatch(/^NOT_AUDIO: .*AVI/);
    expect(failure(ascii("RIFF"))).toMatch(/^TRUNCATED/);
    expect(failure(id3(5000).subarray(0, 100))).toMatch(/^TRUNCATED: .*ID3 tag declares 5010 bytes/);
  });

  it("does not mistake random bytes for MP3 (two consecutive frames required)", () => {
    const rnd = prng(7);
    let mp3 = 0;
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(rnd() * 256));
      if (failure(bytes).startsWith("ok")) mp3++;
    }
    expect(mp3).toBe(0);
  });
});
