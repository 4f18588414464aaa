import { describe, expect, it } from "vitest";
import { analyzeAudio } from "./analyzer";
import { type ReferenceCase, type Tech3341Case, tech3341Case, tech3342Case } from "./ebuTestSignals";
import { LoudnessMeter } from "./loudnessMeter";
import { sine } from "./signals";

function expectWithin(actual: number | null, expected: number, tolerance: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance);
}

function meter(c: ReferenceCase): LoudnessMeter {
  const m = new LoudnessMeter(c.channelWeights ? { channelWeights: c.channelWeights } : {});
  m.prepare({ sampleRate: c.sampleRate, channels: c.channels.length, maxBlockFrames: 4096 });
  m.process(c.channels);
  return m;
}

describe("EBU Tech 3341 (v4.0, Table 1): M, S, I within ±0.1 LU", () => {
  const cases: [Tech3341Case, number][] = [
    [1, 48_000],
    [2, 48_000],
    [3, 48_000],
    [4, 48_000],
    [5, 48_000],
    [6, 48_000],
    [1, 44_100],
    [5, 44_100],
  ];
  it.each(cases)("case %i at %i Hz", (n, fs) => {
    const c = tech3341Case(n, fs);
    const r = analyzeAudio(c.channels, c.sampleRate, c.channelWeights ? { channelWeights: c.channelWeights } : {});
    const e = c.expected;
    if (e.integratedLufs !== undefined) expectWithin(r.integratedLufs, e.integratedLufs, c.tolerance);
    if (e.momentaryMaxLufs !== undefined) expectWithin(r.momentaryMaxLufs, e.momentaryMaxLufs, c.tolerance);
    if (e.shortTermMaxLufs !== undefined) expectWithin(r.shortTermMaxLufs, e.shortTermMaxLufs, c.tolerance);
  });

  it("case 9: short-term −23.0 ±0.1 LUFS at every 100 ms step from 3 s on", () => {
    const c = tech3341Case(9);
    const m = meter(c);
    const series = m.shortTermSeries();
    expect(series.length).toBe(600 - 30 + 1); // 60 s in 100 ms steps, first complete window at 3 s
    for (const s of series) expectWithin(s, c.expected.shortTermAfter3s!, c.tolerance);
    // The per-second timeline agrees once its window is a full 3 s.
    const timeline = m.timeline();
    expect(timeline.length).toBe(60);
    for (const s of timeline.slice(2)) expectWithin(s, -23, c.tolerance);
  });
});

describe("EBU Tech 3342 (v4.0, Table 1): LRA within ±1 LU", () => {
  it.each([1, 2, 3, 4] as const)("case %i", (n) => {
    const c = tech3342Case(n);
    expectWithin(meter(c).loudnessRange(), c.expected.loudnessRangeLu!, c.tolerance);
  });
});

describe("LoudnessMeter", () => {
  it("reads a −23 dBFS stereo 1 kHz sine as −23 LUFS at 11025 Hz (sub-blocks of 1102 and 1103 frames)", () => {
    const m = new LoudnessMeter();
    m.prepare({ sampleRate: 11_025, channels: 2, maxBlockFrames: 512 });
    const x = sine({ sampleRate: 11_025, frequency: 1000, amplitudeDbfs: -23, seconds: 5, channels: 2 });
    m.process(x);
    expect(m.subBlocks).toBe(50);
    expectWithin(m.integrated(), -23, 0.1);
    expectWithin(m.momentary(), -23, 0.1);
    expectWithin(m.shortTerm(), -23, 0.1);
  });

  it("weights channels by G_i (BS.1770-4 eq. 2): one channel at weight 2 reads like two channels", () => {
    const x = sine({ sampleRate: 48_000, frequency: 1000, amplitudeDbfs: -20, seconds: 1, channels: 2 });
    const mono = new LoudnessMeter({ channelWeights: [2] });
    mono.prepare({ sampleRate: 48_000, channels: 1, maxBlockFrames: 4096 });
    mono.process([x[0]!]);
    const stereo = new LoudnessMeter();
    stereo.prepare({ sampleRate: 48_000, channels: 2, maxBlockFrames: 4096 });
    stereo.process(x);
    expect(mono.integrated()).toBeCloseTo(stereo.integrated()!, 10);
  });

  it("gives null, not −Infinity, before a window is complete and for digital silence", () => {
    const m = new LoudnessMeter();
    m.prepare({ sampleRate: 48_000, channels: 1, maxBlockFrames: 4096 });
    m.process([new Float32Array(4800 * 3)]); // 300 ms of silence
    expect(m.momentary()).toBeNull();
    expect(m.momentaryMax()).toBeNull();
    m.process([new Float32Array(48_000 * 3)]);
    expect(m.momentary()).toBeNull();
    expect(m.shortTerm()).toBeNull();
    expect(m.integrated()).toBeNull();
    expect(m.loudnessRange()).toBeNull();
    expect(m.timeline().every((v) => v === null)).toBe(true);
  });

  it("rejects weights that do not match the channel count", () => {
    const m = new LoudnessMeter({ channelWeights: [1, 1] });
    expect(() => m.prepare({ sampleRate: 48_000, channels: 3, maxBlockFrames: 64 })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });

  it("reset() starts a new programme", () => {
    const m = new LoudnessMeter();
    m.prepare({ sampleRate: 48_000, channels: 1, maxBlockFrames: 4096 });
    m.process(sine({ sampleRate: 48_000, frequency: 1000, amplitudeDbfs: -10, seconds: 1 }));
    m.reset();
    m.process(sine({ sampleRate: 48_000, frequency: 1000, amplitudeDbfs: -30, seconds: 1 }));
    // Mono −30 dBFS sine: −30 + 10·log10(1/2) + 0.691 (K gain at 1 kHz) − 0.691 ≈ −33.0 LUFS.
    expectWithin(m.integrated(), -33.01, 0.05);
  });
});
