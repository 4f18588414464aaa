import { describe, expect, it } from "vitest";
import { Biquad, type BiquadCoefs, biquadMagnitude } from "../../biquad";
import { sine } from "../../signals";
import { DEFAULT_REVERB_PARAMS, onePoleForGain, Reverb, type ReverbParams } from "./reverb";
import { randomSignal, runInBlocks } from "./testSupport";

const FS = 44_100;
const params = (p: Partial<ReverbParams>): ReverbParams => ({ ...DEFAULT_REVERB_PARAMS, ...p });

/** Impulse response (both channels, impulse in both) of the wet path, the dry impulse removed. */
function impulseResponse(p: ReverbParams, seconds: number, fs = FS): Float32Array[] {
  const n = Math.round(seconds * fs);
  const x = [new Float32Array(n), new Float32Array(n)];
  x[0]![0] = 1;
  x[1]![0] = 1;
  const y = runInBlocks(new Reverb(p), x, fs, 4096);
  y[0]![0]! -= 1;
  y[1]![0]! -= 1;
  return y;
}

/** One-octave band-pass: two RBJ constant-peak band-passes, Q = √2 (bandwidth one octave each). */
function octaveBand(x: Float32Array, fs: number, f0: number): Float64Array {
  const w = (2 * Math.PI * f0) / fs;
  const al = Math.sin(w) / (2 * Math.SQRT2);
  const a0 = 1 + al;
  const c: BiquadCoefs = { b0: al / a0, b1: 0, b2: -al / a0, a1: (-2 * Math.cos(w)) / a0, a2: (1 - al) / a0 };
  const y = [Float64Array.from(x)];
  for (let k = 0; k < 2; k++) {
    const b = new Biquad(c);
    b.prepare({ sampleRate: fs, channels: 1, maxBlockFrames: x.length });
    b.process(y, x.length);
  }
  return y[0]!;
}

/**
 * RT60 by Schroeder backward integration (M. R. Schroeder, "New method of measuring reverberation
 * time", JASA 37, 1965) of the energy h_L² + h_R², from the −5 to −35 dB least-squares slope
 * (T30, ISO 3382-1): RT60 = −60 dB / slope.
 */
function rt60(hl: ArrayLike<number>, hr: ArrayLike<number>, fs: number): number {
  const n = hl.length;
  const edc = new Float64Array(n);
  let acc = 0;
  for (let i = n - 1; i >= 0; i--) {
    acc += hl[i]! * hl[i]! + hr[i]! * hr[i]!;
    edc[i] = acc;
  }
  const db = (i: number) => 10 * Math.log10(edc[i]! / edc[0]!);
  let i5 = 0;
  while (db(i5) > -5) i5++;
  let i35 = i5;
  while (db(i35) > -35) i35++;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const m = i35 - i5 + 1;
  for (let i = i5; i <= i35; i++) {
    const t = i / fs;
    const v = db(i);
    sx += t;
    sy += v;
    sxx += t * t;
    sxy += t * v;
  }
  return -60 / ((m * sxy - sx * sy) / (m * sxx - sx * sx));
}

function bandRt60(p: ReverbParams, f0: number, fs = FS): number {
  const h = impulseResponse(p, p.decayS * 2.5, fs);
  return rt60(octaveBand(h[0]!, fs, f0), octaveBand(h[1]!, fs, f0), fs);
}

