import { describe, expect, it } from "vitest";
import { sine } from "../../signals";
import { dbToGain } from "../../units";
import { Oversampler } from "./oversampler";
import {
  DEFAULT_SATURATION_PARAMS,
  fastTanh,
  Saturation,
  type SaturationParams,
  saturationCurve,
  TUBE_BIAS,
} from "./saturation";
import { argMaxAbs, bandPower, powerSpectrum, randomSignal, runInBlocks, toDb } from "./testSupport";

const FS = 44_100;
const CHARACTERS = ["tape", "tube", "soft"] as const;
const params = (p: Partial<SaturationParams>): SaturationParams => ({ ...DEFAULT_SATURATION_PARAMS, ...p });

function run(p: SaturationParams, x: Float32Array[], block = 1024): Float32Array[] {
  return runInBlocks(new Saturation(p), x, FS, block);
}

/**
 * Energy of everything that is not a harmonic of f0 (nor DC), relative to the fundamental, in dB:
 * the aliasing of a memoryless curve driven by a pure tone. Analysed after 0.25 s of settling.
 */
function aliasDb(y: Float32Array, f0: number): number {
  const size = 32_768;
  const p = powerSpectrum(y, size, "bh7", 11_025);
  const guard = 10;
  const harmonics: number[] = [0];
  for (let f = f0; f < FS / 2 + guard; f += f0) harmonics.push(f);
  let alias = 0;
  for (let k = 0; k < p.length; k++) {
    const f = (k * FS) / size;
    if (harmonics.some((h) => Math.abs(f - h) <= (guard * FS) / size)) continue;
    alias += p[k]!;
  }
  return toDb(alias / bandPower(p, f0, FS, guard));
}

/** The same curve and drive at the base rate, without oversampling: what aliasing looks like. */
function naive(character: SaturationParams["character"], driveDb: number, x: Float32Array): Float32Array {
  const g = dbToGain(driveDb);
  return x.map((v) => saturationCurve(character, g * v));
}

