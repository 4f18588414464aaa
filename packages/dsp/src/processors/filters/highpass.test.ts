import { describe, expect, it } from "vitest";
import { biquadMagnitude } from "../../biquad";
import { HighpassProcessor, type HighpassSlope, subsonicSections } from "./highpass";
import { blockSizeRuns, dftMagnitude, impulse, randomBlock, toDb } from "./testSupport";

const SLOPES: [HighpassSlope, number][] = [
  ["12", 2],
  ["24", 4],
  ["48", 8],
];

function cascadeDb(fs: number, f0: number, slope: HighpassSlope, f: number): number {
  return subsonicSections(fs, f0, slope).reduce((db, c) => db + toDb(biquadMagnitude(c, f, fs)), 0);
}

describe("subsonicSections (Butterworth high-pass)", () => {
  it.each(SLOPES)("slope %s: −3.01 dB at f0 and 6.02·%i dB/octave far below it", (slope, order) => {
    for (const fs of [44_100, 48_000, 96_000]) {
      for (const f0 of [5, 20, 80, 150]) {
        expect(cascadeDb(fs, f0, slope, f0)).toBeCloseTo(-3.0103, 3);
        // Butterworth: |H(f)|² = r^2N / (1 + r^2N), r = f/f0; an octave at f0/16 → f0/32 is 6.02·N dB.
        const fall = cascadeDb(fs, f0, slope, f0 / 16) - cascadeDb(fs, f0, slope, f0 / 32);
        expect(fall).toBeCloseTo(6.0206 * order, 1);
        // Pass band: within 0.01 dB at 8·f0.
        expect(Math.abs(cascadeDb(fs, f0, slope, 8 * f0))).toBeLessThan(0.01);
      }
    }
  });

  it("every section's numerator sums to exactly 0 (a zero at DC)", () => {
    for (const [slope] of SLOPES) {
      for (const c of subsonicSections(44_100, 31, slope)) expect(c.b0 + c.b1 + c.b2).toBe(0);
    }
  });
});

describe("HighpassProcessor", () => {
  const spec = { sampleRate: 48_000, channels: 2, maxBlockFrames: 8192 };

  it("has the magnitude response of its sections (impulse response → DFT)", () => {
    const p = new HighpassProcessor({ freqHz: 30, slope: "48" });
    p.prepare({ ...spec, channels: 1 });
    const ir = impulse(1 << 16);
    p.process([ir], ir.length);
    for (const f of [5, 15, 30, 60, 1000, 15_000]) {
      expect(toDb(dftMagnitude(ir, f, 48_000))).toBeCloseTo(cascadeDb(48_000, 30, "48", f), 3);
    }
  });

  it("removes DC: a constant input settles to (almost) zero", () => {
    for (const [slope] of SLOPES) {
      const p = new HighpassProcessor({ freqHz: 20, slope });
      p.prepare({ ...spec, channels: 1 });
      const x = new Float32Array(48_000).fill(0.5);
      p.process([x], x.length);
      const tail = x.subarray(40_000);
      expect(Math.max(...tail.map(Math.abs))).toBeLessThan(1e-6);
    }
  });

  it("decays to tiny values after the signal stops, without NaN", () => {
    const p = new HighpassProcessor({ freqHz: 5, slope: "48" });
    p.prepare({ ...spec, channels: 1 });
    const noise = randomBlock(24_000, 1)[0]!;
    p.process([noise], noise.length);
    const silence = new Float32Array(48_000 * 20);
    p.process([silence], silence.length);
    expect(silence.every(Number.isFinite)).toBe(true);
    expect(Math.max(...silence.subarray(silence.length - 1000).map(Math.abs))).toBeLessThan(1e-20);
  });

  it.each(SLOPES)("slope %s is block-size invariant", (slope) => {
    const make = () => {
      const p = new HighpassProcessor({ freqHz: 40, slope });
      p.prepare(spec);
      return p;
    };
    const { one, sizes } = blockSizeRuns(make, randomBlock(20_000));
    for (const s of sizes) expect(s).toEqual(sizes[0]);
    expect(one).toEqual(sizes[0]!.map((c) => c.subarray(0, 3000)));
  });

  it("reset() gives the same output as a fresh processor; a live slope change crossfades to the new cascade", () => {
    const input = randomBlock(8000);
    const p = new HighpassProcessor({ freqHz: 60, slope: "24" });
    p.prepare(spec);
    const a = input.map((c) => c.slice());
    p.process(a, 8000);
    p.reset();
    const b = input.map((c) => c.slice());
    p.process(b, 8000);
    expect(b).toEqual(a);

    const fresh = new HighpassProcessor({ freqHz: 60, slope: "12" });
    fresh.prepare(spec);
    const d = input.map((ch) => ch.slice());
    fresh.process(d, 8000);
    // Mid-stream: the old cascade fades out over 20 ms; after it (and the old state's decay) the
    // output is the new slope's.
    p.setParams({ freqHz: 60, slope: "12" });
    const c = input.map((ch) => ch.slice());
    p.process(c, 8000);
    expect(c[0]!.subarray(0, 500)).not.toEqual(d[0]!.subarray(0, 500));
    for (let ch = 0; ch < 2; ch++) {
      for (let i = 6000; i < 8000; i++) expect(c[ch]![i]).toBeCloseTo(d[ch]![i]!, 6);
    }
    // reset() lands every change at once: the output is a fresh processor's.
    p.reset();
    const e = input.map((ch) => ch.slice());
    p.process(e, 8000);
    expect(e).toEqual(d);
  });

  it("refuses unknown slopes and process before prepare", () => {
    expect(() => new HighpassProcessor({ freqHz: 20, slope: "36" as HighpassSlope })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    const p = new HighpassProcessor();
    expect(() => p.process([new Float32Array(1)], 1)).toThrow(expect.objectContaining({ code: "INVALID_STATE" }));
  });
});