describe("Reverb", () => {
  it("onePoleForGain gives the requested gain at ω", () => {
    for (const [g, w] of [
      [0.9, 1],
      [0.999, 0.3],
      [0.2, 2.8],
    ] as const) {
      const b = onePoleForGain(g, w);
      const c: BiquadCoefs = { b0: 1 - b, b1: 0, b2: 0, a1: -b, a2: 0 };
      expect(biquadMagnitude(c, (w * FS) / (2 * Math.PI), FS)).toBeCloseTo(g, 10);
    }
  });

  // decayS is the mid-frequency RT60 (ISO 3382-1 T_mid: mean of the 500 Hz and 1 kHz octaves).
  it.each([0.5, 1.2, 3])("T_mid of the impulse response is decayS = %s s ± 15 %% (measured within 5 %%)", (decayS) => {
    const p = params({ decayS, preDelayMs: 0, mixPct: 30 });
    const tMid = (bandRt60(p, 500) + bandRt60(p, 1000)) / 2;
    expect(Math.abs(tMid / decayS - 1)).toBeLessThan(0.05);
  });

  it.each([44_100, 96_000])("RT60 scales with the sample rate (1.2 s at %i Hz)", (fs) => {
    const p = params({ decayS: 1.2, preDelayMs: 0, mixPct: 30 });
    expect(Math.abs(bandRt60(p, 1000, fs) / 1.2 - 1)).toBeLessThan(0.05);
  });

  it("halves the decay time at dampingHz (octave band at 4 kHz, damping 4 kHz)", () => {
    const p = params({ decayS: 1.2, dampingHz: 4000, preDelayMs: 0, mixPct: 30 });
    expect(Math.abs(bandRt60(p, 4000) / 0.6 - 1)).toBeLessThan(0.15);
  });

  it("broadband RT60 is shorter than decayS by the treble damping: 0.8–0.9 × at 20 kHz damping", () => {
    for (const decayS of [0.5, 1.2, 3]) {
      const h = impulseResponse(
        params({ decayS, dampingHz: 20_000, preDelayMs: 0, lowCutHz: 20, mixPct: 30 }),
        decayS * 2.5,
      );
      const ratio = rt60(h[0]!, h[1]!, FS) / decayS;
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(0.9);
    }
  });

  it("mix 0 returns the input exactly", () => {
    const x = randomSignal(2, 20_000, 4, 0.9);
    const y = runInBlocks(new Reverb(params({ mixPct: 0, decayS: 4 })), x, FS, 1000);
    expect(y).toEqual(x);
  });

  it("has no latency: the dry impulse is untouched, the wet starts at pre-delay + the shortest line", () => {
    const r = new Reverb(params({ preDelayMs: 20, mixPct: 30 }));
    const x = [new Float32Array(4000), new Float32Array(4000)];
    x[0]![0] = 1;
    x[1]![0] = 1;
    const y = runInBlocks(r, x, FS, 512);
    expect(r.latencyFrames).toBe(0);
    expect(y[0]![0]).toBe(1);
    const onset = Math.round(0.02 * FS) + Math.min(...r.lineLengths);
    for (let i = 1; i < onset; i++) expect(y[0]![i]).toBe(0);
    expect(Math.abs(y[0]![onset]!)).toBeGreaterThan(1e-4);
  });

  it("width 0 makes the wet mono; width 100 decorrelates it", () => {
    const mono = sine({ sampleRate: FS, frequency: 440, seconds: 1, channels: 2, amplitudeDbfs: -6 });
    const w0 = runInBlocks(new Reverb(params({ widthPct: 0, mixPct: 30 })), mono, FS, 1024);
    expect(w0[0]).toEqual(w0[1]);
    // Different L and R: the wet parts (output − input) are still identical (to float rounding).
    const x = randomSignal(2, FS, 6, 0.5);
    const y = runInBlocks(new Reverb(params({ widthPct: 0, mixPct: 30 })), x, FS, 1024);
    for (let i = 0; i < FS; i++) expect(Math.abs(y[0]![i]! - x[0]![i]! - (y[1]![i]! - x[1]![i]!))).toBeLessThan(1e-6);
    // Width 100: the wet impulse responses of L and R are nearly uncorrelated.
    const h = impulseResponse(params({ widthPct: 100, mixPct: 30 }), 1.5);
    let lr = 0;
    let ll = 0;
    let rr = 0;
    for (let i = 0; i < h[0]!.length; i++) {
      lr += h[0]![i]! * h[1]![i]!;
      ll += h[0]![i]! ** 2;
      rr += h[1]![i]! ** 2;
    }
    expect(Math.abs(lr / Math.sqrt(ll * rr))).toBeLessThan(0.2);
  });

  it("low cut removes the bass from the wet path (50 Hz, 200 Hz cut: ≥ 20 dB less than a 20 Hz cut)", () => {
    const x = sine({ sampleRate: FS, frequency: 50, seconds: 2, channels: 2, amplitudeDbfs: -6 });
    const wetEnergy = (lowCutHz: number) => {
      const y = runInBlocks(new Reverb(params({ lowCutHz, mixPct: 30 })), x, FS, 1024);
      let e = 0;
      for (let i = FS; i < 2 * FS; i++) e += (y[0]![i]! - x[0]![i]!) ** 2;
      return e;
    };
    expect(10 * Math.log10(wetEnergy(200) / wetEnergy(20))).toBeLessThan(-20);
  });

  it("decays to exact silence on a long silent tail (no NaN, no subnormals)", () => {
    const r = new Reverb(params({ decayS: 4, mixPct: 30, dampingHz: 20_000, lowCutHz: 20 }));
    const block = 8192;
    r.prepare({ sampleRate: FS, channels: 2, maxBlockFrames: block });
    const buf = [new Float32Array(block), new Float32Array(block)];
    buf[0]![0] = 1;
    buf[1]![0] = -1;
    let last = 0;
    let finite = true;
    let smallest = Infinity;
    for (let t = 0; t < 70 * FS; t += block) {
      r.process(buf, block);
      for (const c of buf) {
        for (let i = 0; i < block; i++) {
          const v = c[i]!;
          if (!Number.isFinite(v)) finite = false;
          if (v !== 0) {
            smallest = Math.min(smallest, Math.abs(v));
            last = t + i;
          }
        }
        c.fill(0);
      }
    }
    expect(finite).toBe(true);
    expect(smallest).toBeGreaterThan(1e-37); // never near float32 subnormals (< 1.18e-38)
    expect(last / FS).toBeLessThan(60); // −60 dB per 4 s: below 1e-30 after ≈ 45 s, then exact 0
  });

  it("is block-size invariant bit for bit (stereo and mono)", () => {
    for (const channels of [2, 1]) {
      const x = randomSignal(channels, 30_000, 12, 0.7);
      const p = params({ mixPct: 25, decayS: 2, preDelayMs: 13, widthPct: 70 });
      const ref = runInBlocks(new Reverb(p), x, FS, 8192);
      expect(runInBlocks(new Reverb(p), x, FS, 128)).toEqual(ref);
      expect(runInBlocks(new Reverb(p), x, FS, 1000)).toEqual(ref);
      const short = x.map((c) => c.subarray(0, 3000));
      expect(runInBlocks(new Reverb(p), short, FS, 1)).toEqual(ref.map((c) => c.subarray(0, 3000)));
    }
  });

  it("reset() makes the next run identical", () => {
    const x = randomSignal(2, 10_000, 13, 0.7);
    const r = new Reverb(params({ mixPct: 20 }));
    const a = runInBlocks(r, x, FS, 700);
    r.reset();
    expect(runInBlocks(r, x, FS, 700, false)).toEqual(a);
  });

  it("rejects out-of-range parameters and more than two channels", () => {
    expect(() => new Reverb(params({ mixPct: 50 }))).toThrow(/mixPct/);
    expect(() => new Reverb().prepare({ sampleRate: FS, channels: 3, maxBlockFrames: 64 })).toThrow(/channels/);
  });
});
