import { describe, expect, it } from "vitest";
import { DEESSER_DEFAULTS, Deesser, type DeesserParams } from "./deesser";
import { LinearPhaseLowpass } from "./linearPhaseSplit";
import { blockInvariance, componentDb, maxAbsDiff, noise, processInBlocks, render, tone } from "./testSupport";

const FS = 48_000;
const params = (p: Partial<DeesserParams> = {}): DeesserParams => ({ ...DEESSER_DEFAULTS, ...p });
const amp = (db: number) => 10 ** (db / 20);

/** `x` delayed by `d` frames (zeros first), same length. */
const delayed = (x: Float32Array[], d: number) =>
  x.map((c) => {
    const o = new Float32Array(c.length);
    o.set(c.subarray(0, c.length - d), d);
    return o;
  });

/** 1 kHz at −10 dBFS throughout plus a 7 kHz burst at −10 dBFS from 0.25 s to 0.75 s (1 s, stereo). */
function voiceWithEss(): Float32Array[] {
  const low = tone(FS, 2, 1000, amp(-10), FS);
  const ess = tone(FS, 2, 7000, amp(-10), FS);
  return low.map((c, ch) => c.map((v, i) => (i >= FS / 4 && i < (3 * FS) / 4 ? v + ess[ch]![i]! : v)));
}

describe("LinearPhaseLowpass (the split filter)", () => {
  it("passes DC exactly, is −6 dB at the cut-off and stops an octave above", () => {
    const f = new LinearPhaseLowpass(48);
    f.design(FS, 5000);
    expect(f.magnitude(FS, 0)).toBeCloseTo(1, 12);
    expect(20 * Math.log10(f.magnitude(FS, 5000))).toBeCloseTo(-6.02, 0);
    expect(20 * Math.log10(f.magnitude(FS, 1000))).toBeCloseTo(0, 2);
    expect(20 * Math.log10(f.magnitude(FS, 7000))).toBeLessThan(-40);
    expect(20 * Math.log10(f.magnitude(FS, 10_000))).toBeLessThan(-60);
  });

  it("applyBlock gives apply's bits over any range (four outputs per pass and the tail alike)", () => {
    const f = new LinearPhaseLowpass(45);
    f.design(44_100, 6500);
    const b = Float64Array.from(noise(300, 1, 0.5, 3)[0]!);
    const n = b.length - 90;
    for (const [from, to] of [
      [0, n],
      [3, 10],
      [5, 6],
      [17, 17],
      [1, n - 2],
    ] as const) {
      const out = new Float64Array(n);
      f.applyBlock(b, from, to, out);
      for (let i = from; i < to; i++) expect(out[i]).toBe(f.apply(b, i));
    }
  });

  it("apply is the low band: a 1 kHz tone passes and a 12 kHz tone is stopped", () => {
    const f = new LinearPhaseLowpass(45);
    f.design(44_100, 6500);
    for (const [hz, lo, hi] of [
      [1000, 0.999, 1.001],
      [12_000, 0, 1e-3],
    ] as const) {
      const b = Float64Array.from({ length: 4000 }, (_, i) => Math.sin((2 * Math.PI * hz * i) / 44_100));
      const out = new Float64Array(4000);
      f.applyBlock(b, 0, 4000 - 90, out);
      const peak = Math.max(...out.subarray(100, 3800).map(Math.abs));
      expect(peak).toBeGreaterThanOrEqual(lo);
      expect(peak).toBeLessThanOrEqual(hi);
    }
  });
});

