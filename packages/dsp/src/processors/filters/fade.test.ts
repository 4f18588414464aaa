import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GLIDE_SECONDS } from "../paramRamp";
import { type FadeCurve, type FadeParams, FadeProcessor, fadeGain } from "./fade";
import { blockSizeRuns, randomBlock, toDb } from "./testSupport";

const CURVES: FadeCurve[] = ["linear", "exponential", "logarithmic", "sCurve"];

/** A processor at 1 kHz (so seconds read as thousands of frames) over a programme of `total` frames. */
function fader(params: FadeParams, total: number, channels = 2, sampleRate = 1000): FadeProcessor {
  const p = new FadeProcessor(params, { totalFrames: total });
  p.prepare({ sampleRate, channels, maxBlockFrames: 8192 });
  return p;
}

/** The gain the processor applies at every frame (input of ones). */
function gains(p: FadeProcessor, total: number): Float32Array {
  const x = new Float32Array(total).fill(1);
  p.process([x], total);
  return x;
}

describe("fadeGain", () => {
  it("defines each curve at known points", () => {
    for (const c of CURVES) {
      expect(fadeGain(c, 0)).toBe(0);
      expect(fadeGain(c, 1)).toBe(1);
    }
    expect(fadeGain("linear", 0.25)).toBe(0.25);
    // exponential: −60 dB … 0 dB linear in dB, offset to start at 0: (10^−1.5 − 10^−3)/(1 − 10^−3).
    expect(fadeGain("exponential", 0.5)).toBeCloseTo((10 ** -1.5 - 1e-3) / (1 - 1e-3), 14);
    expect(toDb(fadeGain("exponential", 0.5))).toBeCloseTo(-30.27, 2);
    expect(fadeGain("logarithmic", 0.5)).toBeCloseTo(1 - fadeGain("exponential", 0.5), 14);
    expect(fadeGain("sCurve", 0.5)).toBeCloseTo(0.5, 15);
    expect(fadeGain("sCurve", 0.25)).toBeCloseTo((1 - Math.SQRT1_2) / 2, 15);
  });

  it("every curve rises monotonically from 0 to 1", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURVES),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (c, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const gl = fadeGain(c, lo);
          const gh = fadeGain(c, hi);
          return gl >= 0 && gh <= 1 && gl <= gh + 1e-15;
        },
      ),
    );
  });
});

