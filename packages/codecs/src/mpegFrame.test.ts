import { describe, expect, it } from "vitest";
import { findMpegStream, id3v2Length, parseMpegFrameHeader } from "./mpegFrame.ts";
import { concatBytes } from "./testing/signals.ts";

const header = (...b: number[]) => Uint8Array.from(b);

describe("parseMpegFrameHeader", () => {
  // Frame lengths from ISO/IEC 11172-3 §2.4.3.1: 144 · bitrate / sample rate (+ padding), and
  // 72 · bitrate / sample rate for MPEG-2/2.5 Layer III.
  it.each([
    ["MPEG-1 L3 128 kbps 44.1 kHz", [0xff, 0xfb, 0x90, 0x00], { version: "1", layer: 3, frameBytes: 417, channels: 2 }],
    ["… padded, mono", [0xff, 0xfb, 0x92, 0xc0], { frameBytes: 418, channels: 1, samplesPerFrame: 1152 }],
    ["MPEG-1 L3 320 kbps 48 kHz", [0xff, 0xfb, 0xe4, 0x00], { sampleRate: 48000, bitrateKbps: 320, frameBytes: 960 }],
    ["MPEG-2 L3 64 kbps 22.05 kHz", [0xff, 0xf3, 0x80, 0x00], { version: "2", frameBytes: 208, samplesPerFrame: 576 }],
    ["MPEG-2.5 L3 8 kbps 8 kHz", [0xff, 0xe3, 0x18, 0x00], { version: "2.5", sampleRate: 8000, frameBytes: 72 }],
    ["MPEG-1 L2 128 kbps 44.1 kHz", [0xff, 0xfd, 0x80, 0x04], { layer: 2, frameBytes: 417 }],
    ["MPEG-1 L1 32 kbps 32 kHz", [0xff, 0xff, 0x18, 0x00], { layer: 1, frameBytes: 48, samplesPerFrame: 384 }],
  ])("%s", (_, bytes, expected) => {
    expect(parseMpegFrameHeader(Uint8Array.from(bytes), 0)).toMatchObject(expected);
  });

  it.each([
    ["no sync", [0xff, 0x1b, 0x90, 0x00]],
    ["reserved version", [0xff, 0xeb, 0x90, 0x00]],
    ["reserved layer", [0xff, 0xf9, 0x90, 0x00]],
    ["free-format bitrate", [0xff, 0xfb, 0x00, 0x00]],
    ["forbidden bitrate", [0xff, 0xfb, 0xf0, 0x00]],
    ["reserved sample rate", [0xff, 0xfb, 0x9c, 0x00]],
    ["reserved emphasis", [0xff, 0xfb, 0x90, 0x02]],
    ["too short", [0xff, 0xfb, 0x90]],
  ])("rejects %s", (_, bytes) => {
    expect(parseMpegFrameHeader(Uint8Array.from(bytes), 0)).toBeUndefined();
  });
});

describe("findMpegStream", () => {
  const frame = new Uint8Array(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);

  it("needs a second frame where the first one ends", () => {
    expect(findMpegStream(concatBytes([frame, frame]), 0, 100)?.offset).toBe(0);
    const lone = concatBytes([frame, new Uint8Array(500)]);
    expect(findMpegStream(lone, 0, 100)).toBeUndefined();
    expect(findMpegStream(lone, 0, 100, true)?.offset).toBe(0);
    expect(findMpegStream(concatBytes([new Uint8Array(7), frame, frame]), 0, 100)?.offset).toBe(7);
  });
});

describe("id3v2Length", () => {
  it("reads the synchsafe size, the footer flag and stacked tags", () => {
    expect(id3v2Length(header(0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0x02, 0x01))).toBe(10 + 257);
    expect(id3v2Length(header(0x49, 0x44, 0x33, 4, 0, 0x10, 0, 0, 0, 5))).toBe(10 + 5 + 10);
    const two = concatBytes([
      header(0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 2, 0, 0),
      header(0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0),
    ]);
    expect(id3v2Length(two)).toBe(22);
    expect(id3v2Length(header(0x49, 0x44, 0x33, 3, 0, 0, 0x80, 0, 0, 0))).toBe(0); // not synchsafe
    expect(id3v2Length(header(1, 2, 3))).toBe(0);
  });
});
