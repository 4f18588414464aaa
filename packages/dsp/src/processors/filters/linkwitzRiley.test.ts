import { describe, expect, it } from "vitest";
import { biquadMagnitude } from "../../biquad";
import { linkwitzRileyAllpass, linkwitzRileyHighpass, linkwitzRileyLowpass, MultibandSplitter } from "./linkwitzRiley";
import { dftMagnitude, impulse, logFrequencies, randomBlock, toDb } from "./testSupport";

const IR_FRAMES = 1 << 16;

/** Impulse responses of every band of a splitter configured with `crossovers`. */
function bandResponses(fs: number, crossovers: number[]): Float64Array[] {
  const s = new MultibandSplitter(4, 1);
  s.configure(fs, crossovers);
  const bands = Array.from({ length: crossovers.length + 1 }, () => new Float64Array(IR_FRAMES));
  s.process(0, impulse(IR_FRAMES), IR_FRAMES, bands);
  return bands;
}

function sum(bands: Float64Array[]): Float64Array {
  const out = new Float64Array(bands[0]!.length);
  for (const b of bands) for (let i = 0; i < out.length; i++) out[i]! += b[i]!;
  return out;
}

describe("Linkwitz–Riley 4th-order sections", () => {
  it("each half is −6.02 dB at fc (|B(fc)|² = 1/2) and the allpass has unit magnitude", () => {
    for (const fs of [44_100, 48_000, 96_000]) {
      for (const fc of [40, 120, 1000, 6000, 16_000]) {
        const lp = biquadMagnitude(linkwitzRileyLowpass(fs, fc), fc, fs) ** 2;
        const hp = biquadMagnitude(linkwitzRileyHighpass(fs, fc), fc, fs) ** 2;
        expect(toDb(lp)).toBeCloseTo(-6.0206, 3);
        expect(toDb(hp)).toBeCloseTo(-6.0206, 3);
        for (const f of [20, fc / 2, fc, Math.min(2 * fc, 20_000)]) {
          expect(biquadMagnitude(linkwitzRileyAllpass(fs, fc), f, fs)).toBeCloseTo(1, 10);
        }
      }
    }
  });

  it("falls at 24 dB/octave: |LP4| = 1/(1 + (f/fc)⁴) gives 24.08 dB from 8·fc to 16·fc", () => {
    const fs = 48_000;
    const lp = linkwitzRileyLowpass(fs, 100);
    const lp4 = (f: number) => biquadMagnitude(lp, f, fs) ** 2;
    // (the bilinear transform adds 0.1 dB of extra fall at 1.6 kHz)
    expect(Math.abs(toDb(lp4(800) / lp4(1600)) - 24.08)).toBeLessThan(0.15);
    const hp = linkwitzRileyHighpass(fs, 4000);
    const hp4 = (f: number) => biquadMagnitude(hp, f, fs) ** 2;
    expect(Math.abs(toDb(hp4(500) / hp4(250)) - 24.08)).toBeLessThan(0.15);
  });
});

