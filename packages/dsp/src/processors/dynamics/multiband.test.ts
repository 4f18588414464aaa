import { describe, expect, it } from "vitest";
import { MultibandSplitter } from "../filters/linkwitzRiley";
import { MULTIBAND_DEFAULTS, Multiband, type MultibandParams } from "./multiband";
import { blockInvariance, componentDb, maxAbsDiff, noise, processInBlocks, render, tone } from "./testSupport";

const FS = 48_000;
const params = (p: Partial<MultibandParams> = {}): MultibandParams => ({ ...MULTIBAND_DEFAULTS, ...p });
const amp = (db: number) => 10 ** (db / 20);
/** Every band at ratio 1 and 0 dB: no dynamics, only the crossover network. */
const FLAT: Partial<MultibandParams> = { b1Ratio: 1, b2Ratio: 1, b3Ratio: 1, b4Ratio: 1 };

/** |H(f)| in dB from an impulse response, by a direct DFT at f. */
function magnitudeDb(h: Float32Array, f: number): number {
  let re = 0;
  let im = 0;
  const w = (2 * Math.PI * f) / FS;
  for (let n = 0; n < h.length; n++) {
    re += h[n]! * Math.cos(w * n);
    im -= h[n]! * Math.sin(w * n);
  }
  return 10 * Math.log10(re * re + im * im);
}

/** Complex response [re, im] of each band of the LR4 splitter at f (from its impulse responses). */
function bandResponses(crossovers: number[], f: number): [number, number][] {
  const sp = new MultibandSplitter(4, 1);
  sp.configure(FS, crossovers);
  const n = crossovers.length + 1;
  const out = new Float64Array(n);
  const res: [number, number][] = Array.from({ length: n }, () => [0, 0]);
  const w = (2 * Math.PI * f) / FS;
  for (let k = 0; k < 1 << 16; k++) {
    sp.processSample(0, k === 0 ? 1 : 0, out);
    for (let b = 0; b < n; b++) {
      res[b]![0] += out[b]! * Math.cos(w * k);
      res[b]![1] -= out[b]! * Math.sin(w * k);
    }
  }
  return res;
}

/** |Σ g_b·H_b(f)| in dB. */
function combinedDb(h: [number, number][], g: number[]): number {
  let re = 0;
  let im = 0;
  h.forEach(([r, i], b) => {
    re += g[b]! * r;
    im += g[b]! * i;
  });
  return 10 * Math.log10(re * re + im * im);
}

