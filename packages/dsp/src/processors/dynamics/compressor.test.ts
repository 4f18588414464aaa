import { describe, expect, it } from "vitest";
import { COMPRESSOR_DEFAULTS, Compressor, type CompressorParams, compressorCurveDb } from "./compressor";
import { GainCurve, staticCurveDb } from "./gainComputer";
import { blockInvariance, maxAbsDiff, noise, render, rmsDb, tone } from "./testSupport";

const FS = 48_000;
const params = (p: Partial<CompressorParams> = {}): CompressorParams => ({ ...COMPRESSOR_DEFAULTS, ...p });
/** RMS of a sine + 3.0103 dB = its peak level; over whole periods of 1 kHz at 48 kHz (48 samples). */
const SINE_CREST_DB = 10 * Math.log10(2);
const dbToAmp = (db: number) => 10 ** (db / 20);

describe("GainCurve (Giannoulis et al. 2012, Eq. 4)", () => {
  it("quotes the analytic values: hard knee above T, centre and edges of a soft knee", () => {
    // T = −20, R = 4, W = 0, x_G = −8: y_G = T + (x_G − T)/R = −20 + 12/4 = −17.
    expect(new GainCurve(-20, 4, 0).outputDb(-8)).toBeCloseTo(-17, 12);
    // W = 10, x_G = T: y_G = T + (1/R − 1)(W/2)²/(2W) = −20 − 0.75·25/20 = −20.9375.
    const c = new GainCurve(-20, 4, 10);
    expect(c.outputDb(-20)).toBeCloseTo(-20.9375, 12);
    expect(c.outputDb(-25)).toBeCloseTo(-25, 12); // knee start: no reduction
    expect(c.outputDb(-15)).toBeCloseTo(-20 + 5 / 4, 12); // knee end: on the ratio line
    expect(c.outputDb(-40)).toBe(-40);
  });

  it("matches Eq. (4) written branch by branch, and is continuous and monotonic", () => {
    for (const [t, r, w] of [
      [-18, 2, 6],
      [-30, 20, 24],
      [-10, 1.5, 0],
      [-40, 1, 12],
    ] as const) {
      const c = new GainCurve(t, r, w);
      let prev = -Infinity;
      let worstDiff = 0;
      let worstStep = Infinity;
      let minReduction = Infinity;
      for (let x = -80; x <= 6; x += 0.01) {
        const y = c.outputDb(x);
        worstDiff = Math.max(worstDiff, Math.abs(y - staticCurveDb(x, t, r, w)));
        worstStep = Math.min(worstStep, y - prev);
        minReduction = Math.min(minReduction, c.reductionDb(x));
        prev = y;
      }
      expect(worstDiff).toBeLessThan(1e-12);
      expect(worstStep).toBeGreaterThan(0);
      expect(minReduction).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("Compressor", () => {
  /** Output level (dB, peak of the sine) of a steady 1 kHz sine at `levelDb`, after 1.5 s. */
  function steadyOutputDb(levelDb: number, p: Partial<CompressorParams>): number {
    const x = tone(Math.round(1.5 * FS), 2, 1000, dbToAmp(levelDb), FS);
    const y = render(new Compressor(params({ sidechainHpfHz: 20, ...p })), x, FS, 512);
    const n = y[0]!.length;
    return rmsDb(y[0]!, n - 48 * 200, n) + SINE_CREST_DB;
  }

  it.each([
    // [L, T, R, W, expected y_G]: above the knee y_G = T + (L − T)/R.
    [-6, -24, 4, 0, -24 + 18 / 4],
    [-3, -30, 10, 6, -30 + 27 / 10],
    [-12, -18, 2, 6, -18 + 6 / 2], // L = T + W: just past the knee
    // Inside the knee: y_G = L + (1/R − 1)(L − T + W/2)²/(2W).
    [-22, -24, 4, 8, -22 + ((0.25 - 1) * 6 * 6) / 16],
    [-18, -18, 2, 6, -18 + ((0.5 - 1) * 3 * 3) / 12],
    // Below the knee: untouched.
    [-40, -24, 4, 8, -40],
  ])("a steady sine at %f dBFS (T %f, R %f, W %f) comes out at %f dB within 0.1 dB", (l, t, r, w, expected) => {
    const out = steadyOutputDb(l, { thresholdDb: t, ratio: r, kneeDb: w, attackMs: 10, releaseMs: 200 });
    expect(Math.abs(out - expected)).toBeLessThan(0.1);
  });

  /** Gain reduction (dB) per sample for a 1 kHz tone stepping between two levels. */
  function reductionTrace(levels: readonly [number, number][], p: Partial<CompressorParams>): Float64Array {
    const comp = new Compressor(params({ sidechainHpfHz: 20, kneeDb: 0, ...p }));
    comp.prepare({ sampleRate: FS, channels: 1, maxBlockFrames: 1 });
    const total = levels.reduce((s, [, n]) => s + n, 0);
    const trace = new Float64Array(total);
    const buf = new Float32Array(1);
    let i = 0;
    for (const [db, n] of levels) {
      const a = dbToAmp(db);
      for (let k = 0; k < n; k++, i++) {
        buf[0] = a * Math.sin((2 * Math.PI * 1000 * i) / FS);
        comp.process([buf], 1);
        trace[i] = comp.gainReductionDb;
      }
    }
    return trace;
  }

  /** First index ≥ from where the trace crosses `level` (rising or falling as `rising`). */
  const crossing = (t: Float64Array, from: number, level: number, rising: boolean) => {
    for (let i = from; i < t.length; i++) if (rising ? t[i]! >= level : t[i]! <= level) return i;
    return -1;
  };

  it("attack: the reduction reaches 1 − 1/e of its step after τ_A (Eq. 7)", () => {
    // T = −30, R = 10: a step from −40 to −10 dBFS asks for (1 − 1/10)·20 = 18 dB.
    const attackMs = 10;
    const on = FS; // 1 s below threshold, then 1 s above
    const t = reductionTrace(
      [
        [-40, on],
        [-10, FS],
      ],
      { thresholdDb: -30, ratio: 10, attackMs, releaseMs: 500 },
    );
    expect(t[on - 1]).toBe(0);
    expect(t[t.length - 1]!).toBeCloseTo(18, 1);
    const ms = ((crossing(t, on, 18 * (1 - Math.exp(-1)), true) - on) / FS) * 1000;
    // + up to a quarter period (0.25 ms) until the first crest reaches the detector.
    expect(ms).toBeGreaterThan(attackMs - 0.1);
    expect(ms).toBeLessThan(attackMs + 0.4);
  });

  it("release: the reduction falls by 1 − 1/e of its step after τ_R(1 + ln(τ_R/(τ_R − τ_A))) ≈ τ_R + τ_A", () => {
    const attackMs = 2;
    const releaseMs = 150;
    const off = 2 * FS;
    const t = reductionTrace(
      [
        [-10, off],
        [-40, FS],
      ],
      { thresholdDb: -30, ratio: 10, attackMs, releaseMs },
    );
    const start = t[off - 1]!;
    expect(start).toBeCloseTo(18, 1);
    const expected = releaseMs * (1 + Math.log(releaseMs / (releaseMs - attackMs)));
    const ms = ((crossing(t, off, start * Math.exp(-1), false) - off) / FS) * 1000;
    expect(Math.abs(ms - expected) / expected).toBeLessThan(0.02);
  });

  it("ratio 1 (and no make-up) is the identity, bit for bit", () => {
    const x = noise(20_000, 2, 1, 3);
    const y = render(new Compressor(params({ ratio: 1, thresholdDb: -60, kneeDb: 0 })), x, FS, 256);
    expect(maxAbsDiff(x, y)).toBe(0);
  });

  it("make-up gain multiplies by 10^(M/20)", () => {
    const x = noise(5000, 1, 0.5, 4);
    const y = render(new Compressor(params({ ratio: 1, makeupDb: 6 })), x, FS, 256);
    const g = dbToAmp(6);
    expect(maxAbsDiff(y, [x[0]!.map((v) => v * g)])).toBeLessThan(1e-6);
  });

  it("mix 0 gives the dry signal exactly; mix 50 % is the mean of dry and compressed", () => {
    const x = noise(20_000, 2, 1, 5);
    const p = { thresholdDb: -30, ratio: 8, attackMs: 1, releaseMs: 50 };
    expect(maxAbsDiff(x, render(new Compressor(params({ ...p, mixPct: 0 })), x, FS, 256))).toBe(0);
    const wet = render(new Compressor(params({ ...p, mixPct: 100 })), x, FS, 256);
    const half = render(new Compressor(params({ ...p, mixPct: 50 })), x, FS, 256);
    const mean = x.map((c, ch) => c.map((v, i) => (v + wet[ch]![i]!) / 2));
    expect(maxAbsDiff(half, mean)).toBeLessThan(1e-6);
    expect(maxAbsDiff(wet, x)).toBeGreaterThan(0.1);
  });

  describe("stereo link (loud left at −6 dBFS, quiet right at −40 dBFS; T −24, R 4)", () => {
    const n = FS;
    const left = tone(n, 1, 1000, dbToAmp(-6), FS)[0]!;
    const right = tone(n, 1, 1000, dbToAmp(-40), FS)[0]!;
    const run = (linkPct: number) =>
      render(
        new Compressor(params({ thresholdDb: -24, ratio: 4, kneeDb: 0, sidechainHpfHz: 20, stereoLinkPct: linkPct })),
        [left, right],
        FS,
        512,
      );
    const reductionDb = (y: Float32Array[], ch: number, x: Float32Array) =>
      rmsDb(x, n - 4800, n) - rmsDb(y[ch]!, n - 4800, n);

    it("0 %: the quiet channel is untouched, the loud one reduced by (1 − 1/R)(L − T) = 13.5 dB", () => {
      const y = run(0);
      expect(maxAbsDiff([y[1]!], [right])).toBe(0);
      expect(reductionDb(y, 0, left)).toBeCloseTo(13.5, 1);
    });

    it("100 %: both channels get the same gain at every sample", () => {
      const y = run(100);
      expect(reductionDb(y, 0, left)).toBeCloseTo(13.5, 1);
      for (let i = 100; i < n; i += 7) {
        if (Math.abs(left[i]!) < 1e-3 || Math.abs(right[i]!) < 1e-5) continue;
        expect(y[1]![i]! / right[i]!).toBeCloseTo(y[0]![i]! / left[i]!, 5);
      }
    });

    it("100 % in stereo (one level, one detector, one gain) equals the per-channel path of 3 channels", () => {
      // With a silent third channel the general path links over the same two side-chains.
      const p = params({ thresholdDb: -24, ratio: 4, kneeDb: 6, stereoLinkPct: 100 });
      const x = noise(n, 2, 0.5, 5).map((c, ch) => c.map((v, i) => v + (ch === 0 ? left[i]! : right[i]!)));
      const stereo = render(new Compressor(p), x, FS, 512);
      const three = render(new Compressor(p), [...x, new Float32Array(n)], FS, 512);
      expect(maxAbsDiff(stereo, three.slice(0, 2))).toBeLessThan(1e-7);
      expect(three[2]!.every((v) => v === 0)).toBe(true);
    });

    it("50 %: the quiet channel gets half the reduction in dB", () => {
      const y = run(50);
      expect(reductionDb(y, 1, right)).toBeCloseTo(13.5 / 2, 1);
      expect(reductionDb(y, 0, left)).toBeCloseTo(13.5, 1);
    });
  });

  it("the side-chain high-pass keeps a 30 Hz tone from driving the detector; the audio path stays full-band", () => {
    const x = tone(FS, 1, 30, dbToAmp(-6), FS);
    const p = { thresholdDb: -24, ratio: 4, kneeDb: 0, attackMs: 5 };
    // 2nd-order Butterworth at 500 Hz: |H(30 Hz)| ≈ (30/500)² → −49 dB, the side-chain sits at −55 dBFS.
    const high = render(new Compressor(params({ ...p, sidechainHpfHz: 500 })), x, FS, 512);
    expect(maxAbsDiff(high, x)).toBe(0);
    // At 20 Hz the tone passes (−0.8 dB) and is compressed by ≈ 0.75·(−6.8 + 24) ≈ 12.9 dB.
    const low = render(new Compressor(params({ ...p, sidechainHpfHz: 20 })), x, FS, 512);
    const n = FS;
    const reduction = rmsDb(x[0]!, n / 2, n) - rmsDb(low[0]!, n / 2, n);
    expect(reduction).toBeGreaterThan(11);
    expect(reduction).toBeLessThan(14);
  });

  it("is block-size invariant and reset() restores the initial state", () => {
    const make = () =>
      new Compressor(
        params({ thresholdDb: -30, ratio: 6, attackMs: 0.5, releaseMs: 40, stereoLinkPct: 60, mixPct: 80 }),
      );
    expect(() => blockInvariance(make, FS)).not.toThrow();
    const comp = make();
    const x = noise(10_000, 2, 1, 9);
    const a = render(comp, x, FS, 333);
    comp.reset();
    const b = x.map((c) => c.slice());
    for (let off = 0; off < 10_000; off += 333) {
      const len = Math.min(333, 10_000 - off);
      comp.process(
        b.map((c) => c.subarray(off, off + len)),
        len,
      );
    }
    expect(maxAbsDiff(a, b)).toBe(0);
  });

  it("gives finite output on silence and on DC", () => {
    const comp = new Compressor(params({ thresholdDb: -60, ratio: 20, makeupDb: 24 }));
    const silence = render(comp, [new Float32Array(5000), new Float32Array(5000)], FS, 512);
    expect(silence.every((c) => c.every((v) => v === 0))).toBe(true);
    const dc = render(comp, [new Float32Array(5000).fill(1), new Float32Array(5000).fill(-1)], FS, 512);
    expect(dc.every((c) => c.every(Number.isFinite))).toBe(true);
    expect(comp.gainReductionDb).toBeGreaterThanOrEqual(0);
  });

  it("rejects parameters outside the chain document's ranges", () => {
    expect(() => new Compressor(params({ ratio: 0.5 }))).toThrow(/ratio/);
    expect(() => new Compressor(params({ attackMs: Number.NaN }))).toThrow(/attackMs/);
  });
});

describe("compressorCurveDb (the desk's transfer curve)", () => {
  /** Output level (dB) of the processor for a steady 12 kHz square wave at `levelDb` peak, settled. */
  function settledOutputDb(p: CompressorParams, levelDb: number): number {
    const c = new Compressor({ ...p, attackMs: 0.1, releaseMs: 5, sidechainHpfHz: 20, stereoLinkPct: 100 });
    c.prepare({ sampleRate: FS, channels: 2, maxBlockFrames: 8192 });
    const n = FS / 2;
    const a = dbToAmp(levelDb);
    const square = () => Float32Array.from({ length: n }, (_, i) => (Math.floor(i / 2) % 2 === 0 ? a : -a));
    const x = [square(), square()];
    c.process(x, n);
    // The settled second half: its peak level (the square's plateaus; the side-chain filter tilts a
    // 42 µs half-period by well under 0.01 dB).
    let peak = 0;
    for (let i = n / 2; i < n; i++) peak = Math.max(peak, Math.abs(x[0]![i]!));
    return 20 * Math.log10(peak);
  }

  it("is the settled processor's output level, with knee, make-up and parallel mix", () => {
    for (const p of [
      params({ thresholdDb: -20, ratio: 4, kneeDb: 0 }),
      params({ thresholdDb: -24, ratio: 3, kneeDb: 12, makeupDb: 4 }),
      params({ thresholdDb: -30, ratio: 8, kneeDb: 6, makeupDb: 6, mixPct: 40 }),
    ]) {
      for (const level of [-40, -26, -20, -12, -3]) {
        expect(Math.abs(settledOutputDb(p, level) - compressorCurveDb(p, level))).toBeLessThan(0.02);
      }
    }
  });

  it("is the identity below the knee without make-up, and follows Eq. (4) with the mix at 100 %", () => {
    const p = params({ thresholdDb: -18, ratio: 2, kneeDb: 6 });
    expect(compressorCurveDb(p, -40)).toBeCloseTo(-40, 12);
    for (const level of [-21, -18, -15, -6])
      expect(compressorCurveDb(p, level)).toBeCloseTo(staticCurveDb(level, -18, 2, 6), 12);
    // Parallel: half compressed, half dry, in amplitude.
    const half = params({ thresholdDb: -20, ratio: 20, kneeDb: 0, mixPct: 50 });
    const wet = dbToAmp(staticCurveDb(-10, -20, 20, 0));
    expect(compressorCurveDb(half, -10)).toBeCloseTo(20 * Math.log10(0.5 * wet + 0.5 * dbToAmp(-10)), 12);
  });
});