describe("Deesser", () => {
  it.each(["split", "wide"] as const)(
    "%s: below the threshold the output is the input delayed by latencyFrames",
    (mode) => {
      const x = noise(20_000, 2, amp(-40), 3); // the sibilance band is far below −30 dBFS
      const des = new Deesser(params({ mode, thresholdDb: -30 }));
      const y = render(des, x, FS, 512);
      expect(des.latencyFrames).toBe(48);
      expect(maxAbsDiff(y, delayed(x, 48))).toBeLessThan(1e-6);
      expect(des.gainReductionDb).toBe(0);
    },
  );

  it("range 0 dB is the identity (delayed) even on loud sibilance", () => {
    const x = voiceWithEss();
    const des = new Deesser(params({ freqHz: 5000, thresholdDb: -60, rangeDb: 0 }));
    expect(maxAbsDiff(render(des, x, FS, 512), delayed(x, des.latencyFrames))).toBeLessThan(1e-6);
  });

  it("split: a 7 kHz burst above the threshold is cut by rangeDb, the 1 kHz tone beside it is not", () => {
    const x = voiceWithEss();
    const y = render(new Deesser(params({ freqHz: 5000, thresholdDb: -30, rangeDb: 6 })), x, FS, 512);
    // Steady part of the burst (after the 1 ms attack), whole periods of both tones: 0.4 s … 0.7 s.
    const [a, b] = [0.4 * FS, 0.7 * FS];
    const essCut = componentDb(x[0]!, 7000, FS, a - 48, b - 48) - componentDb(y[0]!, 7000, FS, a, b);
    const lowCut = componentDb(x[0]!, 1000, FS, a - 48, b - 48) - componentDb(y[0]!, 1000, FS, a, b);
    // The band is 20 dB over the threshold: the reduction is the full range (R = ∞, limited).
    expect(essCut).toBeGreaterThan(6 - 0.1);
    expect(essCut).toBeLessThan(6 + 0.1);
    expect(Math.abs(lowCut)).toBeLessThan(0.01);
  });

  it("split: reduces by less than the range when the band is less than the range above threshold", () => {
    const x = tone(FS, 1, 8000, amp(-27), FS);
    const y = render(new Deesser(params({ freqHz: 5000, thresholdDb: -30, rangeDb: 12 })), x, FS, 512);
    // 4th-order Butterworth at 5 kHz: |H(8 kHz)| = 1/√(1 + (5/8)⁸) → −0.1 dB; band at −27.1 dBFS,
    // 2.9 dB over T (past the 2 dB half-knee): the cut is ≈ 2.9 dB, well inside the 12 dB range.
    const cut = componentDb(x[0]!, 8000, FS, FS / 2 - 48, FS - 48) - componentDb(y[0]!, 8000, FS, FS / 2, FS);
    expect(cut).toBeGreaterThan(2.4);
    expect(cut).toBeLessThan(3.2);
  });

  it("wide: the sibilance band turns the whole signal down", () => {
    const x = voiceWithEss();
    const y = render(new Deesser(params({ freqHz: 5000, thresholdDb: -30, rangeDb: 6, mode: "wide" })), x, FS, 512);
    const [a, b] = [0.4 * FS, 0.7 * FS];
    const lowCut = componentDb(x[0]!, 1000, FS, a - 48, b - 48) - componentDb(y[0]!, 1000, FS, a, b);
    expect(lowCut).toBeCloseTo(6, 1);
    // Before the burst nothing is reduced.
    const before =
      componentDb(x[0]!, 1000, FS, 0.1 * FS - 48, 0.2 * FS - 48) - componentDb(y[0]!, 1000, FS, 0.1 * FS, 0.2 * FS);
    expect(Math.abs(before)).toBeLessThan(1e-4);
  });

  it("a 1 kHz tone as loud as the burst is not reduced at all", () => {
    const x = tone(FS / 2, 2, 1000, amp(-10), FS);
    const des = new Deesser(params({ freqHz: 5000, thresholdDb: -30, rangeDb: 6 }));
    const y = render(des, x, FS, 512);
    expect(maxAbsDiff(y, delayed(x, des.latencyFrames))).toBe(0);
  });

  it("delays an impulse by exactly latencyFrames", () => {
    for (const fs of [44_100, 48_000, 96_000]) {
      const des = new Deesser(params());
      des.prepare({ sampleRate: fs, channels: 1, maxBlockFrames: 256 });
      const x = new Float32Array(1000);
      x[10] = 0.01;
      processInBlocks(des, [x], 256);
      expect(des.latencyFrames).toBe(Math.ceil(fs / 1000));
      for (let i = 0; i < x.length; i++) expect(x[i]).toBe(i === 10 + des.latencyFrames ? Math.fround(0.01) : 0);
    }
  });

  it("is block-size invariant and reset() restores the initial state", () => {
    for (const mode of ["split", "wide"] as const) {
      const make = () => new Deesser(params({ freqHz: 4000, thresholdDb: -40, rangeDb: 12, mode }));
      expect(() => blockInvariance(make, FS)).not.toThrow();
      const des = make();
      const x = noise(8000, 2, 0.5, 2);
      const a = render(des, x, FS, 300);
      des.reset();
      const b = x.map((c) => c.slice());
      processInBlocks(des, b, 300);
      expect(maxAbsDiff(a, b)).toBe(0);
    }
  });

  it("mono, stereo and more channels give the same result per channel (linked detector)", () => {
    for (const mode of ["split", "wide"] as const) {
      const make = () => new Deesser(params({ freqHz: 4000, thresholdDb: -40, rangeDb: 12, mode }));
      const x = noise(6000, 2, 0.5, 3);
      const stereo = render(make(), x, FS, 700);
      // A silent third channel does not change the linked level: channels 0 and 1 as in stereo.
      const three = render(make(), [x[0]!, x[1]!, new Float32Array(6000)], FS, 700);
      expect(maxAbsDiff(three.slice(0, 2), stereo)).toBe(0);
      expect(three[2]!.every((v) => v === 0)).toBe(true);
      // Mono is stereo with two equal channels.
      const mono = render(make(), [x[0]!], FS, 700);
      const twin = render(make(), [x[0]!, x[0]!], FS, 700);
      expect(maxAbsDiff(mono, [twin[0]!])).toBe(0);
      expect(maxAbsDiff([twin[1]!], [twin[0]!])).toBe(0);
    }
  });

  it("gives finite output on silence and DC", () => {
    const des = new Deesser(params({ thresholdDb: -60, rangeDb: 24 }));
    const s = render(des, [new Float32Array(4000)], FS, 512);
    expect(s[0]!.every((v) => v === 0)).toBe(true);
    const dc = render(des, [new Float32Array(4000).fill(1)], FS, 512);
    expect(dc[0]!.every(Number.isFinite)).toBe(true);
  });

  it("rejects parameters outside the chain document's ranges", () => {
    expect(() => new Deesser(params({ freqHz: 500 }))).toThrow(/freqHz/);
    expect(() => new Deesser({ ...params(), mode: "band" as "split" })).toThrow(/mode/);
  });
});
