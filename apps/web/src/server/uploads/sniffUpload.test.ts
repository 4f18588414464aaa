import { describe, expect, it } from "vitest";
import { SNIFF_BYTES, sniffBytesWanted, sniffUpload } from "./sniffUpload";
import { wavBytes } from "./testUploads";

const ascii = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (Uint8Array | number[])[]) => {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of arrays) out.set(p, (at += p.length) - p.length);
  return out;
};

describe("sniffUpload", () => {
  it("names the four formats we take", () => {
    expect(sniffUpload(wavBytes(0.1), "a.wav")).toBe("wav");
    expect(sniffUpload(bytes(ascii("fLaC"), new Array(60).fill(0)), "a.flac")).toBe("flac");
    expect(sniffUpload(bytes(ascii("FORM"), [0, 0, 0, 4], ascii("AIFF")), "a.aif")).toBe("aiff");
  });

  it.each([
    [
      "an Ogg Opus file",
      bytes(ascii("OggS"), new Array(22).fill(0), [1, 19], ascii("OpusHead"), new Array(20).fill(0)),
    ],
    ["an MP4/M4A", bytes([0, 0, 0, 32], ascii("ftypM4A "), new Array(40).fill(0))],
    ["a JPEG image", bytes([0xff, 0xd8, 0xff, 0xe0], new Array(40).fill(0))],
    ["a PDF document", bytes(ascii("%PDF-1.7\n"), [0xe2, 0xe3, 0xcf, 0xd3, 0, 1, 2])],
    ["a text file", ascii("é, ü — UTF-8 text is text")],
  ])("says the file looks like %s", (what, head) => {
    expect(() => sniffUpload(head, "x")).toThrow(expect.objectContaining({ code: "UNSUPPORTED_TYPE", status: 415 }));
    expect(() => sniffUpload(head, "x")).toThrow(`"x" looks like ${what}`);
  });

  it("names a WAV codec it does not decode", () => {
    const adpcm = wavBytes(0.1);
    new DataView(adpcm.buffer).setUint16(20, 0x0011, true); // format tag: IMA ADPCM
    expect(() => sniffUpload(adpcm, "a.wav")).toThrow(/"a.wav" looks like an IMA ADPCM.*upload WAV, AIFF, FLAC or MP3/);
  });

  it("waits for a whole ID3 tag (cover art) before deciding", () => {
    const tag = bytes(ascii("ID3"), [4, 0, 0, 0, 0, 0x08, 0]); // synchsafe size 0x08 << 7 = 1024 bytes
    expect(sniffBytesWanted(tag)).toBe(10 + 1024 + SNIFF_BYTES);
    expect(sniffBytesWanted(wavBytes(0.1))).toBe(SNIFF_BYTES);
  });
});
