import { type AudioEncoder, applyPatches, concatBytes, createWavEncoder, decodeAudio } from "@comaster/codecs";
import { sine } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { createFlacEncoder } from "./flacEncoder";
import { createMp3Encoder } from "./mp3Encoder";

/** Quantises to `bits` like the chain's output stage would (no dither needed for the test). */
function quantise(channels: Float32Array[], bits: number): Float32Array[] {
  const full = 2 ** (bits - 1);
  // "+ 0" turns -0 into 0, as a decoder reading integers does.
  return channels.map((ch) => ch.map((v) => Math.max(-full, Math.min(full - 1, Math.round(v * full))) / full + 0));
}

async function encodeInBlocks(enc: AudioEncoder, channels: Float32Array[], block: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const n = channels[0]!.length;
  for (let at = 0; at < n; at += block) {
    const end = Math.min(n, at + block);
    parts.push(
      await enc.encode(
        channels.map((c) => c.subarray(at, end)),
        end - at,
      ),
    );
  }
  const tail = await enc.finish();
  return applyPatches(concatBytes([...parts, tail.tail]), tail);
}

const signal = sine({ sampleRate: 44_100, frequency: 997, amplitudeDbfs: -6, seconds: 2, channels: 2 });
signal[1] = signal[1]!.map((v, i) => v * Math.cos(i / 5000));

describe("streaming encoders decode back to the same audio", () => {
  it.each([16, 24] as const)("FLAC %i-bit is lossless and its STREAMINFO holds the length", async (bits) => {
    const input = quantise(signal, bits);
    const bytes = await encodeInBlocks(
      await createFlacEncoder({ sampleRate: 44_100, channels: 2, bitsPerSample: bits }),
      input,
      10_000,
    );
    const decoded = await decodeAudio(bytes);
    expect(decoded.format).toBe("flac");
    expect(decoded.bitsPerSample).toBe(bits);
    expect(decoded.channelData[0]!.length).toBe(input[0]!.length);
    expect(decoded.channelData[1]).toEqual(input[1]);
    // Total samples (36 bits at byte 21.5) were patched in.
    const total = ((bytes[21]! & 0x0f) * 2 ** 32 + new DataView(bytes.buffer).getUint32(22)) as number;
    expect(total).toBe(input[0]!.length);
  });

  it.each(["pcm16", "pcm24", "float32"] as const)(
    "WAV %s written in blocks equals the whole-file encoder",
    async (format) => {
      const bits = format === "pcm16" ? 16 : 24;
      const input = format === "float32" ? signal : quantise(signal, bits);
      const bytes = await encodeInBlocks(createWavEncoder({ sampleRate: 44_100, channels: 2, format }), input, 777);
      const decoded = await decodeAudio(bytes);
      expect(decoded.channelData[0]).toEqual(input[0]);
      expect(decoded.channelData[1]).toEqual(input[1]);
    },
  );

  it("MP3 at 320 kbit/s keeps level and length", async () => {
    const bytes = await encodeInBlocks(await createMp3Encoder({ sampleRate: 44_100, channels: 2 }), signal, 4096);
    expect(bytes.length / 2).toBeGreaterThan((320_000 / 8) * 0.9);
    const decoded = await decodeAudio(bytes);
    const rms = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
    const mid = (x: Float32Array) => x.subarray(10_000, x.length - 10_000);
    expect(20 * Math.log10(rms(mid(decoded.channelData[0]!)) / rms(mid(signal[0]!)))).toBeCloseTo(0, 1);
    expect(Math.abs(decoded.channelData[0]!.length - signal[0]!.length)).toBeLessThan(3000);
  });

  it("MP3 refuses sample rates it cannot carry with a clear message", async () => {
    await expect(createMp3Encoder({ sampleRate: 96_000, channels: 2 })).rejects.toThrow(/96000 Hz/);
  });
});
