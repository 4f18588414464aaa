import { pinkNoise, sine } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { type MeterReading, PreviewMeters, SPECTRUM_CENTRES_HZ } from "./previewMeters";

const SR = 48_000;

/** Meters a stereo signal in 128-frame blocks; returns every reading taken. */
function meter(left: Float32Array, right: Float32Array): MeterReading[] {
  const m = new PreviewMeters(SR);
  const readings: MeterReading[] = [];
  for (let at = 0; at < left.length; at += 128) {
    const n = Math.min(128, left.length - at);
    if (m.process(left.subarray(at, at + n), right.subarray(at, at + n), n)) readings.push(m.reading());
  }
  return readings;
}
const last = (r: MeterReading[]) => r[r.length - 1]!;

describe("PreviewMeters", () => {
  it("reads a stereo 1 kHz sine at −20 dBFS as −20.0 LUFS momentary and short-term", () => {
    // BS.1770-4 eq. 2: L = −0.691 + 10·log10(Σ G_i·z_i). Each channel: z = A²/2 = 0.005 times the
    // K-filter's power gain at 1 kHz, which is +0.691 dB by design; two channels: 10·log10(0.01) = −20.
    // (EBU Tech 3341 case 1 is the same at −23 dBFS: −23.0 LUFS.) A mono −20 dBFS sine would read −23.0.
    const expected = -0.691 + 10 * Math.log10(2 * 0.5 * 10 ** (-20 / 10) * 10 ** (0.691 / 10));
    const [l, r] = sine({ sampleRate: SR, frequency: 1000, amplitudeDbfs: -20, seconds: 4, channels: 2 });
    const reading = last(meter(l!, r!));
    console.log(
      `meters: M ${reading.momentaryLufs?.toFixed(3)} S ${reading.shortTermLufs?.toFixed(3)} LUFS (expected ${expected.toFixed(3)})`,
    );
    expect(Math.abs(reading.momentaryLufs! - expected)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(reading.shortTermLufs! - expected)).toBeLessThanOrEqual(0.1);
  });

  it("EBU Tech 3341 case 1: stereo 1 kHz at −23 dBFS reads −23.0 ± 0.1 LUFS", () => {
    const [l, r] = sine({ sampleRate: SR, frequency: 1000, amplitudeDbfs: -23, seconds: 4, channels: 2 });
    const reading = last(meter(l!, r!));
    expect(Math.abs(reading.momentaryLufs! + 23)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(reading.shortTermLufs! + 23)).toBeLessThanOrEqual(0.1);
  });

  it("has no loudness before 400 ms (momentary) and 3 s (short-term)", () => {
    const [l, r] = sine({ sampleRate: SR, frequency: 1000, amplitudeDbfs: -20, seconds: 1, channels: 2 });
    const readings = meter(l!, r!);
    expect(readings[0]!.momentaryLufs).toBeNull();
    expect(last(readings).momentaryLufs).not.toBeNull();
    expect(last(readings).shortTermLufs).toBeNull();
  });

  it("correlation: identical channels 1, inverted −1, independent noise near 0", () => {
    const [x, y] = pinkNoise({ sampleRate: SR, seconds: 1, channels: 2, rmsDb: -20, seed: 9 });
    expect(last(meter(x!, x!.slice())).correlation).toBeCloseTo(1, 9);
    const inverted = x!.map((v) => -v);
    expect(last(meter(x!, inverted)).correlation).toBeCloseTo(-1, 9);
    expect(Math.abs(last(meter(x!, y!)).correlation!)).toBeLessThan(0.2);
    expect(last(meter(new Float32Array(SR), new Float32Array(SR))).correlation).toBeNull();
  });

  it("true peak: a full-scale sine reads 0 dBTP, held after it stops", () => {
    const [l, r] = sine({ sampleRate: SR, frequency: 997, amplitudeDbfs: 0, seconds: 0.5, channels: 2 });
    const silence = new Float32Array(SR);
    const joined = (a: Float32Array) => {
      const out = new Float32Array(a.length + silence.length);
      out.set(a);
      return out;
    };
    const reading = last(meter(joined(l!), joined(r!)));
    console.log(`meters: full-scale 997 Hz sine ${reading.truePeakDbtp?.toFixed(3)} dBTP`);
    expect(Math.abs(reading.truePeakDbtp!)).toBeLessThan(0.1);
  });

  it("spectrum: a 1 kHz sine at −20 dBFS peaks at −20 dB in the 1 kHz band", () => {
    const [l, r] = sine({ sampleRate: SR, frequency: 1000, amplitudeDbfs: -20, seconds: 0.5, channels: 2 });
    const spectrum = last(meter(l!, r!)).spectrumDb;
    expect(spectrum).toHaveLength(SPECTRUM_CENTRES_HZ.length); // 20 kHz < 24 kHz Nyquist
    const k = SPECTRUM_CENTRES_HZ.indexOf(1000);
    expect(spectrum[k]).toBeCloseTo(-20, 0);
    expect(Math.max(...spectrum)).toBe(spectrum[k]);
    expect(spectrum[SPECTRUM_CENTRES_HZ.indexOf(100)]!).toBeLessThan(-80);
  });

  it("gives a reading every 50 ms: 20 a second", () => {
    const [l, r] = sine({ sampleRate: SR, frequency: 1000, seconds: 1, channels: 2 });
    expect(meter(l!, r!)).toHaveLength(20);
  });
});
