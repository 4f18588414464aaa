import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prng } from "../../signals";
import { LIMITER_DEFAULTS, Limiter, type LimiterParams, lookaheadFrames, MAX_LOOKAHEAD_MS } from "./limiter";
import { intervalPeak, PEAK_LEFT, PEAK_WINDOW } from "./oversampledPeak";
import { blockInvariance, maxAbsDiff, noise, padZeros, processInBlocks, render, tone, truePeak } from "./testSupport";
import { GUARD_FRAMES } from "./truePeakGuard";

const params = (p: Partial<LimiterParams> = {}): LimiterParams => ({ ...LIMITER_DEFAULTS, ...p });
const toDb = (g: number) => 20 * Math.log10(g);

/** A square wave of `period` samples (half +amp, half −amp; odd periods are asymmetric). */
function square(frames: number, period: number, amp: number): Float32Array[] {
  const x = new Float32Array(frames);
  for (let i = 0; i < frames; i++) x[i] = i % period < period / 2 ? amp : -amp;
  return [x, x.slice()];
}

/** Music-like: 12 partials over 40 Hz–10 kHz, decaying noise "drum hits" up to +14 dBFS, stereo. */
function musicLike(frames: number, fs: number, seed: number): Float32Array[] {
  const r = prng(seed);
  const out = [new Float32Array(frames), new Float32Array(frames)];
  for (let k = 0; k < 12; k++) {
    const f = 40 * 2 ** (r() * 8);
    const a = r() * 0.6;
    const ph = r() * 6;
    for (let c = 0; c < 2; c++) {
      const x = out[c]!;
      for (let i = 0; i < frames; i++) x[i]! += a * Math.sin((2 * Math.PI * f * i) / fs + ph + c);
    }
  }
  for (let h = 0; h < 30; h++) {
    const at = Math.floor(r() * (frames - 4000));
    const a = 1 + r() * 4;
    for (let i = 0; i < 4000; i++) {
      const v = a * (2 * r() - 1) * Math.exp(-i / 600);
      out[0]![at + i]! += v;
      out[1]![at + i]! += 0.7 * v;
    }
  }
  return out;
}

/** Isolated and paired full-scale impulses (pairs of equal sign overshoot between the samples). */
function impulses(frames: number, seed: number): Float32Array[] {
  const r = prng(seed);
  const out = [new Float32Array(frames), new Float32Array(frames)];
  for (let k = 0; k < 150; k++) {
    const at = Math.floor(r() * (frames - 2));
    out[0]![at] = r() < 0.5 ? 1 : -1;
    out[0]![at + 1] = r() < 0.5 ? 1 : -1;
    out[1]![at + 3] = 1;
  }
  return out;
}

const HOSTILE: readonly [string, (fs: number, n: number) => Float32Array[]][] = [
  ["square, period 2 (fs/2)", (_, n) => square(n, 2, 1)],
  ["square, period 3", (_, n) => square(n, 3, 1)],
  ["square, period 4 (fs/4)", (_, n) => square(n, 4, 1)],
  ["square, period 5", (_, n) => square(n, 5, 1)],
  ["square, period 7", (_, n) => square(n, 7, 1)],
  ["square, period 11", (_, n) => square(n, 11, 1)],
  ["square, ≈1 kHz", (fs, n) => square(n, Math.round(fs / 1000), 1)],
  ["white noise, full scale", (_, n) => noise(n, 2, 1, 1)],
  ["white noise, +6 dBFS", (_, n) => noise(n, 2, 2, 2)],
  ["sine 997 Hz, +6 dBFS", (fs, n) => tone(n, 2, 997, 2, fs)],
  ["sine 15 kHz, +6 dBFS", (fs, n) => tone(n, 2, 15_000, 2, fs)],
  // fs/4 at 45°: samples at ±0.707 (−3 dBFS), true peak 0 dBTP; and the same 12 dB hotter.
  ["inter-sample peaks, fs/4 at 45°, 0 dBTP", (fs, n) => tone(n, 2, fs / 4, 1, fs, Math.PI / 4)],
  ["inter-sample peaks, fs/4 at 45°, +12 dBTP", (fs, n) => tone(n, 2, fs / 4, 4, fs, Math.PI / 4)],
  ["impulses", (_, n) => impulses(n, 5)],
  ["music-like", (fs, n) => musicLike(n, fs, 3)],
];

