import { describe, expect, it } from "vitest";
import { sine, whiteNoise } from "./signals";
import { TruePeakMeter } from "./truePeak";
import { HALF_TAPS, interpolatorPhases, oversamplingFactor, TAPS } from "./truePeakFilter";

function truePeakDb(x: Float32Array[], sampleRate: number, blockFrames = 4096): number {
  const m = new TruePeakMeter();
  m.prepare({ sampleRate, channels: x.length, maxBlockFrames: blockFrames });
  m.process(x);
  return 20 * Math.log10(m.truePeak());
}

/** Straightforward reference: every branch at every interval, zero padding on both sides. */
function bruteForceTruePeak(x: Float32Array[], sampleRate: number): number {
  const phases = interpolatorPhases(oversamplingFactor(sampleRate));
  let peak = 0;
  for (const ch of x) {
    const at = (n: number) => (n >= 0 && n < ch.length ? ch[n]! : 0);
    for (let n = -HALF_TAPS; n < ch.length + HALF_TAPS; n++) {
      peak = Math.max(peak, Math.abs(at(n)));
      for (const c of phases) {
        let y = 0;
        for (let t = 0; t < TAPS; t++) y += c[t]! * at(n - HALF_TAPS + 1 + t);
        peak = Math.max(peak, Math.abs(y));
      }
    }
  }
  return peak;
}

describe("TruePeakMeter (BS.1770-4 Annex 2)", () => {
  // A sine at fs/4 with 45° phase has samples at ±A/√2 (−3.01 dB) but peaks at A between them.
  // Tolerance +0.2/−0.4 dB, the EBU Tech 3341 true-peak tolerance.
  it.each([44_100, 48_000, 96_000])("finds the inter-sample peak of an fs/4 sine at 45° (%i Hz)", (fs) => {
    const x = sine({ sampleRate: fs, frequency: fs / 4, amplitudeDbfs: -6, seconds: 0.5, phase: Math.PI / 4 });
    const peak = truePeakDb(x, fs);
    expect(20 * Math.log10(Math.max(...x[0]!.map(Math.abs)))).toBeCloseTo(-9.01, 1);
    expect(peak).toBeGreaterThanOrEqual(-6 - 0.4);
    expect(peak).toBeLessThanOrEqual(-6 + 0.2);
  });

  it.each([44_100, 48_000])("reads a 0 dBFS 997 Hz sine as 0 dBTP (%i Hz)", (fs) => {
    const peak = truePeakDb(sine({ sampleRate: fs, frequency: 997, seconds: 1, channels: 2 }), fs);
    expect(peak).toBeGreaterThanOrEqual(-0.4);
    expect(peak).toBeLessThanOrEqual(0.2);
  });

  it("equals the sample peak at 192 kHz (no oversampling)", () => {
    const x = sine({ sampleRate: 192_000, frequency: 48_000, amplitudeDbfs: -6, seconds: 0.1, phase: Math.PI / 4 });
    expect(truePeakDb(x, 192_000)).toBeCloseTo(20 * Math.log10(Math.max(...x[0]!.map(Math.abs))), 12);
  });

  it("is never below the sample peak, and catches a lone full-scale sample's ringing", () => {
    const x = [new Float32Array(1000)];
    x[0]![500] = 1;
    const peak = truePeakDb(x, 48_000);
    expect(peak).toBeCloseTo(0, 12); // the sample itself; sinc ringing is smaller
    x[0]![501] = 1; // two equal samples: the half-sample point overshoots
    expect(truePeakDb(x, 48_000)).toBeGreaterThan(0.5);
  });

  it("skipping is exact: the same peak as brute force, whatever the block size", () => {
    const noise = whiteNoise({ sampleRate: 48_000, seconds: 0.2, rmsDb: -12, channels: 2, seed: 7 });
    // A quiet stretch, a burst, then quiet again: most windows are skipped once the burst is seen.
    for (const ch of noise) for (let i = 0; i < ch.length; i++) if (i < 3000 || i > 5000) ch[i]! *= 0.05;
    const reference = bruteForceTruePeak(noise, 48_000);
    for (const block of [1, 7, 16, 100, 4096]) {
      const m = new TruePeakMeter();
      m.prepare({ sampleRate: 48_000, channels: 2, maxBlockFrames: block });
      for (let off = 0; off < noise[0]!.length; off += 777) {
        const n = Math.min(777, noise[0]!.length - off);
        m.process(
          noise.map((c) => c.subarray(off, off + n)),
          n,
        );
      }
      expect(Math.abs(m.truePeak() - reference)).toBeLessThan(1e-12);
    }
  });

  it("includes the ring-out after the last sample, and truePeak() does not disturb the state", () => {
    const x = [new Float32Array([0, 0, 0, 0, 1, 1])];
    const m = new TruePeakMeter();
    m.prepare({ sampleRate: 48_000, channels: 1, maxBlockFrames: 64 });
    m.process(x);
    const first = m.truePeak();
    expect(first).toBeCloseTo(bruteForceTruePeak(x, 48_000), 12);
    expect(m.truePeak()).toBe(first);
    m.reset();
    expect(m.truePeak()).toBe(0);
  });

  it("requires prepare before process", () => {
    expect(() => new TruePeakMeter().process([new Float32Array(4)])).toThrow(
      expect.objectContaining({ code: "INVALID_STATE" }),
    );
  });
});
