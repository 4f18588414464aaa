import { describe, expect, it } from "vitest";
import { Biquad, biquadMagnitude } from "../../biquad";
import { defaultEqParams, type EqParams, EqProcessor } from "./eq";
import { eqSectionCoefs } from "./eqSection";
import { blockSizeRuns, dftMagnitude, impulse, randomBlock, toDb } from "./testSupport";

const FS = 48_000;
const stereoSpec = { sampleRate: FS, channels: 2, maxBlockFrames: 8192 };
const monoSpec = { ...stereoSpec, channels: 1 };

function eq(overrides: Partial<EqParams>, spec = stereoSpec): EqProcessor {
  const p = new EqProcessor({ ...defaultEqParams(), ...overrides });
  p.prepare(spec);
  return p;
}

function processCopy(p: EqProcessor, input: readonly Float32Array[]): Float32Array[] {
  const out = input.map((c) => c.slice());
  p.process(out, out[0]!.length);
  return out;
}

describe("EqProcessor", () => {
  it("is exactly transparent with the default (0 dB) bands, stereo and mono", () => {
    const input = randomBlock(5000);
    expect(processCopy(eq({}), input)).toEqual(input);
    expect(processCopy(eq({}, monoSpec), [input[0]!])).toEqual([input[0]]);
  });

  it("skips bands that are off", () => {
    const input = randomBlock(2000);
    expect(processCopy(eq({ b3Gain: 9, b3On: false, b1Type: "highPass", b1On: false }), input)).toEqual(input);
  });

  it("a stereo band has the magnitude response of its matched section on both channels", () => {
    const p = eq({ b4Gain: 7.5, b4Freq: 3000, b4Q: 1.5 });
    const ir = [impulse(1 << 14), impulse(1 << 14)];
    p.process(ir, ir[0]!.length);
    const c = eqSectionCoefs("bell", FS, 3000, 7.5, 1.5);
    for (const f of [100, 1000, 3000, 8000, 20_000]) {
      for (const ch of ir) expect(toDb(dftMagnitude(ch, f, FS))).toBeCloseTo(toDb(biquadMagnitude(c, f, FS)), 6);
    }
  });

  it("cascades bands: the response is the product of the sections", () => {
    const params: Partial<EqParams> = {
      b1Type: "highPass",
      b1Freq: 30,
      b1Q: Math.SQRT1_2,
      b2Gain: -3,
      b5Gain: 4,
      b6Gain: 2.5,
    };
    const p = eq(params, monoSpec);
    const ir = impulse(1 << 16);
    p.process([ir], ir.length);
    const sections = [
      eqSectionCoefs("highPass", FS, 30, 0, Math.SQRT1_2),
      eqSectionCoefs("bell", FS, 150, -3, 1),
      eqSectionCoefs("bell", FS, 6000, 4, 1),
      eqSectionCoefs("highShelf", FS, 12_000, 2.5, 0.7),
    ];
    for (const f of [20, 30, 150, 1000, 6000, 12_000, 22_000]) {
      const want = sections.reduce((db, c) => db + toDb(biquadMagnitude(c, f, FS)), 0);
      expect(toDb(dftMagnitude(ir, f, FS))).toBeCloseTo(want, 4);
    }
  });

  it("high-pass and low-pass bands are −3 dB at f0 with Q = 1/√2", () => {
    for (const type of ["highPass", "lowPass"] as const) {
      const p = eq({ b3Type: type, b3Freq: 2000, b3Q: Math.SQRT1_2 }, monoSpec);
      const ir = impulse(1 << 14);
      p.process([ir], ir.length);
      expect(toDb(dftMagnitude(ir, 2000, FS))).toBeCloseTo(-3.01, 2);
    }
  });

  it("a side-only boost leaves a mono (L = R) signal untouched, bit for bit", () => {
    const x = randomBlock(6000, 1, 3)[0]!;
    const input = [x, x.slice()];
    const out = processCopy(eq({ b5Gain: 12, b5Mode: "side", b2Type: "lowShelf", b2Gain: -6, b2Mode: "side" }), input);
    expect(out).toEqual(input);
  });

  it("a mid-only band leaves a pure side (L = −R) signal untouched", () => {
    const x = randomBlock(6000, 1, 4)[0]!;
    const input = [x, x.map((v) => -v)];
    expect(processCopy(eq({ b4Gain: -9, b4Mode: "mid" }), input)).toEqual(input);
  });

  it("mid and side bands filter M = (L+R)/2 and S = (L−R)/2 and return L = M+S, R = M−S", () => {
    const input = randomBlock(3000, 2, 5);
    const out = processCopy(eq({ b3Gain: 6, b3Mode: "mid", b5Gain: -4, b5Mode: "side", b1Gain: 3 }), input);
    const mid = new Float64Array(3000);
    const side = new Float64Array(3000);
    for (let i = 0; i < 3000; i++) {
      mid[i] = (input[0]![i]! + input[1]![i]!) / 2;
      side[i] = (input[0]![i]! - input[1]![i]!) / 2;
    }
    const run = (buf: Float64Array, ...coefs: ReturnType<typeof eqSectionCoefs>[]) => {
      for (const c of coefs) {
        const b = new Biquad(c);
        b.prepare(monoSpec);
        b.process([buf]);
      }
    };
    const shelf = eqSectionCoefs("lowShelf", FS, 60, 3, 0.7);
    run(mid, shelf, eqSectionCoefs("bell", FS, 500, 6, 1));
    run(side, shelf, eqSectionCoefs("bell", FS, 6000, -4, 1));
    for (let i = 0; i < 3000; i++) {
      expect(out[0]![i]).toBeCloseTo(mid[i]! + side[i]!, 6);
      expect(out[1]![i]).toBeCloseTo(mid[i]! - side[i]!, 6);
    }
  });

  it("on mono input, stereo and mid bands act and side bands do nothing", () => {
    const x = randomBlock(4000, 1, 6);
    expect(processCopy(eq({ b4Gain: 10, b4Mode: "side" }, monoSpec), x)).toEqual(x);
    const mid = processCopy(eq({ b4Gain: 10, b4Mode: "mid" }, monoSpec), x);
    const stereo = processCopy(eq({ b4Gain: 10, b4Mode: "stereo" }, monoSpec), x);
    expect(mid).toEqual(stereo);
    expect(mid).not.toEqual(x);
  });

  it("is block-size invariant with mixed modes and types", () => {
    const params: Partial<EqParams> = {
      b1Type: "highPass",
      b1Freq: 25,
      b1Q: 0.8,
      b2Gain: 4,
      b2Mode: "side",
      b3Gain: -2.5,
      b3Mode: "mid",
      b4Type: "lowPass",
      b4Freq: 18_000,
      b4Q: 0.6,
      b5Gain: 3,
      b6Gain: -6,
      b6Mode: "side",
    };
    const { one, sizes } = blockSizeRuns(() => eq(params), randomBlock(20_000));
    for (const s of sizes) expect(s).toEqual(sizes[0]);
    expect(one).toEqual(sizes[0]!.map((c) => c.subarray(0, 3000)));
  });

  it("decays to tiny values after the signal, without NaN; reset() restores a fresh state", () => {
    const p = eq({ b1Gain: 12, b1Freq: 40, b1Q: 2, b4Gain: -18, b4Q: 10, b6Gain: 18 });
    const input = randomBlock(10_000);
    const first = processCopy(p, input);
    const silence = [new Float32Array(FS * 5), new Float32Array(FS * 5)];
    p.process(silence, silence[0]!.length);
    for (const ch of silence) {
      expect(ch.every(Number.isFinite)).toBe(true);
      expect(Math.max(...ch.subarray(ch.length - 1000).map(Math.abs))).toBeLessThan(1e-15);
    }
    p.reset();
    expect(processCopy(p, input)).toEqual(first);
  });

  it("refuses more than two channels, unknown types and process before prepare", () => {
    const p = new EqProcessor();
    expect(() => p.process([new Float32Array(1)], 1)).toThrow(expect.objectContaining({ code: "INVALID_STATE" }));
    expect(() => p.prepare({ ...stereoSpec, channels: 3 })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    expect(() => p.setParams({ ...defaultEqParams(), b2Type: "notch" as "bell" })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    expect(p.latencyFrames).toBe(0);
  });
});