/** Output true peak minus ceiling (dB); the input is followed by silence so the output is complete. */
function overshootDb(x: Float32Array[], fs: number, p: LimiterParams): { over: number; lim: Limiter } {
  const lim = new Limiter(p);
  const y = render(lim, padZeros(x, 2 * lookaheadFrames(MAX_LOOKAHEAD_MS, fs) + 400), fs, 1024);
  return { over: toDb(truePeak(y, fs)) - p.ceilingDbtp, lim };
}

describe("Limiter", () => {
  describe("the output's true peak (TruePeakMeter, BS.1770-4 Annex 2) never exceeds the ceiling", () => {
    for (const fs of [44_100, 48_000]) {
      for (const ceilingDbtp of [-1, -0.3]) {
        it.each(HOSTILE)(`${fs} Hz, ceiling ${ceilingDbtp} dBTP: %s`, (_, make) => {
          const x = make(fs, Math.round(0.4 * fs));
          for (const p of [
            params({ ceilingDbtp }),
            params({ ceilingDbtp, lookaheadMs: 0.5, releaseMs: 1, stereoLinkPct: 0 }),
            params({ ceilingDbtp, lookaheadMs: 10, releaseMs: 1000 }),
          ]) {
            const { over, lim } = overshootDb(x, fs, p);
            expect(over).toBeLessThanOrEqual(0);
            // Every signal here is loud enough to be limited: the output reaches the gain path's
            // target (0.02 dB under the ceiling) without being needlessly conservative.
            expect(over).toBeGreaterThan(-0.05);
            expect(lim.guardUnverified).toBe(0);
          }
        });
      }
    }
  });

  it("holds on random hostile mixtures and random parameters (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1 << 30 }),
          fs: fc.constantFrom(44_100, 48_000, 96_000),
          ceilingDbtp: fc.double({ min: -12, max: 0, noNaN: true }),
          releaseMs: fc.double({ min: 1, max: 1000, noNaN: true }),
          lookaheadMs: fc.double({ min: 0.5, max: 10, noNaN: true }),
          stereoLinkPct: fc.integer({ min: 0, max: 100 }),
          gainDb: fc.double({ min: -6, max: 18, noNaN: true }),
        }),
        ({ seed, fs, gainDb, ...p }) => {
          const r = prng(seed);
          const n = 6000;
          const x = [new Float32Array(n), new Float32Array(n)];
          // Segments of squares, noise, sines near fs/4 and impulses, at random levels.
          for (let at = 0; at < n; ) {
            const len = Math.min(n - at, 50 + Math.floor(r() * 1500));
            const kind = Math.floor(r() * 4);
            const amp = 10 ** ((gainDb - 12 * r()) / 20);
            const period = 2 + Math.floor(r() * 12);
            const w = 2 * Math.PI * (0.2 + 0.1 * r());
            for (let c = 0; c < 2; c++) {
              const a = c === 1 && r() < 0.3 ? amp * r() : amp;
              for (let i = at; i < at + len; i++) {
                const v =
                  kind === 0
                    ? i % period < period / 2
                      ? 1
                      : -1
                    : kind === 1
                      ? 2 * r() - 1
                      : kind === 2
                        ? Math.sin(w * i + c)
                        : r() < 0.02
                          ? 1
                          : 0;
                x[c]![i] = a * v;
              }
            }
            at += len;
          }
          const { over, lim } = overshootDb(x, fs, params({ ...p, truePeak: true }));
          return over <= 0 && lim.guardUnverified === 0;
        },
      ),
      { numRuns: 60, seed: 1234 },
    );
  });

  it("with truePeak off, limits the sample peak to the ceiling", () => {
    const fs = 48_000;
    const x = tone(fs / 2, 2, fs / 4, 4, fs, Math.PI / 4); // samples at ±2.83
    const y = render(new Limiter(params({ ceilingDbtp: -1, truePeak: false })), padZeros(x, 2000), fs, 512);
    let peak = 0;
    for (const c of y) for (const v of c) peak = Math.max(peak, Math.abs(v));
    expect(toDb(peak)).toBeLessThanOrEqual(-1);
    expect(toDb(peak)).toBeGreaterThan(-1.05);
    // The samples sit at the ceiling, the waveform between them 3 dB above: sample-peak limiting.
    expect(toDb(truePeak(y, fs))).toBeGreaterThan(1.5);
  });

  it.each([44_100, 48_000, 96_000])(
    "latency = round(10 ms·fs) + 16 + guard frames, whatever the look-ahead (%i Hz): an impulse comes out exactly that late",
    (fs) => {
      const lim = new Limiter(params({ lookaheadMs: 5 }));
      lim.prepare({ sampleRate: fs, channels: 2, maxBlockFrames: 256 });
      const expected = Math.round(MAX_LOOKAHEAD_MS * fs * 1e-3) + 16 + GUARD_FRAMES;
      expect(lim.latencyFrames).toBe(expected);
      for (const lookaheadMs of [5, 0.5, 10]) {
        lim.setParams(params({ lookaheadMs }));
        lim.reset();
        expect(lim.latencyFrames).toBe(expected);
        const x = [new Float32Array(4096), new Float32Array(4096)];
        x[0]![100] = 0.5;
        x[1]![200] = -0.25;
        processInBlocks(lim, x, 256);
        for (let i = 0; i < 4096; i++) {
          expect(x[0]![i]).toBe(i === 100 + expected ? 0.5 : 0);
          expect(x[1]![i]).toBe(i === 200 + expected ? -0.25 : 0);
        }
      }
    },
  );

  it("is transparent below the ceiling: output == input delayed by latencyFrames (within 1e-7)", () => {
    const fs = 44_100;
    const x = noise(30_000, 2, 0.5, 8); // true peak well below −1 dBTP
    const lim = new Limiter(params({ ceilingDbtp: -1 }));
    const y = render(lim, x, fs, 1000);
    const d = lim.latencyFrames;
    const delayed = x.map((c) => {
      const o = new Float32Array(c.length);
      o.set(c.subarray(0, c.length - d), d);
      return o;
    });
    expect(maxAbsDiff(y, delayed)).toBeLessThan(1e-7);
    expect(lim.gainReductionDb).toBe(0);
  });

  it("reports gainReductionDb: a +6 dBFS 1 kHz sine at ceiling −1 dBTP needs 7 dB (+ the 0.02 dB margin)", () => {
    const fs = 48_000;
    const lim = new Limiter(params({ ceilingDbtp: -1 }));
    const y = render(lim, tone(fs, 2, 1000, 2, fs), fs, 512);
    expect(lim.gainReductionDb).toBeGreaterThan(7.0);
    expect(lim.gainReductionDb).toBeLessThan(7.1);
    // The steady output's sample peak (48 samples a period, a crest on a sample) is the target.
    let peak = 0;
    for (let i = fs / 2; i < fs; i++) peak = Math.max(peak, Math.abs(y[0]![i]!));
    expect(toDb(peak)).toBeCloseTo(-1.02, 2);
  });

  it("ramps the gain down over the look-ahead and has reached the peak's gain when the peak comes out", () => {
    const fs = 48_000;
    for (const lookaheadMs of [0.5, 2, 10]) {
      const lim = new Limiter(params({ ceilingDbtp: -6, lookaheadMs }));
      lim.prepare({ sampleRate: fs, channels: 1, maxBlockFrames: 4096 });
      // A quiet DC bed with one sample at +6 dBFS: the bed shows the gain around the peak.
      const n = 4000;
      const at = 2000;
      const x = new Float32Array(n).fill(0.1);
      x[at] = 2;
      const y = x.slice();
      lim.process([y], n);
      const d = lim.latencyFrames;
      const l = lookaheadFrames(lookaheadMs, fs);
      const gain = (i: number) => y[i + d]! / x[i]!;
      // Only the intervals next to the spike, (at − 1, at) and (at, at + 1), exceed the target
      // (sinc(1.5)·2 − 0.1 < 0.5 further out). The gain of sample j answers for intervals j − 8 …
      // j + 8, so it starts to fall at at − 1 − 8 − L and is flat where both are in reach.
      for (let j = 0; j < at - l - 9; j++) expect(gain(j)).toBe(1);
      expect(gain(at - l - 9)).toBeLessThan(1);
      for (let j = at - l - 9; j < at - 9; j++) expect(gain(j + 1)).toBeLessThanOrEqual(gain(j));
      const gMin = gain(at - 8);
      for (let k = -8; k <= 8; k++) if (k !== 0) expect(gain(at + k)).toBeCloseTo(gMin, 12);
      expect(Math.abs(y[at + d]!)).toBeLessThanOrEqual(10 ** (-6 / 20));
    }
  });

  it("releases exponentially in dB with τ = releaseMs", () => {
    const fs = 48_000;
    const releaseMs = 100;
    const lim = new Limiter(params({ ceilingDbtp: -1, releaseMs, lookaheadMs: 0.5 }));
    lim.prepare({ sampleRate: fs, channels: 1, maxBlockFrames: 1 });
    const x = tone(fs / 2, 1, 1000, 2, fs)[0]!; // 0.5 s at +6 dBFS, then silence
    const buf = new Float32Array(1);
    const trace: number[] = [];
    for (let i = 0; i < fs; i++) {
      buf[0] = i < x.length ? x[i]! : 0;
      lim.process([buf], 1);
      trace.push(lim.gainReductionDb);
    }
    const start = trace.findIndex((g, i) => i > fs / 2 && g < trace[fs / 2 - 1]! - 1e-6);
    const g0 = trace[start - 1]!;
    const fell = trace.findIndex((g, i) => i > start && g < g0 * Math.exp(-1));
    const ms = ((fell - start) / fs) * 1000;
    // + half the 24-sample smoothing ramp (0.25 ms).
    expect(Math.abs(ms - releaseMs)).toBeLessThan(0.02 * releaseMs);
  });

  describe("stereo link (left +6 dBFS, right −20 dBFS)", () => {
    const fs = 48_000;
    const left = tone(fs / 2, 1, 1000, 2, fs)[0]!;
    const right = tone(fs / 2, 1, 700, 0.1, fs)[0]!;
    const run = (stereoLinkPct: number) => {
      const lim = new Limiter(params({ stereoLinkPct }));
      return { y: render(lim, [left, right], fs, 512), d: lim.latencyFrames };
    };

    it("0 %: the quiet channel passes untouched (delayed)", () => {
      const { y, d } = run(0);
      for (let i = d; i < left.length; i++) expect(y[1]![i]).toBe(right[i - d]);
    });

    it("100 %: the quiet channel gets the loud channel's gain", () => {
      const { y, d } = run(100);
      for (let i = d + 2000; i < left.length; i += 13) {
        if (Math.abs(left[i - d]!) < 0.05 || Math.abs(right[i - d]!) < 0.01) continue;
        expect(y[1]![i]! / right[i - d]!).toBeCloseTo(y[0]![i]! / left[i - d]!, 5);
      }
    });
  });

  it("keeps the guarantee and its latency through parameter changes mid-stream", () => {
    const fs = 48_000;
    const lim = new Limiter(params());
    lim.prepare({ sampleRate: fs, channels: 2, maxBlockFrames: 512 });
    const latency = lim.latencyFrames;
    const x = padZeros(musicLike(fs, fs, 9), 2000);
    // Cumulative changes; the ceiling only rises, so −0.3 dBTP bounds the whole output.
    const changes: Partial<LimiterParams>[] = [
      { lookaheadMs: 0.5, ceilingDbtp: -6 },
      { lookaheadMs: 10, stereoLinkPct: 0 },
      { releaseMs: 5, ceilingDbtp: -3 },
      { lookaheadMs: 3, stereoLinkPct: 70 },
      { ceilingDbtp: -0.3, lookaheadMs: 1, releaseMs: 300 },
    ];
    let current = params();
    let k = 0;
    for (let off = 0; off < x[0]!.length; off += 512) {
      if (off % 8192 === 0 && k < changes.length) {
        current = { ...current, ...changes[k++]! };
        lim.setParams(current);
        expect(lim.latencyFrames).toBe(latency);
      }
      const len = Math.min(512, x[0]!.length - off);
      lim.process(
        x.map((c) => c.subarray(off, off + len)),
        len,
      );
    }
    // The last ceiling is −0.3 dBTP and no setting ever allowed more.
    expect(toDb(truePeak(x, fs))).toBeLessThanOrEqual(-0.3);
    expect(lim.guardUnverified).toBe(0);
  });

  describe("a ceiling lowered mid-stream glides down", () => {
    const fs = 48_000;
    const change = 20 * 512;
    /** musicLike through a limiter at −0.3 dBTP whose ceiling is set to −6 dBTP before frame `change`. */
    const run = (p: Partial<LimiterParams>, edit: boolean) => {
      const lim = new Limiter(params({ ceilingDbtp: -0.3, ...p }));
      lim.prepare({ sampleRate: fs, channels: 2, maxBlockFrames: 512 });
      const x = padZeros(musicLike(fs, fs, 4), 2000);
      processInBlocks(lim, [x[0]!.subarray(0, change), x[1]!.subarray(0, change)], 512);
      if (edit) lim.setParams(params({ ...p, ceilingDbtp: -6, truePeak: true }));
      processInBlocks(lim, [x[0]!.subarray(change), x[1]!.subarray(change)], 512);
      return { y: x, lim };
    };
    /** The largest interval peak (as the meter measures it) of output frames [from, to), dB. */
    const peakDb = (y: Float32Array[], from: number, to: number) => {
      let peak = 0;
      for (const c of y) {
        const b = Float64Array.from(c);
        for (let at = from - PEAK_LEFT; at + PEAK_WINDOW <= Math.min(b.length, to + PEAK_LEFT + 1); at++)
          peak = Math.max(peak, intervalPeak(b, at));
      }
      return toDb(peak);
    };

    it.each([
      ["true peak", { truePeak: true }],
      ["sample peak before the change", { truePeak: false }],
      ["look-ahead 0.5 ms, release 1 ms", { lookaheadMs: 0.5, releaseMs: 1 }],
      ["look-ahead 10 ms, unlinked", { lookaheadMs: 10, stereoLinkPct: 0 }],
    ] as [string, Partial<LimiterParams>][])("%s: holds at every output sample from edit + latency + glide", (_, p) => {
      const { y, lim } = run(p, true);
      const settled = change + lim.latencyFrames + lim.ceilingGlideFrames;
      expect(lim.ceilingGlideFrames).toBe(Math.round(0.02 * fs));
      // Every interval of the output from the end of the glide, measured exactly like the meter
      // (interior windows only: no zero padding at the edges), and every sample.
      expect(peakDb(y, settled, y[0]!.length)).toBeLessThanOrEqual(-6);
      for (const c of y) for (let i = settled; i < c.length; i++) expect(toDb(Math.abs(c[i]!))).toBeLessThanOrEqual(-6);
      // Before, the output obeys the ceiling it was limited for: at most the old one.
      expect(peakDb(y, change, settled)).toBeLessThanOrEqual(p.truePeak === false ? 3 : -0.3);
      expect(lim.guardUnverified).toBe(0);
    });

    it.each([0.5, 5, 10])(
      "changes no gain already applied: the output comes down from edit + GUARD_FRAMES + (10 ms − look-ahead %d ms)",
      (lookaheadMs) => {
        const edited = run({ lookaheadMs }, true).y;
        const plain = run({ lookaheadMs }, false).y;
        const first = change + GUARD_FRAMES + lookaheadFrames(MAX_LOOKAHEAD_MS, fs) - lookaheadFrames(lookaheadMs, fs);
        let differs = -1;
        for (let i = 0; i < edited[0]!.length && differs < 0; i++)
          if (edited[0]![i] !== plain[0]![i] || edited[1]![i] !== plain[1]![i]) differs = i;
        expect(differs).toBeGreaterThanOrEqual(first);
        // When the gain is coming down (here 121 frames later: the released gain was lower than the
        // first few steps of the glide needed).
        expect(differs).toBeLessThan(first + 200);
      },
    );

    it("is block-size invariant through the glide, and reset() lands it", () => {
      const a = run({ lookaheadMs: 2 }, true);
      const lim = new Limiter(params({ ceilingDbtp: -0.3, lookaheadMs: 2 }));
      lim.prepare({ sampleRate: fs, channels: 2, maxBlockFrames: 1 });
      const x = padZeros(musicLike(fs, fs, 4), 2000);
      const buf = [new Float32Array(1), new Float32Array(1)];
      for (let i = 0; i < x[0]!.length; i++) {
        if (i === change) lim.setParams(params({ ceilingDbtp: -6, lookaheadMs: 2 }));
        buf[0]![0] = x[0]![i]!;
        buf[1]![0] = x[1]![i]!;
        lim.process(buf, 1);
        x[0]![i] = buf[0]![0]!;
        x[1]![i] = buf[1]![0]!;
      }
      expect(maxAbsDiff(a.y, x)).toBe(0);
      // Mid-glide reset: then a fresh limiter at the new ceiling.
      const b = new Limiter(params({ ceilingDbtp: -0.3 }));
      b.prepare({ sampleRate: fs, channels: 2, maxBlockFrames: 512 });
      processInBlocks(b, noise(3000, 2, 1.5, 2), 512);
      b.setParams(params({ ceilingDbtp: -6 }));
      processInBlocks(b, noise(100, 2, 1.5, 3), 100);
      b.reset();
      const fresh = new Limiter(params({ ceilingDbtp: -6 }));
      const input = noise(5000, 2, 1.5, 4);
      expect(maxAbsDiff(render(fresh, input, fs, 512), render(b, input, fs, 512))).toBe(0);
    });
  });

  it("is block-size invariant and reset() restores the initial state", () => {
    const make = () => new Limiter(params({ ceilingDbtp: -3, releaseMs: 20, lookaheadMs: 1.5, stereoLinkPct: 40 }));
    expect(() => blockInvariance(make, 44_100)).not.toThrow();
    const lim = make();
    const x = noise(20_000, 2, 1.5, 4);
    const a = render(lim, x, 44_100, 700);
    lim.reset();
    const b = x.map((c) => c.slice());
    processInBlocks(lim, b, 700);
    expect(maxAbsDiff(a, b)).toBe(0);
  });

  it("gives finite output on silence and on DC, and holds DC at the ceiling", () => {
    const fs = 48_000;
    const lim = new Limiter(params({ ceilingDbtp: -1 }));
    const silence = render(lim, [new Float32Array(5000), new Float32Array(5000)], fs, 512);
    expect(silence.every((c) => c.every((v) => v === 0))).toBe(true);
    const dc = render(lim, padZeros([new Float32Array(fs).fill(2), new Float32Array(fs).fill(-2)], 2000), fs, 512);
    expect(dc.every((c) => c.every(Number.isFinite))).toBe(true);
    expect(toDb(Math.abs(dc[0]![fs - 1]!))).toBeCloseTo(-1.02, 2);
    expect(toDb(truePeak(dc, fs))).toBeLessThanOrEqual(-1);
  });

  it("rejects parameters outside the chain document's ranges", () => {
    expect(() => new Limiter(params({ ceilingDbtp: 1 }))).toThrow(/ceilingDbtp/);
    expect(() => new Limiter(params({ lookaheadMs: 20 }))).toThrow(/lookaheadMs/);
  });
});
