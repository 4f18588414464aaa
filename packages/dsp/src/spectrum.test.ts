import { describe, expect, it } from "vitest";
import { pinkNoise, sine, whiteNoise } from "./signals";
import { SpectrumAnalyzer, type SpectrumBand, spectrumFftSize } from "./spectrum";

function bands(x: Float32Array[], sampleRate: number): SpectrumBand[] {
  const s = new SpectrumAnalyzer();
  s.prepare({ sampleRate, channels: x.length, maxBlockFrames: 4096 });
  s.process(x);
  return s.result();
}

const level = (b: SpectrumBand[], centre: number) => b.find((x) => x.centerHz === centre)!.levelDb!;

/** Least-squares slope of level against band index, over bands with centres in [lo, hi]. */
function slopePerBand(b: SpectrumBand[], lo: number, hi: number): number {
  const pts = b.map((x, i) => [i, x.levelDb!] as const).filter(([i]) => b[i]!.centerHz >= lo && b[i]!.centerHz <= hi);
  const mx = pts.reduce((s, [i]) => s + i, 0) / pts.length;
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
  const num = pts.reduce((s, [i, y]) => s + (i - mx) * (y - my), 0);
  const den = pts.reduce((s, [i]) => s + (i - mx) ** 2, 0);
  return num / den;
}

describe("SpectrumAnalyzer (one-third octaves, IEC 61260-1 centres)", () => {
  it.each([100, 1000, 10_000])("reads a 0 dBFS sine at %i Hz as 0 dB in its band", (f) => {
    const b = bands(sine({ sampleRate: 48_000, frequency: f, seconds: 2, channels: 2 }), 48_000);
    expect(level(b, f)).toBeCloseTo(0, 1);
    // Two bands away the Hann window's leakage is far down.
    const i = b.findIndex((x) => x.centerHz === f);
    expect(b[i + 2]!.levelDb!).toBeLessThan(-60);
  });

  it("follows the level of the sine and averages the channels (mono sum)", () => {
    const x = sine({ sampleRate: 44_100, frequency: 1000, amplitudeDbfs: -20, seconds: 1, channels: 2 });
    x[1]!.fill(0); // mean of the channels: −6 dB
    expect(level(bands(x, 44_100), 1000)).toBeCloseTo(-26.02, 1);
  });

  it("lists only bands below Nyquist", () => {
    const b = bands(sine({ sampleRate: 22_050, frequency: 1000, seconds: 1 }), 22_050);
    expect(b[0]!.centerHz).toBe(20);
    expect(b.at(-1)!.centerHz).toBe(10_000);
    expect(bands(sine({ sampleRate: 48_000, frequency: 1000, seconds: 1 }), 48_000)).toHaveLength(31);
  });

  it("rises 1 dB per band (3 dB per octave) for white noise", () => {
    const b = bands(whiteNoise({ sampleRate: 48_000, seconds: 10, seed: 5 }), 48_000);
    expect(slopePerBand(b, 100, 16_000)).toBeCloseTo(1, 1);
  });

  it("is flat for pink noise", () => {
    const b = bands(pinkNoise({ sampleRate: 44_100, seconds: 10, seed: 5 }), 44_100);
    expect(Math.abs(slopePerBand(b, 50, 16_000))).toBeLessThan(0.05);
    const levels = b.filter((x) => x.centerHz >= 50 && x.centerHz <= 16_000).map((x) => x.levelDb!);
    expect(Math.max(...levels) - Math.min(...levels)).toBeLessThan(2);
  });

  it("analyses a clip shorter than one FFT frame, and gives null levels for silence", () => {
    expect(spectrumFftSize(48_000)).toBe(8192);
    const short = bands(sine({ sampleRate: 48_000, frequency: 1000, seconds: 0.1 }), 48_000);
    expect(level(short, 1000)).toBeCloseTo(0, 0);
    const silent = bands([new Float32Array(20_000)], 48_000);
    expect(silent.every((x) => x.levelDb === null)).toBe(true);
    expect(bands([new Float32Array(0)], 48_000).every((x) => x.levelDb === null)).toBe(true);
  });
});
