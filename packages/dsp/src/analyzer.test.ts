import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AnalysisResult } from "./analysisResult";
import { AudioAnalyzer, analyzeAudio } from "./analyzer";
import { concat, pinkNoise, sine } from "./signals";

/** A short programme that exercises every figure: music-like noise, a tone, clipping, NaN, silence. */
function programme(sampleRate: number, seconds: number): Float32Array[] {
  const noise = pinkNoise({ sampleRate, seconds: seconds / 2, rmsDb: -18, channels: 2, seed: 11 });
  const tone = sine({ sampleRate, frequency: 440, amplitudeDbfs: -3, seconds: seconds / 4, channels: 2 });
  const quiet = sine({ sampleRate, frequency: 3000, amplitudeDbfs: -50, seconds: seconds / 8, channels: 2 });
  const silence = [
    new Float32Array(Math.round((sampleRate * seconds) / 8)),
    new Float32Array(Math.round((sampleRate * seconds) / 8)),
  ];
  const x = concat(noise, tone, quiet, silence);
  const [l, r] = x as [Float32Array, Float32Array];
  for (let i = 0; i < r.length; i++) r[i]! *= 0.7; // a little imbalance for the correlation
  l[100] = 1.5; // clipped
  r[200] = -1; // clipped
  l[300] = Number.NaN;
  r[301] = Number.POSITIVE_INFINITY;
  l[302] = Number.NEGATIVE_INFINITY;
  return x;
}

/** Feeds `x` in blocks of the given sizes (cycled). */
function analyzeInBlocks(x: Float32Array[], sampleRate: number, sizes: readonly number[]): AnalysisResult {
  const a = new AudioAnalyzer({ sampleRate, channels: x.length, waveformBins: 100 });
  const frames = x[0]!.length;
  for (let off = 0, k = 0; off < frames; k++) {
    const n = Math.min(sizes[k % sizes.length]!, frames - off);
    a.process(
      x.map((c) => c.subarray(off, off + n)),
      n,
    );
    off += n;
  }
  return a.result();
}

describe("AudioAnalyzer: the result does not depend on block size", () => {
  // 11025 Hz: sub-blocks of 1102 and 1103 frames, so block edges never line up with them.
  const short = programme(11_025, 3.6);
  const shortReference = analyzeInBlocks(short, 11_025, [4096]);
  const long = programme(48_000, 8);
  const longReference = analyzeInBlocks(long, 48_000, [65_536]);

  it("has every figure on the test programme", () => {
    for (const r of [shortReference, longReference]) {
      expect(r.integratedLufs).not.toBeNull();
      expect(r.loudnessRangeLu).not.toBeNull();
      expect(r.shortTermMaxLufs).not.toBeNull();
      expect(r.truePeakDbtp).not.toBeNull();
      expect(r.nonFiniteSamples).toBe(3);
      expect(r.clippedSamples).toBe(2);
    }
  });

  it("blocks of 1 frame", () => {
    expect(analyzeInBlocks(short, 11_025, [1])).toEqual(shortReference);
  });

  it.each([128, 1000, 8192])("blocks of %i frames", (size) => {
    expect(analyzeInBlocks(long, 48_000, [size])).toEqual(longReference);
  });

  it("random block splits (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 12 }), (sizes) => {
        expect(analyzeInBlocks(short, 11_025, sizes)).toEqual(shortReference);
      }),
      { numRuns: 25, seed: 1770 },
    );
  });
});

