import { sine, whiteNoise } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { LISTEN_AS_MODES, type ListenAsMode, MonitorStage, PLATFORM_TARGET_LUFS, platformGainDb } from "./monitorStage";

const SR = 48_000;

/** Runs a stereo signal through a fresh stage in 128-frame blocks (in place on copies). */
function run(mode: ListenAsMode, input: Float32Array[], setup?: (s: MonitorStage) => void): Float32Array[] {
  const stage = new MonitorStage(SR);
  setup?.(stage);
  stage.setMode(mode);
  const out = input.map((x) => x.slice());
  for (let at = 0; at < out[0]!.length; at += 128) {
    const n = Math.min(128, out[0]!.length - at);
    stage.process(out[0]!.subarray(at, at + n), out[1]!.subarray(at, at + n), n);
  }
  return out;
}

const rms = (x: Float32Array, from = 0) => {
  let s = 0;
  for (let i = from; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (x.length - from));
};
/** Gain (dB) of `mode` for a −20 dBFS sine at `hz`, measured after 0.5 s of settling. */
function sineGainDb(mode: ListenAsMode, hz: number): number {
  const x = sine({ sampleRate: SR, frequency: hz, amplitudeDbfs: -20, seconds: 1, channels: 2 });
  const y = run(mode, x);
  return 20 * Math.log10(rms(y[0]!, SR / 2) / rms(x[0]!, SR / 2));
}

describe("MonitorStage", () => {
  it('"off" is bit-transparent', () => {
    const x = whiteNoise({ sampleRate: SR, seconds: 0.5, channels: 2, seed: 4 });
    expect(run("off", x)).toEqual(x);
  });

  it("phone: −20 dB or more at 100 Hz, 1 kHz within 3 dB, mono", () => {
    const at100 = sineGainDb("phone", 100);
    const at1k = sineGainDb("phone", 1000);
    console.log(`phone: 100 Hz ${at100.toFixed(1)} dB, 1 kHz ${at1k.toFixed(2)} dB`);
    expect(at100).toBeLessThan(-20);
    expect(Math.abs(at1k)).toBeLessThan(3);
    const y = run("phone", whiteNoise({ sampleRate: SR, seconds: 0.2, channels: 2, seed: 5 }));
    expect(y[0]).toEqual(y[1]);
  });

  it("mono: L == R == (L + R) / 2", () => {
    const x = whiteNoise({ sampleRate: SR, seconds: 0.2, channels: 2, seed: 6 });
    const y = run("mono", x);
    expect(y[0]).toEqual(y[1]);
    expect(y[0]![100]).toBe(Math.fround((x[0]![100]! + x[1]![100]!) * 0.5));
  });

  it("car: +4 dB-ish below 100 Hz, a dip at 200–400 Hz, softer top", () => {
    const low = sineGainDb("car", 50);
    const dip = sineGainDb("car", 280);
    const top = sineGainDb("car", 12_000);
    console.log(`car: 50 Hz ${low.toFixed(1)} dB, 280 Hz ${dip.toFixed(1)} dB, 12 kHz ${top.toFixed(1)} dB`);
    expect(low).toBeGreaterThan(3);
    expect(dip).toBeLessThan(-1.5);
    expect(top).toBeLessThan(-1);
  });

  it("earbuds: a bass lift and a narrower image", () => {
    expect(sineGainDb("earbuds", 50)).toBeGreaterThan(2);
    const x = whiteNoise({ sampleRate: SR, seconds: 0.5, channels: 2, seed: 7 });
    const y = run("earbuds", x);
    const side = (s: Float32Array[]) => rms(s[0]!.map((l, i) => l - s[1]![i]!));
    expect(side(y) / side(x)).toBeLessThan(0.8);
  });

  it("platform: turns a −8 LUFS programme down by 6 dB, never turns a −20 LUFS one up", () => {
    const x = whiteNoise({ sampleRate: SR, seconds: 0.2, channels: 2, seed: 8 });
    const loud = run("platform", x, (s) => {
      s.setPlatform("spotify");
      s.setProgrammeLoudness(-8);
    });
    const g = 10 ** (-6 / 20);
    for (let i = 0; i < x[0]!.length; i += 97) expect(loud[1]![i]).toBeCloseTo(x[1]![i]! * g, 6);
    const quiet = run("platform", x, (s) => s.setProgrammeLoudness(-20));
    expect(quiet).toEqual(x);

    expect(platformGainDb(-8, PLATFORM_TARGET_LUFS.spotify)).toBe(-6);
    expect(platformGainDb(-8, PLATFORM_TARGET_LUFS.apple)).toBe(-8);
    expect(platformGainDb(-20, PLATFORM_TARGET_LUFS.youtube)).toBe(0);
    expect(platformGainDb(null, -14)).toBe(0);
  });

  it("platform: a loudness change during playback ramps over one block, no step", () => {
    const stage = new MonitorStage(SR);
    stage.setProgrammeLoudness(-14);
    stage.setMode("platform");
    const l = new Float32Array(128).fill(0.5);
    const r = new Float32Array(128).fill(0.5);
    stage.setProgrammeLoudness(-8);
    stage.process(l, r, 128);
    expect(l[0]).toBeGreaterThan(0.49);
    expect(l[127]).toBeCloseTo(0.5 * 10 ** (-6 / 20), 6);
    for (let i = 1; i < 128; i++) expect(l[i]).toBeLessThanOrEqual(l[i - 1]!);
  });

  it("refuses an unknown mode or platform", () => {
    const stage = new MonitorStage(SR);
    expect(() => stage.setMode("radio" as ListenAsMode)).toThrow(/unknown listen-as mode/);
    expect(() => stage.setPlatform("napster" as "spotify")).toThrow(/unknown platform/);
    expect(LISTEN_AS_MODES).toEqual(["off", "phone", "earbuds", "car", "mono", "platform"]);
  });
});