describe("Multiband", () => {
  it.each([
    ["4 bands, default crossovers", { bands: "4" }],
    ["3 bands", { bands: "3", crossover1Hz: 250, crossover2Hz: 4000 }],
    ["4 bands, close crossovers", { bands: "4", crossover1Hz: 700, crossover2Hz: 1000, crossover3Hz: 1400 }],
    ["4 bands, unsorted crossovers", { bands: "4", crossover1Hz: 900, crossover2Hz: 300, crossover3Hz: 16_000 }],
  ] as const)("%s: ratio 1 and 0 dB gains sum flat within ±0.01 dB over 20 Hz–20 kHz", (_, p) => {
    const comp = new Multiband(params({ ...FLAT, ...(p as Partial<MultibandParams>) }));
    const h = new Float32Array(1 << 16);
    h[0] = 1;
    comp.prepare({ sampleRate: FS, channels: 1, maxBlockFrames: 4096 });
    processInBlocks(comp, [h], 4096);
    let worst = 0;
    for (let k = 0; k <= 60; k++) {
      const f = 20 * 1000 ** (k / 60);
      worst = Math.max(worst, Math.abs(magnitudeDb(h, f)));
    }
    expect(worst).toBeLessThan(0.01);
  });

  it("compresses a loud low-band tone and leaves a quiet mid-band tone alone", () => {
    // 60 Hz at −6 dBFS (band 1, below 120 Hz) + 2 kHz at −36 dBFS (band 3: 1–6 kHz); every band at
    // T = −24 dB, R = 4. Band 1 carries the 60 Hz tone at |H1(60)|·A and asks for Eq. (4) above the
    // knee, (1 − 1/4)(L1 + 24) dB; the other bands stay below their knees (g = 1), so the 60 Hz
    // output is |g1·H1 + H2 + H3 + H4| (the bands overlap: LR4 slopes are 24 dB/octave).
    const x = tone(FS, 2, 60, amp(-6), FS).map((c, ch) => {
      const mid = tone(FS, 2, 2000, amp(-36), FS)[ch]!;
      return c.map((v, i) => v + mid[i]!);
    });
    const p = params({
      b1ThresholdDb: -24,
      b2ThresholdDb: -24,
      b3ThresholdDb: -24,
      b4ThresholdDb: -24,
      b1Ratio: 4,
      b2Ratio: 4,
      b3Ratio: 4,
      b4Ratio: 4,
      b1ReleaseMs: 2000, // little ripple on a 60 Hz tone
    });
    const comp = new Multiband(p);
    const y = render(comp, x, FS, 512);
    const h = bandResponses([120, 1000, 6000], 60);
    const level1 = -6 + 10 * Math.log10(h[0]![0] ** 2 + h[0]![1] ** 2);
    const gr1 = 0.75 * (level1 + 24);
    const expectedCut = -combinedDb(h, [10 ** (-gr1 / 20), 1, 1, 1]);
    const [a, b] = [FS / 2, FS / 2 + 24_000]; // whole periods of 60 Hz and 2 kHz
    const lowCut = componentDb(x[0]!, 60, FS, a, b) - componentDb(y[0]!, 60, FS, a, b);
    const midCut = componentDb(x[0]!, 2000, FS, a, b) - componentDb(y[0]!, 2000, FS, a, b);
    expect(gr1).toBeCloseTo(13.1, 1);
    expect(comp.bandReductionDb(0)).toBeCloseTo(gr1, 1);
    expect(Math.abs(lowCut - expectedCut)).toBeLessThan(0.1);
    expect(lowCut).toBeGreaterThan(10);
    expect(Math.abs(midCut)).toBeLessThan(0.05);
    expect(comp.bandReductionDb(2)).toBe(0);
    expect(comp.gainReductionDb).toBe(comp.bandReductionDb(0));
  });

  it("band gains with ratio 1 act as a static EQ: |Σ g_b·H_b(f)|", () => {
    const x = tone(FS, 1, 2500, amp(-20), FS);
    const y = render(new Multiband(params({ ...FLAT, b3GainDb: 6 })), x, FS, 512);
    const [a, b] = [FS / 2, FS];
    const expected = combinedDb(bandResponses([120, 1000, 6000], 2500), [1, 1, 10 ** (6 / 20), 1]);
    expect(expected).toBeGreaterThan(5); // mostly band 3, partly bands 2 and 4
    expect(componentDb(y[0]!, 2500, FS, a, b) - componentDb(x[0]!, 2500, FS, a, b)).toBeCloseTo(expected, 2);
  });

  it("ignores band 4 with 3 bands", () => {
    const x = noise(10_000, 2, 0.5, 4);
    const a = render(new Multiband(params({ bands: "3", b4GainDb: 12, b4Ratio: 20 })), x, FS, 512);
    const b = render(new Multiband(params({ bands: "3" })), x, FS, 512);
    expect(maxAbsDiff(a, b)).toBe(0);
  });

  it("is block-size invariant and reset() restores the initial state", () => {
    const make = () =>
      new Multiband(
        params({ b1ThresholdDb: -40, b2Ratio: 6, b3AttackMs: 0.3, b4ReleaseMs: 5, b2GainDb: 3, b4GainDb: -4 }),
      );
    expect(() => blockInvariance(make, FS)).not.toThrow();
    const comp = make();
    const x = noise(8000, 2, 1, 6);
    const r1 = render(comp, x, FS, 256);
    comp.reset();
    const r2 = x.map((c) => c.slice());
    processInBlocks(comp, r2, 256);
    expect(maxAbsDiff(r1, r2)).toBe(0);
  });

  it("gives finite output on silence and DC", () => {
    const comp = new Multiband(params({ b1ThresholdDb: -60, b1Ratio: 20, b1GainDb: 12 }));
    const s = render(comp, [new Float32Array(4000)], FS, 512);
    expect(s[0]!.every((v) => v === 0)).toBe(true);
    const dc = render(comp, [new Float32Array(FS).fill(1)], FS, 512);
    expect(dc[0]!.every(Number.isFinite)).toBe(true);
  });

  it("rejects parameters outside the chain document's ranges", () => {
    expect(() => new Multiband(params({ crossover1Hz: 10 }))).toThrow(/crossover1Hz/);
    expect(() => new Multiband(params({ b3Ratio: 50 }))).toThrow(/b3Ratio/);
    expect(() => new Multiband({ ...params(), bands: "5" as "4" })).toThrow(/bands/);
  });
});