describe("AudioAnalyzer figures", () => {
  it("treats NaN and ±Infinity as 0 for every figure, and counts them", () => {
    const clean = sine({ sampleRate: 48_000, frequency: 1000, amplitudeDbfs: -10, seconds: 4, channels: 2 });
    const dirty = clean.map((c) => c.slice());
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (let i = 0; i < 300; i++) {
      const at = (i * 637) % clean[0]!.length;
      dirty[i % 2]![at] = bad[i % 3]!;
      clean[i % 2]![at] = 0;
    }
    const r = analyzeAudio(dirty, 48_000);
    expect(r.nonFiniteSamples).toBe(300);
    expect({ ...r, nonFiniteSamples: 0 }).toEqual(analyzeAudio(clean, 48_000));
    expect(JSON.stringify(r)).not.toMatch(/null,"nonFinite|NaN|Infinity/);
  });

  it("survives a block of nothing but non-finite samples", () => {
    const x = [new Float32Array(48_000).fill(Number.NaN), new Float32Array(48_000).fill(Number.POSITIVE_INFINITY)];
    const r = analyzeAudio(x, 48_000);
    expect(r.nonFiniteSamples).toBe(96_000);
    expect(r.integratedLufs).toBeNull();
    expect(r.samplePeakDbfs).toBeNull();
    expect(r.waveform.max[0]!.every((v) => v === 0)).toBe(true);
  });

  it("reports silence as nulls and zeros, and the result survives JSON", () => {
    for (const frames of [0, 10, 48_000 * 4]) {
      const r = analyzeAudio([new Float32Array(frames), new Float32Array(frames)], 48_000);
      expect(r.integratedLufs).toBeNull();
      expect(r.loudnessRangeLu).toBeNull();
      expect(r.truePeakDbtp).toBeNull();
      expect(r.samplePeakDbfs).toBeNull();
      expect(r.plrDb).toBeNull();
      expect(r.momentaryMaxLufs).toBeNull();
      expect(r.shortTermMaxLufs).toBeNull();
      expect(r.dcOffset).toBe(0);
      expect(r.correlation).toBe(frames === 0 ? null : 0);
      expect(r.shortTermTimeline).toEqual(new Array(Math.floor(frames / 48_000)).fill(null));
      expect(r.spectrum.every((b) => b.levelDb === null)).toBe(true);
      expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    }
  });

  it("computes DC offset, correlation and clipped samples as by hand", () => {
    const l = Float32Array.of(1, 2, 3, -0.5).map((v) => v / 4); // 0.25, 0.5, 0.75, −0.125
    const r = Float32Array.of(1, 0, -1, 0).map((v) => v / 4); // 0.25, 0, −0.25, 0
    const res = analyzeAudio([l, r], 8000);
    expect(res.dcOffsetPerChannel[0]).toBeCloseTo(1.375 / 4, 12);
    expect(res.dcOffsetPerChannel[1]).toBe(0);
    expect(res.dcOffset).toBeCloseTo(1.375 / 4, 12);
    // Σlr = (1 − 3)/16, Σl² = 14.25/16, Σr² = 2/16
    expect(res.correlation).toBeCloseTo(-2 / Math.sqrt(14.25 * 2), 6);
    expect(res.samplePeakDbfs).toBeCloseTo(20 * Math.log10(0.75), 6);

    const neg = analyzeAudio([Float32Array.of(0.1, -0.5), Float32Array.of(0.1, 0.1)], 8000);
    expect(neg.dcOffset).toBeCloseTo(-0.2, 6); // the channel mean of largest magnitude, with its sign

    const clip = 32767 / 32768;
    const c = analyzeAudio([Float32Array.of(clip, -clip, 0.99996, 1, -1.2, 0)], 8000);
    expect(Math.fround(clip)).toBe(clip); // exactly representable, so the threshold is exact
    expect(c.clippedSamples).toBe(4);
    expect(c.correlation).toBe(1); // mono
  });

  it("reads correlation +1, −1 and ≈0 for identical, inverted and quadrature sines", () => {
    const s = sine({ sampleRate: 48_000, frequency: 1000, seconds: 1 })[0]!;
    const c = sine({ sampleRate: 48_000, frequency: 1000, seconds: 1, phase: Math.PI / 2 })[0]!;
    expect(analyzeAudio([s, s], 48_000).correlation).toBeCloseTo(1, 12);
    expect(analyzeAudio([s, s.map((v) => -v)], 48_000).correlation).toBeCloseTo(-1, 12);
    expect(analyzeAudio([s, c], 48_000).correlation).toBeCloseTo(0, 6);
  });

  it("reports levels, PLR, timeline, waveform and spectrum of a −20 dBFS stereo 1 kHz sine", () => {
    const x = sine({ sampleRate: 48_000, frequency: 1000, amplitudeDbfs: -20, seconds: 5, channels: 2 });
    const r = analyzeAudio(x, 48_000, { waveformBins: 64 });
    expect(r.frames).toBe(240_000);
    expect(r.durationSeconds).toBe(5);
    expect(r.integratedLufs).toBeCloseTo(-20, 1);
    expect(r.momentaryMaxLufs).toBeCloseTo(-20, 1);
    expect(r.shortTermMaxLufs).toBeCloseTo(-20, 1);
    expect(r.loudnessRangeLu).toBeCloseTo(0, 1);
    expect(r.samplePeakDbfs).toBeCloseTo(-20, 2);
    expect(r.truePeakDbtp).toBeCloseTo(-20, 1);
    expect(r.plrDb).toBeCloseTo(r.truePeakDbtp! - r.integratedLufs!, 12);
    expect(r.shortTermTimeline).toHaveLength(5);
    for (const v of r.shortTermTimeline) expect(v).toBeCloseTo(-20, 1);
    expect(r.waveform.bins).toBe(64);
    expect(r.waveform.max).toHaveLength(2);
    for (const v of r.waveform.max[1]!) expect(v).toBeCloseTo(0.1, 3);
    for (const v of r.waveform.min[0]!) expect(v).toBeCloseTo(-0.1, 3);
    const band = r.spectrum.find((b) => b.centerHz === 1000)!;
    expect(band.levelDb).toBeCloseTo(-20, 1);
  });

  it("weights 5 channels for Tech 3341 case 6 through the options", () => {
    const levels = [-28, -28, -24, -30, -30];
    const x = levels.map((a) => sine({ sampleRate: 48_000, frequency: 1000, amplitudeDbfs: a, seconds: 3 })[0]!);
    const r = analyzeAudio(x, 48_000, { channelWeights: [1, 1, 1, 1.41, 1.41] });
    expect(r.integratedLufs).toBeCloseTo(-23, 1);
    expect(r.dcOffsetPerChannel).toHaveLength(5);
  });

  it("reset() forgets everything", () => {
    const a = new AudioAnalyzer({ sampleRate: 48_000, channels: 1 });
    const empty = a.result();
    a.process(sine({ sampleRate: 48_000, frequency: 50, seconds: 1 }));
    a.reset();
    expect(a.result()).toEqual(empty);
  });

  it("refuses bad options and bad blocks with DspError codes", () => {
    expect(() => new AudioAnalyzer({ sampleRate: 0, channels: 2 })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    expect(() => new AudioAnalyzer({ sampleRate: 48_000, channels: 0 })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    const a = new AudioAnalyzer({ sampleRate: 48_000, channels: 2 });
    expect(() => a.process([new Float32Array(10)])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => a.process([new Float32Array(10), new Float32Array(5)], 10)).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    expect(() => analyzeAudio([new Float32Array(3), new Float32Array(4)], 48_000)).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });
});
