import { describe, expect, it } from "vitest";
import { prng, sine } from "../../signals";
import {
  LIPSHITZ_44K,
  noiseShapingFilter,
  type OutputParams,
  Quantizer,
  type QuantizerParams,
  SECOND_ORDER_HIGHPASS,
} from "./dither";
import { averagedPowerSpectrum, randomSignal, runInBlocks, toDb } from "./testSupport";

const FS = 44_100;

function quantize(x: Float32Array[], p: QuantizerParams, seed = 1, block = 4096, fs = FS): Float32Array[] {
  return runInBlocks(new Quantizer(p, seed), x, fs, block);
}

/** Total error (output − input) in LSB. */
function errorLsb(y: Float32Array, x: Float32Array, bits: number): Float64Array {
  const s = 2 ** (bits - 1);
  return Float64Array.from(y, (v, i) => (v - x[i]!) * s);
}

const meanSquare = (e: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < e.length; i++) s += e[i]! * e[i]!;
  return s / e.length;
};

/** |NTF(e^{iω})|² for NTF(z) = 1 − Σ c_k·z^−(k+1). */
function ntfPower(c: readonly number[], f: number, fs: number): number {
  const w = (2 * Math.PI * f) / fs;
  let re = 1;
  let im = 0;
  c.forEach((ck, k) => {
    re -= ck * Math.cos(w * (k + 1));
    im += ck * Math.sin(w * (k + 1));
  });
  return re * re + im * im;
}

/** A −40 dBFS sine plus a little noise: far from the 16-bit grid, the error statistics show. */
function programme(seconds: number, channels = 1): Float32Array[] {
  const s = sine({ sampleRate: FS, frequency: 441.7, amplitudeDbfs: -40, seconds, channels });
  const n = randomSignal(channels, s[0]!.length, 77, 1e-3);
  return s.map((c, ch) => c.map((v, i) => v + n[ch]![i]!));
}