describe("MultibandSplitter", () => {
  const cases: [number, number[]][] = [
    [48_000, [1000]],
    [44_100, [200, 5000]],
    [48_000, [120, 1000, 6000]],
    [44_100, [40, 500, 16_000]],
    [96_000, [80, 800, 8000]],
  ];

  it.each(cases)("at %i Hz with crossovers %j: Σ bands is flat within ±0.01 dB from 20 Hz to 20 kHz", (fs, xo) => {
    const total = sum(bandResponses(fs, xo));
    for (const f of logFrequencies(20, 20_000, 12)) {
      expect(Math.abs(toDb(dftMagnitude(total, f, fs)))).toBeLessThan(0.01);
    }
  });

  it("each band is −6.02 dB at its crossovers (well-separated crossovers)", () => {
    const fs = 48_000;
    const xo = [100, 1000, 10_000];
    const bands = bandResponses(fs, xo);
    for (let k = 0; k < xo.length; k++) {
      // Band k ends at xo[k]; band k+1 starts there. Neighbouring crossovers a decade away add < 0.01 dB.
      expect(toDb(dftMagnitude(bands[k]!, xo[k]!, fs))).toBeCloseTo(-6.02, 1);
      expect(toDb(dftMagnitude(bands[k + 1]!, xo[k]!, fs))).toBeCloseTo(-6.02, 1);
    }
  });

  it("each band's magnitude is the product of its LR4 halves (24 dB/octave per crossover)", () => {
    const fs = 48_000;
    const bands = bandResponses(fs, [200, 2000]);
    const lp4 = (fc: number, f: number) => biquadMagnitude(linkwitzRileyLowpass(fs, fc), f, fs) ** 2;
    const hp4 = (fc: number, f: number) => biquadMagnitude(linkwitzRileyHighpass(fs, fc), f, fs) ** 2;
    const expected = [
      (f: number) => lp4(200, f),
      (f: number) => hp4(200, f) * lp4(2000, f),
      (f: number) => hp4(200, f) * hp4(2000, f),
    ];
    for (const f of logFrequencies(20, 20_000, 3)) {
      for (let b = 0; b < 3; b++) {
        const want = toDb(expected[b]!(f));
        // Below −150 dB the measurement is at the rounding floor of the impulse response.
        if (want > -150) expect(toDb(dftMagnitude(bands[b]!, f, fs))).toBeCloseTo(want, 3);
      }
    }
    const db = (b: number, f: number) => toDb(dftMagnitude(bands[b]!, f, fs));
    // 8·fc → 16·fc; the bilinear zeros at Nyquist add 0.3 dB of fall at 3.2 kHz.
    expect(Math.abs(db(0, 1600) - db(0, 3200) - 24.08)).toBeLessThan(0.5);
    expect(Math.abs(db(1, 25) - db(1, 12.5) - 24.08)).toBeLessThan(0.3);
  });

  it("processSample is bit-identical to process, per channel", () => {
    const input = randomBlock(4000, 2, 7);
    const a = new MultibandSplitter(4, 2);
    const b = new MultibandSplitter(4, 2);
    a.configure(44_100, [150, 1500, 7000]);
    b.configure(44_100, [150, 1500, 7000]);
    for (let ch = 0; ch < 2; ch++) {
      const bands = Array.from({ length: 4 }, () => new Float64Array(4000));
      for (let off = 0; off < 4000; off += 1000) {
        a.process(
          ch,
          input[ch]!.subarray(off, off + 1000),
          1000,
          bands.map((x) => x.subarray(off, off + 1000)),
        );
      }
      const out = new Float64Array(4);
      for (let i = 0; i < 4000; i++) {
        b.processSample(ch, input[ch]![i]!, out);
        for (let k = 0; k < 4; k++) expect(out[k]).toBe(bands[k]![i]);
      }
    }
  });

  it("reset clears the state; a single band is a copy", () => {
    const s = new MultibandSplitter(3, 1);
    s.configure(48_000, [300, 3000]);
    const bands = Array.from({ length: 3 }, () => new Float64Array(64));
    s.process(0, impulse(64), 64, bands);
    const first = bands.map((b) => b.slice());
    s.reset();
    s.process(0, impulse(64), 64, bands);
    expect(bands).toEqual(first);

    s.configure(48_000, []);
    expect(s.bands).toBe(1);
    const x = Float64Array.from([0.5, -0.25, 1]);
    const one = [new Float64Array(3)];
    s.process(0, x, 3, one);
    expect(one[0]).toEqual(x);
  });

  it("refuses too many bands and bad channels", () => {
    const s = new MultibandSplitter(3, 1);
    expect(() => s.configure(48_000, [100, 1000, 5000])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    s.configure(48_000, [100]);
    expect(() => s.process(1, new Float64Array(4), 4, [new Float64Array(4), new Float64Array(4)])).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });
});
