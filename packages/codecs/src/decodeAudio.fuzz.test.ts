/**
 * Property-based robustness: valid files with mutated header bytes, forged 32-bit fields and
 * random truncation. decodeAudio must resolve with sane, finite audio or reject with an
 * AudioFormatError: no other error type, no hang, no allocation beyond what the bytes can hold.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AudioFormatError } from "./errors.ts";
import { type DecodedAudio, decodeAudio } from "./index.ts";
import { encodeAiff } from "./testing/encodeAiff.ts";
import { encodeFlac } from "./testing/encodeFlac.ts";
import { encodeMp3 } from "./testing/encodeMp3.ts";
import { concatBytes, sine, testChannels } from "./testing/signals.ts";
import { writeWav } from "./testing/writeWav.ts";

const RUNS = 300;
const TIMEOUT_MS = 30_000;

type Edit =
  | { kind: "byte"; pos: number; value: number }
  | { kind: "u32"; pos: number; value: number; littleEndian: boolean };

const INTERESTING_U32 = [0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** Edits aimed at the header (first `headerBytes`), sometimes anywhere, plus an optional cut. */
function mutation(headerBytes: number, fileBytes: number) {
  const pos = fc.oneof({ weight: 4, arbitrary: fc.nat(headerBytes - 1) }, { weight: 1, arbitrary: fc.nat(1 << 20) });
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ kind: fc.constant("byte" as const), pos, value: fc.nat(255) }),
    fc.record({
      kind: fc.constant("u32" as const),
      pos,
      value: fc.oneof(fc.constantFrom(...INTERESTING_U32), fc.nat()),
      littleEndian: fc.boolean(),
    }),
  );
  return fc.record({
    edits: fc.array(edit, { minLength: 0, maxLength: 6 }),
    // Keep the first `cut` bytes: half the time within the header, else anywhere.
    cut: fc.option(fc.oneof(fc.integer({ min: 1, max: headerBytes }), fc.integer({ min: 1, max: fileBytes })), {
      freq: 2,
    }),
  });
}

function apply(original: Uint8Array, m: { edits: Edit[]; cut: number | null }): Uint8Array {
  const bytes = original.slice(0, m.cut ?? original.length);
  const view = new DataView(bytes.buffer);
  for (const e of m.edits) {
    if (bytes.length === 0) break;
    if (e.kind === "byte") bytes[e.pos % bytes.length] = e.value;
    else if (bytes.length >= 4) view.setUint32(e.pos % (bytes.length - 3), e.value, e.littleEndian);
  }
  return bytes;
}

/** Most samples (all channels) each format could produce from `n` bytes. */
function sampleBudget(format: DecodedAudio["format"], n: number): number {
  if (format === "wav" || format === "aiff") return n; // at least one byte per sample
  // MP3: ≥ 24 bytes per 576-sample stereo MPEG-2 frame (48 samples/byte), plus the decoder's flush.
  if (format === "mp3") return 48 * n + 2 * 1152 * 2;
  // FLAC: a frame (≥ ~10 bytes) holds ≤ 65535 samples per channel (≤ 8 channels); a CRC-checked
  // frame's blocksize comes from the original encode (4096), so 4096 × channels per 10 bytes.
  return (4096 * 8 * n) / 10;
}

function checkOutcome(input: Uint8Array, outcome: { ok: DecodedAudio } | { error: unknown }) {
  if ("error" in outcome) {
    if (!(outcome.error instanceof AudioFormatError)) throw outcome.error;
    return;
  }
  const a = outcome.ok;
  expect(a.channelData.length).toBeGreaterThanOrEqual(1);
  expect(a.channelData.length).toBeLessThanOrEqual(8);
  expect(a.sampleRate).toBeGreaterThanOrEqual(8000);
  expect(a.sampleRate).toBeLessThanOrEqual(192_000);
  const frames = a.channelData[0]?.length ?? 0;
  expect(frames).toBeGreaterThan(0);
  let total = 0;
  for (const ch of a.channelData) {
    expect(ch.length).toBe(frames);
    total += ch.length;
    for (let i = 0; i < ch.length; i++)
      if (!Number.isFinite(ch[i] as number)) throw new Error(`non-finite sample at ${i}`);
  }
  expect(total).toBeLessThanOrEqual(sampleBudget(a.format, input.length));
}