describe("Quantizer", () => {
  it("uses the same mulberry32 sequence as signals.prng for channel 0", () => {
    // With tpdf dither on silence, k = ⌊r₁ − r₂ + ½⌋: reproduce it from prng(seed).
    const x = [new Float32Array(1000)];
    const y = quantize(x, { bitDepth: "16", dither: "tpdf" }, 42)[0]!;
    const r = prng(42);
    for (let i = 0; i < 1000; i++) {
      const r1 = r();
      const r2 = r();
      expect(y[i]! * 32_768).toBe(Math.floor(r1 - r2 + 0.5) || 0);
    }
  });

  it.each([
    ["16", "none"],
    ["16", "tpdf"],
    ["16", "tpdfShaped"],
    ["24", "none"],
    ["24", "tpdf"],
    ["24", "tpdfShaped"],
  ] as const)("%s-bit %s: every output is k/2^(bits−1), k an integer in range, clipped", (bitDepth, dither) => {
    const x = randomSignal(2, 20_000, 3, 1.2); // peaks beyond full scale
    x[0]![5] = Number.NaN;
    const y = quantize(x, { bitDepth, dither });
    const s = bitDepth === "16" ? 32_768 : 8_388_608;
    let bad = 0;
    for (const c of y) {
      for (let i = 0; i < c.length; i++) {
        const k = c[i]! * s;
        if (!(Number.isInteger(k) && k >= -s && k <= s - 1)) bad++;
      }
    }
    expect(bad).toBe(0);
    expect(y[0]![5]).toBe(0); // NaN → 0
    expect(Math.max(...y[0]!)).toBe((s - 1) / s);
    expect(Math.min(...y[0]!)).toBe(-1);
  });

  it("32f passes samples through untouched; none is plain rounding", () => {
    const x = randomSignal(2, 5000, 4, 0.9);
    expect(quantize(x, { bitDepth: "32f", dither: "tpdfShaped" })).toEqual(x);
    const y = quantize(x, { bitDepth: "16", dither: "none" });
    for (let i = 0; i < 5000; i++) expect(y[1]![i]).toBe(Math.floor(x[1]![i]! * 32_768 + 0.5) / 32_768);
  });

  // Rounding error U(−½, ½): 1/12 LSB²; TPDF dither r₁ − r₂: 1/6 LSB²; independent: 1/4 LSB².
  it.each(["16", "24"] as const)(
    "%s-bit TPDF: total error power is 1/4 LSB² ± 10 %% (measured ±1 %%), mean ≈ 0",
    (bitDepth) => {
      const x = programme(5);
      const bits = Number(bitDepth);
      const e = errorLsb(quantize(x, { bitDepth, dither: "tpdf" })[0]!, x[0]!, bits);
      expect(Math.abs(meanSquare(e) / 0.25 - 1)).toBeLessThan(0.02);
      expect(Math.abs(e.reduce((a, b) => a + b, 0) / e.length)).toBeLessThan(0.01);
    },
  );

  it("TPDF decorrelates the error from a −90 dBFS 1 kHz sine at 16 bits; plain rounding does not", () => {
    const x = sine({ sampleRate: FS, frequency: 1000, amplitudeDbfs: -90, seconds: 10 });
    const harmonicsOverFloorDb = (dither: QuantizerParams["dither"]) => {
      const p = averagedPowerSpectrum(quantize(x, { bitDepth: "16", dither })[0]!, 8192, "bh4");
      const bin = (f: number) => Math.round((f * 8192) / FS);
      const near = (k: number) =>
        [2, 3, 4, 5].some((h) => Math.abs(k - bin(h * 1000)) <= 6) || Math.abs(k - bin(1000)) <= 6;
      const floor: number[] = [];
      for (let k = bin(500); k < bin(20_000); k++) if (!near(k)) floor.push(p[k]!);
      floor.sort((a, b) => a - b);
      const median = floor[floor.length >> 1]!;
      return [2, 3, 4, 5].map((h) => {
        let m = 0;
        for (let k = bin(h * 1000) - 3; k <= bin(h * 1000) + 3; k++) m = Math.max(m, p[k]!);
        return toDb(m / median);
      });
    };
    // Averaged over ~100 segments, bins scatter by well under ±1 dB around the median.
    for (const d of harmonicsOverFloorDb("tpdf")) expect(d).toBeLessThan(3);
    expect(harmonicsOverFloorDb("none")[1]!).toBeGreaterThan(20); // 3rd harmonic of a near-square error
  });

  it("tpdfShaped follows NTF = 1 − Σc·z^−k: less noise below 4 kHz than flat TPDF, total Σ(1 + c²)/4 LSB²", () => {
    const x = programme(10);
    const flat = errorLsb(quantize(x, { bitDepth: "16", dither: "tpdf" })[0]!, x[0]!, 16);
    const shaped = errorLsb(quantize(x, { bitDepth: "16", dither: "tpdfShaped" })[0]!, x[0]!, 16);
    const c = noiseShapingFilter(FS);
    expect(c).toBe(LIPSHITZ_44K);
    const expectedTotal = 0.25 * (1 + c.reduce((s, v) => s + v * v, 0)); // 4.14 LSB²
    expect(Math.abs(meanSquare(shaped) / expectedTotal - 1)).toBeLessThan(0.1);
    const size = 8192;
    const pf = averagedPowerSpectrum(flat, size, "bh4");
    const ps = averagedPowerSpectrum(shaped, size, "bh4");
    let below4kFlat = 0;
    let below4kShaped = 0;
    let analytic = 0;
    const top = Math.round((4000 * size) / FS);
    for (let k = 1; k <= top; k++) {
      below4kFlat += pf[k]!;
      below4kShaped += ps[k]!;
      analytic += ntfPower(c, (k * FS) / size, FS);
    }
    const measuredDb = toDb(below4kShaped / below4kFlat);
    const expectedDb = toDb(analytic / top);
    expect(measuredDb).toBeLessThan(-5);
    expect(Math.abs(measuredDb - expectedDb)).toBeLessThan(1);
  });

  it("shapes with (1 − z⁻¹)² above 50 kHz: less noise below 4 kHz at 96 kHz too", () => {
    expect(noiseShapingFilter(96_000)).toBe(SECOND_ORDER_HIGHPASS);
    const x = sine({ sampleRate: 96_000, frequency: 441.7, amplitudeDbfs: -40, seconds: 4 });
    const run = (dither: QuantizerParams["dither"]) =>
      averagedPowerSpectrum(
        errorLsb(quantize(x, { bitDepth: "16", dither }, 1, 4096, 96_000)[0]!, x[0]!, 16),
        8192,
        "bh4",
      );
    const top = Math.round((4000 * 8192) / 96_000);
    const sum = (p: Float64Array) => p.subarray(1, top + 1).reduce((a, b) => a + b, 0);
    expect(toDb(sum(run("tpdfShaped")) / sum(run("tpdf")))).toBeLessThan(-15);
  });

  it("is deterministic for a seed, different across seeds and channels", () => {
    const x = programme(1, 2);
    const p: QuantizerParams = { bitDepth: "16", dither: "tpdfShaped" };
    expect(quantize(x, p, 7)).toEqual(quantize(x, p, 7));
    expect(quantize(x, p, 7)[0]).not.toEqual(quantize(x, p, 8)[0]);
    const same = [x[0]!, x[0]!.slice()];
    const y = quantize(same, p, 7);
    expect(y[0]).not.toEqual(y[1]);
  });

  it.each(["tpdf", "tpdfShaped", "none"] as const)("%s is block-size invariant and resets exactly", (dither) => {
    const x = programme(1, 2);
    const p: QuantizerParams = { bitDepth: "16", dither };
    const ref = quantize(x, p, 3, 8192);
    expect(quantize(x, p, 3, 128)).toEqual(ref);
    expect(quantize(x, p, 3, 1000)).toEqual(ref);
    const short = x.map((c) => c.subarray(0, 2000));
    expect(quantize(short, p, 3, 1)).toEqual(ref.map((c) => c.subarray(0, 2000)));
    const q = new Quantizer(p, 3);
    const a = runInBlocks(q, x, FS, 512);
    q.reset();
    expect(runInBlocks(q, x, FS, 512, false)).toEqual(a);
  });

  it("has no latency and accepts the output module's params object", () => {
    const params: OutputParams = { sampleRate: "48000", bitDepth: "24", dither: "none" };
    const q = new Quantizer(params);
    expect(q.latencyFrames).toBe(0);
    const x = [new Float32Array(100)];
    x[0]![10] = 0.5;
    expect(runInBlocks(q, x, FS, 64)[0]![10]).toBe(0.5);
  });
});