describe("saturation curves", () => {
  it("fastTanh matches Math.tanh within 3e-7 and saturates monotonically", () => {
    let prev = -2;
    for (let x = -20; x <= 20; x += 0.001) {
      const t = fastTanh(x);
      expect(Math.abs(t - Math.tanh(x))).toBeLessThan(3e-7);
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
  });

  it.each(CHARACTERS)("%s: f(0) = 0 and f'(0) = 1 (unity small-signal gain)", (c) => {
    expect(saturationCurve(c, 0)).toBeCloseTo(0, 12);
    const h = 1e-6;
    expect((saturationCurve(c, h) - saturationCurve(c, -h)) / (2 * h)).toBeCloseTo(1, 6);
  });

  it("soft clip reaches ±1 with zero slope at |u| = 3/2; tube clips at +1/(1+tanh b) and −1/(1−tanh b)", () => {
    expect(saturationCurve("soft", 1.5)).toBeCloseTo(1, 12);
    expect((saturationCurve("soft", 1.5) - saturationCurve("soft", 1.5 - 1e-6)) / 1e-6).toBeCloseTo(0, 5);
    expect(saturationCurve("soft", -7)).toBe(-1);
    const tb = Math.tanh(TUBE_BIAS);
    expect(saturationCurve("tube", 50)).toBeCloseTo(1 / (1 + tb), 6);
    expect(saturationCurve("tube", -50)).toBeCloseTo(-1 / (1 - tb), 6);
    expect(saturationCurve("tape", 3)).toBeCloseTo(-saturationCurve("tape", -3), 12);
  });
});

describe("Saturation", () => {
  it("reports the ×8 round-trip latency (71 frames) for every oversampling factor", () => {
    for (const oversample of ["2", "4", "8"] as const) {
      const s = new Saturation(params({ oversample }));
      expect(s.latencyFrames).toBe(71);
      // A tiny impulse stays in the linear region of the curve: the output peaks at the latency.
      const x = [new Float32Array(512)];
      x[0]![10] = 1e-4;
      const y = run(params({ oversample, driveDb: 0 }), x);
      expect(argMaxAbs(y[0]!)).toBe(10 + 71);
      // The round trip is a linear-phase low-pass with unity DC gain: the impulse's area is kept.
      expect(y[0]!.reduce((a, b) => a + b, 0) / 1e-4).toBeCloseTo(1, 4);
    }
  });

  it.each(CHARACTERS)("%s at mix 0 is the input delayed by the latency, exactly", (character) => {
    const x = randomSignal(2, 5000, 11, 0.9);
    const y = run(params({ character, driveDb: 24, mixPct: 0 }), x, 333);
    for (let c = 0; c < 2; c++) {
      expect(Array.from(y[c]!.subarray(0, 71))).toEqual(new Array(71).fill(0));
      expect(y[c]!.subarray(71)).toEqual(x[c]!.subarray(0, 5000 - 71));
    }
  });

  // Drive 0 dB, mix 100 %, a −20 dBFS (A = 0.1) 1 kHz sine. Taylor series of the curves:
  //   tape: tanh u ≈ u − u³/3       → H3/H1 = A²/12   = −61.6 dB
  //   soft: u − (4/27)u³            → H3/H1 = A²/27   = −68.6 dB
  //   tube: f''(0) = −2·tanh b      → H2/H1 = tanh(b)·A/2 = −40.1 dB (b = 0.2)
  it.each([
    ["tape", 3, 20 * Math.log10(0.01 / 12)],
    ["soft", 3, 20 * Math.log10(0.01 / 27)],
    ["tube", 2, 20 * Math.log10((Math.tanh(TUBE_BIAS) * 0.1) / 2)],
  ] as const)(
    "%s at drive 0 is near identity: harmonic %i at the Taylor-series level ±0.5 dB",
    (character, h, expectedDb) => {
      const f0 = FS / 64; // 689 Hz, exactly on a bin of a 2^15 FFT
      const x = sine({ sampleRate: FS, frequency: f0, amplitudeDbfs: -20, seconds: 1.2 });
      const y = run(params({ character, driveDb: 0, mixPct: 100 }), x)[0]!;
      const p = powerSpectrum(y, 32_768, "bh7", 11_025);
      const h1 = bandPower(p, f0, FS, 8);
      expect(toDb(h1) - toDb(0.01 / 2)).toBeCloseTo(0, 1); // fundamental A²/2 within ±0.05 dB
      expect(Math.abs(toDb(bandPower(p, h * f0, FS, 8) / h1) - expectedDb)).toBeLessThan(0.5);
    },
  );

  // 5 kHz, −6 dBFS, drive 18 dB: the curve sees a peak of ≈ 4, far into saturation.
  it.each(CHARACTERS)(
    "%s driven hard at ×4: aliasing ≥ 60 dB below the fundamental, and far better than naive",
    (c) => {
      const x = sine({ sampleRate: FS, frequency: 5000, amplitudeDbfs: -6, seconds: 1.2 });
      const oversampled = aliasDb(run(params({ character: c, driveDb: 18, oversample: "4" }), x)[0]!, 5000);
      const plain = aliasDb(naive(c, 18, x[0]!), 5000);
      expect(oversampled).toBeLessThan(-60);
      expect(plain).toBeGreaterThan(-40);
      expect(oversampled).toBeLessThan(plain - 30);
    },
  );

  it("higher factors alias less (tape, 5 kHz, drive 24 dB at 0 dBFS)", () => {
    const x = sine({ sampleRate: FS, frequency: 5000, amplitudeDbfs: 0, seconds: 1.2 });
    const a = (["2", "4", "8"] as const).map((oversample) =>
      aliasDb(run(params({ driveDb: 24, oversample }), x)[0]!, 5000),
    );
    expect(a[1]!).toBeLessThan(a[0]! - 10);
    expect(a[2]!).toBeLessThan(a[1]! - 10);
  });

  it.each(CHARACTERS)("%s is block-size invariant bit for bit", (character) => {
    const x = randomSignal(2, 20_000, 5, 0.8);
    const p = params({ character, driveDb: 9, mixPct: 70, outputDb: -2 });
    const ref = run(p, x, 8192);
    expect(run(p, x, 128)).toEqual(ref);
    expect(run(p, x, 1000)).toEqual(ref);
    const short = x.map((c) => c.subarray(0, 2000));
    expect(run(p, short, 1)).toEqual(ref.map((c) => c.subarray(0, 2000)));
  });

  it.each(["2", "8"] as const)(
    "×%s is block-size invariant bit for bit, odd blocks and a drive glide too",
    (oversample) => {
      const x = randomSignal(2, 6000, 12, 0.8);
      const render = (block: number) => {
        const s = new Saturation(params({ oversample, driveDb: 2, mixPct: 80 }));
        s.prepare({ sampleRate: FS, channels: 2, maxBlockFrames: block });
        const y = x.map((c) => c.slice());
        // The glide starts at frame 2331 (= 7 · 333) whatever the block size: blocks are cut there.
        for (let off = 0; off < 6000; ) {
          if (off === 2331) s.setParams(params({ oversample, driveDb: 15, mixPct: 80 }));
          const n = Math.min(block, (off < 2331 ? 2331 : 6000) - off);
          s.process(
            y.map((c) => c.subarray(off, off + n)),
            n,
          );
          off += n;
        }
        return y;
      };
      const ref = render(1);
      expect(render(7)).toEqual(ref);
      expect(render(333)).toEqual(ref);
      expect(render(4096)).toEqual(ref);
    },
  );

  it.each(["tape", "tube"] as const)(
    "%s at ×4 equals upsample → per-sample curve (fastTanh) → downsample within 1e-12",
    (character) => {
      const frames = 5000;
      const x = randomSignal(1, frames, 13, 0.9)[0]!;
      const g = dbToGain(12);
      const s = new Saturation(params({ character, driveDb: 12, mixPct: 100, oversample: "4" }));
      s.prepare({ sampleRate: FS, channels: 1, maxBlockFrames: frames });
      const y = Float64Array.from(x);
      s.process([y], frames);
      const os = new Oversampler(8, 4);
      os.prepare(1, 1000);
      const ref = new Float64Array(frames);
      let x1 = 0;
      let y1 = 0;
      const r = 1 - (2 * Math.PI * 5) / FS;
      for (let off = 0; off < frames; off += 1000) {
        const top = os.upsample(0, x, 1000, off);
        for (let j = 0; j < 4000; j++) top[j] = saturationCurve(character, g * top[j]!);
        os.downsample(0, 1000, ref, off);
      }
      if (character === "tube") {
        for (let i = 0; i < frames; i++) {
          const v = ref[i]!;
          y1 = v - x1 + r * y1;
          x1 = v;
          ref[i] = y1;
        }
      }
      let worst = 0;
      for (let i = 0; i < frames; i++) worst = Math.max(worst, Math.abs(y[i]! - ref[i]!));
      expect(worst).toBeLessThan(1e-12);
    },
  );

  it("glides parameter changes identically whatever the block size", () => {
    const x = randomSignal(2, 6000, 8, 0.8);
    const render = (block: number) => {
      const s = new Saturation(params({ driveDb: 0, mixPct: 100 }));
      s.prepare({ sampleRate: FS, channels: 2, maxBlockFrames: block });
      const y = x.map((c) => c.slice());
      for (let off = 0; off < 6000; off += block) {
        if (off === 3000) s.setParams(params({ driveDb: 20, mixPct: 50, outputDb: -6 }));
        const n = Math.min(block, 6000 - off);
        s.process(
          y.map((c) => c.subarray(off, off + n)),
          n,
        );
      }
      return y;
    };
    expect(render(1)).toEqual(render(1000));
  });

  it("reset() makes the next run identical", () => {
    const x = randomSignal(2, 4000, 9, 0.8);
    const s = new Saturation(params({ character: "tube", driveDb: 12 }));
    const a = runInBlocks(s, x, FS, 512);
    s.reset();
    expect(runInBlocks(s, x, FS, 512, false)).toEqual(a);
  });

  it("rejects out-of-range parameters", () => {
    expect(() => new Saturation(params({ driveDb: 30 }))).toThrow(/driveDb/);
    expect(() => new Saturation(params({ oversample: "3" as "2" }))).toThrow(/oversample/);
  });
});