describe("FadeProcessor", () => {
  it("fades in from exactly 0 at frame 0 and reaches full level after inS", () => {
    const g = gains(fader({ inS: 1, outS: 0, curve: "linear" }, 3000, 1), 3000);
    expect(g[0]).toBe(0);
    expect(g[250]).toBe(0.25);
    expect(g[500]).toBe(0.5);
    expect(g[999]).toBeCloseTo(0.999, 6);
    expect(g.subarray(1000).every((v) => v === 1)).toBe(true);
  });

  it("fades out so that the last frame of the programme has gain 0 and frames after it are silent", () => {
    const total = 5000;
    for (const curve of CURVES) {
      const p = fader({ inS: 0, outS: 2, curve }, total, 1);
      const g = gains(p, total);
      expect(g[total - 1]).toBe(0);
      expect(g[total - 1 - 500]).toBe(Math.fround(fadeGain(curve, 0.25)));
      expect(g[total - 1 - 1000]).toBe(Math.fround(fadeGain(curve, 0.5)));
      expect(g.subarray(0, total - 2000).every((v) => v === 1)).toBe(true);
      const after = new Float32Array(100).fill(1);
      p.process([after], 100);
      expect(after.every((v) => v === 0)).toBe(true);
    }
  });

  it("applies the curve at known positions, the same gain on every channel, and multiplies overlapping fades", () => {
    const total = 1500;
    const p = fader({ inS: 1, outS: 1, curve: "sCurve" }, total);
    const x = [new Float32Array(total).fill(0.5), new Float32Array(total).fill(-1)];
    p.process(x, total);
    for (const n of [0, 100, 499, 500, 700, 999, 1200, 1499]) {
      const gin = n < 1000 ? fadeGain("sCurve", n / 1000) : 1;
      const gout = n >= 500 ? fadeGain("sCurve", (total - 1 - n) / 1000) : 1;
      expect(x[0]![n]).toBe(Math.fround(0.5 * gin * gout));
      expect(x[1]![n]).toBe(Math.fround(-gin * gout));
    }
  });

  it("uses seconds at the real sample rate", () => {
    const p = fader({ inS: 0.5, outS: 0, curve: "linear" }, 48_000, 1, 48_000);
    const g = gains(p, 48_000);
    expect(g[12_000]).toBe(0.5);
    expect(g[24_000]).toBe(1);
  });

  it("without fades it is exactly transparent; without a timeline only the fade-in applies", () => {
    const input = randomBlock(3000);
    const none = fader({ inS: 0, outS: 0, curve: "exponential" }, 3000);
    const out = input.map((c) => c.slice());
    none.process(out, 3000);
    expect(out).toEqual(input);

    const p = new FadeProcessor({ inS: 0.1, outS: 1, curve: "linear" });
    p.prepare({ sampleRate: 1000, channels: 1, maxBlockFrames: 4096 });
    const g = gains(p, 3000);
    expect(g[50]).toBe(0.5);
    expect(g.subarray(100).every((v) => v === 1)).toBe(true);
  });

  it.each(CURVES)("%s is block-size invariant", (curve) => {
    const total = 20_000;
    const make = () => fader({ inS: 1.2, outS: 3.3, curve }, total, 2, 1000);
    const { one, sizes } = blockSizeRuns(make, randomBlock(total));
    for (const s of sizes) expect(s).toEqual(sizes[0]);
    expect(one).toEqual(sizes[0]!.map((c) => c.subarray(0, 3000)));
  });

  it("reset() and setPosition() move to an absolute frame", () => {
    const total = 4000;
    const p = fader({ inS: 1, outS: 1, curve: "linear" }, total, 1);
    const whole = gains(p, total);
    p.reset();
    expect(gains(p, total)).toEqual(whole);
    p.setPosition(2500);
    expect(gains(p, 1500)).toEqual(whole.subarray(2500));
  });

  it("refuses unknown curves, bad timelines and process before prepare", () => {
    expect(() => new FadeProcessor({ inS: 0, outS: 0, curve: "cubic" as FadeCurve })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    const p = new FadeProcessor();
    expect(() => p.setTimeline({ totalFrames: 1.5 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => p.process([new Float32Array(1)], 1)).toThrow(expect.objectContaining({ code: "INVALID_STATE" }));
  });
});

describe("FadeProcessor: live edits", () => {
  /** GLIDE_SECONDS at the tests' 1 kHz. */
  const GLIDE = Math.round(GLIDE_SECONDS * 1000);
  const total = 3000;
  /** An edit made between blocks, before frame `frame` (or a seek, `run` calling setPosition). */
  type Action = { frame: number; run(p: FadeProcessor): void };

  /** The gains of `p` over `frames` frames, in blocks of at most `block`, a block ending at each action. */
  function live(p: FadeProcessor, frames: number, block: number, actions: Action[]): Float32Array {
    const x = new Float32Array(frames).fill(1);
    let next = 0;
    for (let at = 0; at < frames; ) {
      while (next < actions.length && actions[next]!.frame <= at) actions[next++]!.run(p);
      const n = Math.min(block, (actions[next]?.frame ?? frames) - at, frames - at);
      p.process([x.subarray(at, at + n)], n);
      at += n;
    }
    return x;
  }

  it("glides from the old fade's gain to the new one's at the same frame, then is exactly the new fade", () => {
    const old: FadeParams = { inS: 1, outS: 0, curve: "linear" };
    const neu: FadeParams = { inS: 0.5, outS: 0, curve: "sCurve" };
    const g = live(fader(old, total, 1), total, 128, [{ frame: 300, run: (p) => p.setParams(neu) }]);
    expect(g.subarray(0, 300)).toEqual(gains(fader(old, total, 1), 300));
    for (let k = 0; k < GLIDE; k++) {
      const n = 300 + k;
      const w = (k + 1) / GLIDE;
      expect(g[n]).toBeCloseTo((1 - w) * fadeGain("linear", n / 1000) + w * fadeGain("sCurve", n / 500), 6);
    }
    expect(g.subarray(300 + GLIDE)).toEqual(gains(fader(neu, total, 1), total).subarray(300 + GLIDE));
  });

  it("an edit before the first frame, or after reset(), applies at once", () => {
    const neu: FadeParams = { inS: 0.3, outS: 0.7, curve: "exponential" };
    const reference = gains(fader(neu, total, 1), total);
    const p = fader({ inS: 2, outS: 0, curve: "linear" }, total, 1);
    p.setParams(neu);
    expect(gains(p, total)).toEqual(reference);
    p.setParams({ inS: 1, outS: 1, curve: "sCurve" });
    gains(p, 10);
    p.reset();
    p.setParams(neu);
    expect(gains(p, total)).toEqual(reference);
  });

  it("an edit during a glide waits for it, the latest wins; settle() lands at once", () => {
    const last: FadeParams = { inS: 0, outS: 2, curve: "logarithmic" };
    const p = fader({ inS: 1, outS: 0, curve: "linear" }, total, 1);
    const g = live(p, 1000, 128, [
      { frame: 100, run: (q) => q.setParams({ inS: 2, outS: 0, curve: "linear" }) },
      { frame: 105, run: (q) => q.setParams({ inS: 0.5, outS: 0, curve: "sCurve" }) },
      { frame: 107, run: (q) => q.setParams(last) },
    ]);
    // The first glide (inS 1 s → 2 s) runs its course: at its last frame the gain is inS 2 s's.
    expect(g[100 + GLIDE - 1]).toBe(Math.fround((100 + GLIDE - 1) / 2000));
    const after = gains(fader(last, total, 1), total);
    expect(g.subarray(100 + 2 * GLIDE)).toEqual(after.subarray(100 + 2 * GLIDE, 1000));
    p.setParams({ inS: 1, outS: 0, curve: "linear" });
    p.settle();
    p.setPosition(500);
    expect(gains(p, 100)).toEqual(gains(fader({ inS: 1, outS: 0, curve: "linear" }, total, 1), 600).subarray(500));
  });

  it.each(CURVES)(
    "%s: edits at odd frames, one turned round mid-glide, and a seek, in blocks of 1, 7 and 128",
    (curve) => {
      const actions = (): Action[] => [
        { frame: 1201, run: (p) => p.setParams({ inS: 2.5, outS: 1, curve: "linear" }) },
        { frame: 1210, run: (p) => p.setPosition(2100) },
        { frame: 1213, run: (p) => p.setParams({ inS: 1.5, outS: 1.5, curve }) },
        { frame: 1250, run: (p) => p.setParams({ inS: 1.5, outS: 0.5, curve: "exponential" }) },
      ];
      const make = () => fader({ inS: 1.5, outS: 1.5, curve }, total, 1);
      const reference = live(make(), 1600, 128, actions());
      for (const block of [1, 7]) expect(live(make(), 1600, block, actions())).toEqual(reference);
    },
  );
});