async function outcomeOf(bytes: Uint8Array): Promise<{ ok: DecodedAudio } | { error: unknown }> {
  try {
    return { ok: await decodeAudio(bytes) };
  } catch (error) {
    return { error };
  }
}

describe("decodeAudio on mutated and truncated files (seeded)", () => {
  // The wasm decoders log every bad frame with console.error; keep the test output readable.
  // (console is not in this package's type environment: the library code must not use it.)
  const { console } = globalThis as unknown as { console: { error: (...args: unknown[]) => void } };
  beforeAll(() => {
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  const files: [string, () => Promise<Uint8Array>, number][] = [
    ["WAV 16-bit", async () => writeWav(testChannels(2, 44100, 2000), 44100, { encoding: "int", bits: 16 }), 64],
    [
      "WAV float32 extensible",
      async () => writeWav(testChannels(2, 48000, 1000), 48000, { encoding: "float", bits: 32, extensible: true }),
      80,
    ],
    [
      "WAV RF64 24-bit",
      async () => writeWav(testChannels(1, 96000, 1000), 96000, { encoding: "int", bits: 24, rf64: true }),
      100,
    ],
    ["AIFF 24-bit", async () => encodeAiff(testChannels(2, 44100, 1000), 44100, { bits: 24 }), 64],
    ["AIFF-C fl32", async () => encodeAiff(testChannels(2, 44100, 1000), 44100, { bits: 32, compression: "fl32" }), 80],
    ["FLAC 16-bit", () => encodeFlac(testChannels(2, 44100, 10_000), 44100, 16), 128],
    [
      "FLAC 24-bit behind ID3",
      async () =>
        concatBytes([
          Uint8Array.of(0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4),
          await encodeFlac(testChannels(1, 48000, 6000), 48000, 24),
        ]),
      128,
    ],
    ["MP3 stereo", () => encodeMp3([sine(1000, 44100, 22050), sine(500, 44100, 22050)], 44100, 128), 1200],
    ["MP3 mono 22050 Hz", () => encodeMp3([sine(1000, 22050, 11025)], 22050, 64), 600],
  ];

  it.each(files)(
    "%s",
    async (_, make, headerBytes) => {
      const original = await make();
      checkOutcome(original, await outcomeOf(original));
      let decodedCount = 0;
      await fc.assert(
        fc.asyncProperty(mutation(headerBytes, original.length), async (m) => {
          const bytes = apply(original, m);
          const outcome = await outcomeOf(bytes);
          if ("ok" in outcome) decodedCount++;
          checkOutcome(bytes, outcome);
        }),
        { seed: 20261123, numRuns: RUNS },
      );
      // The mutations must leave some files decodable, or the property says little.
      expect(decodedCount).toBeGreaterThan(RUNS / 10);
    },
    TIMEOUT_MS,
  );

  it(
    "random byte strings with a valid magic number",
    async () => {
      const magics = [
        "RIFF\0\0\0\0WAVEfmt ",
        "FORM\0\0\0\0AIFFCOMM",
        "FORM\0\0\0\0AIFCCOMM",
        "fLaC\0\0\0\x22",
        "ID3\x03\0\0\0\0\0\0",
      ];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 600 }), async (magic, tail) => {
          const bytes = concatBytes([Uint8Array.from(magic, (c) => c.charCodeAt(0)), tail]);
          checkOutcome(bytes, await outcomeOf(bytes));
        }),
        { seed: 7, numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});
