import { describe, expect, it } from "vitest";
import { decodeAudio } from "./decodeAudio.ts";
import { AudioFormatError } from "./errors.ts";
import { parseMpegFrameHeader } from "./mpegFrame.ts";
import { encodeMp3 } from "./testing/encodeMp3.ts";
import { bestLag, peakFrequency, rms, sine } from "./testing/signals.ts";

const dB = (ratio: number) => 20 * Math.log10(ratio);

/** Aligns `decoded` to `input` for the codec delay and compares frequency, level and shape. */
function compare(input: Float32Array, decoded: Float32Array, rate: number, freq: number) {
  const from = Math.floor(rate * 0.1);
  const ref = input.subarray(from, from + Math.floor(rate * 0.2));
  const { lag, correlation } = bestLag(ref, decoded.subarray(from), 4000);
  const out = decoded.subarray(from + lag, from + lag + ref.length);
  return {
    lag,
    correlation,
    levelDb: dB(rms(out) / rms(ref)),
    frequency: peakFrequency(out, rate, freq - 20, freq + 20, 2),
  };
}

describe("MP3", () => {
  it.each([44100, 48000, 22050])("mono 1 kHz sine at %i Hz keeps frequency and level", async (rate) => {
    const input = sine(1000, rate, rate, 0.5);
    const bytes = await encodeMp3([input], rate, 192);
    expect(parseMpegFrameHeader(bytes, 0)?.channels).toBe(1);
    const decoded = await decodeAudio(bytes);
    expect(decoded).toMatchObject({ format: "mp3", codec: "mp3", sampleRate: rate, bitsPerSample: null, warnings: [] });
    expect(decoded.channelData).toHaveLength(1);
    const r = compare(input, decoded.channelData[0] as Float32Array, rate, 1000);
    expect(r.correlation).toBeGreaterThan(0.999);
    expect(Math.abs(r.levelDb)).toBeLessThan(0.5);
    expect(r.frequency).toBeCloseTo(1000, 0);
  });

  it("stereo keeps each channel in its place", async () => {
    const rate = 44100;
    const left = sine(1000, rate, rate, 0.5);
    const right = sine(440, rate, rate, 0.25);
    const decoded = await decodeAudio(await encodeMp3([left, right], rate, 192));
    expect(decoded.channelData).toHaveLength(2);
    const l = compare(left, decoded.channelData[0] as Float32Array, rate, 1000);
    const r = compare(right, decoded.channelData[1] as Float32Array, rate, 440);
    for (const x of [l, r]) {
      expect(x.correlation).toBeGreaterThan(0.999);
      expect(Math.abs(x.levelDb)).toBeLessThan(0.5);
    }
    expect(l.frequency).toBeCloseTo(1000, 0);
    expect(r.frequency).toBeCloseTo(440, 0);
  });

  it("a chirp aligns at one codec delay on both channels", async () => {
    const rate = 44100;
    const chirp = Float32Array.from({ length: rate }, (_, i) => {
      const t = i / rate;
      return 0.4 * Math.sin(2 * Math.PI * (200 * t + 900 * t * t)); // 200 → 2000 Hz over 1 s
    });
    const inverted = chirp.map((x) => -x);
    const decoded = await decodeAudio(await encodeMp3([chirp, inverted], rate, 192));
    const l = compare(chirp, decoded.channelData[0] as Float32Array, rate, 1000);
    const r = compare(inverted, decoded.channelData[1] as Float32Array, rate, 1000);
    expect(l.correlation).toBeGreaterThan(0.99);
    expect(r.correlation).toBeGreaterThan(0.99);
    expect(l.lag).toBe(r.lag);
    // LAME's encoder delay plus mpg123's decoder delay (no LAME tag to trim it): about 1100 samples.
    expect(l.lag).toBeGreaterThan(500);
    expect(l.lag).toBeLessThan(2500);
  });

  it("TRUNCATED when the file ends inside the first frame", async () => {
    const bytes = await encodeMp3([sine(1000, 44100, 44100)], 44100, 128);
    let error: unknown;
    await decodeAudio(bytes.subarray(0, 200)).catch((e) => {
      error = e;
    });
    expect(error).toBeInstanceOf(AudioFormatError);
    expect((error as AudioFormatError).code).toBe("TRUNCATED");
    expect((error as AudioFormatError).message).toMatch(/first frame needs 417 bytes but only 200 remain/);
  });
});
