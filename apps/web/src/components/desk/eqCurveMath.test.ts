import { describe, expect, it } from "vitest";
import {
  CURVE_HEIGHT,
  CURVE_SAMPLE_RATE,
  CURVE_WIDTH,
  curveFrequencies,
  curvePath,
  curveSampleRate,
  dbToY,
  dragNode,
  freqToX,
  nodeValues,
  wheelQ,
  xToFreq,
  yToDb,
} from "./eqCurveMath";

describe("EQ curve geometry", () => {
  it("maps 20 Hz–20 kHz onto the width on a log axis, and back", () => {
    expect(freqToX(20)).toBeCloseTo(0, 9);
    expect(freqToX(20_000)).toBeCloseTo(CURVE_WIDTH, 9);
    expect(freqToX(632.455)).toBeCloseTo(CURVE_WIDTH / 2, 2); // the geometric middle
    for (const f of [20, 150, 1000, 12_345]) expect(xToFreq(freqToX(f))).toBeCloseTo(f, 6);
  });

  it("maps ±18 dB onto the height, 0 dB in the middle, clamping what lies beyond", () => {
    expect(dbToY(18)).toBe(0);
    expect(dbToY(0)).toBe(CURVE_HEIGHT / 2);
    expect(dbToY(-18)).toBe(CURVE_HEIGHT);
    expect(dbToY(-40)).toBe(CURVE_HEIGHT);
    expect(yToDb(dbToY(6.5))).toBeCloseTo(6.5, 9);
  });

  it("spreads the curve's points over the log axis and draws them", () => {
    const f = curveFrequencies(5);
    expect(f[0]).toBeCloseTo(20, 9);
    expect(f[4]).toBeCloseTo(20_000, 6);
    expect(f[2]).toBeCloseTo(632.455, 2);
    expect(curvePath([20, 20_000], [0, 18])).toBe(
      `M0.0,${(CURVE_HEIGHT / 2).toFixed(1)}L${CURVE_WIDTH.toFixed(1)},0.0`,
    );
  });

  it("a dropped node lands inside the band's ranges, rounded as its knobs are", () => {
    expect(nodeValues(freqToX(1234.567), dbToY(3.149))).toEqual({ freq: 1230, gainDb: 3.1 });
    expect(nodeValues(-50, -10)).toEqual({ freq: 20, gainDb: 18 });
    expect(nodeValues(CURVE_WIDTH + 50, CURVE_HEIGHT + 10)).toEqual({ freq: 20_000, gainDb: -18 });
  });

  it("a dragged node moves with the pointer from where it was, ten times slower with Shift", () => {
    const x0 = freqToX(1000);
    const y0 = dbToY(0);
    expect(dragNode(x0, y0, 0, 0, false)).toEqual({ freq: 1000, gainDb: 0 });
    const up = dbToY(6) - y0; // the pointer's travel for +6 dB
    expect(dragNode(x0, y0, 0, up, false).gainDb).toBeCloseTo(6, 5);
    expect(dragNode(x0, y0, 0, up, true).gainDb).toBeCloseTo(0.6, 5);
    const octave = freqToX(2000) - x0;
    expect(dragNode(x0, y0, octave, 0, false).freq).toBe(2000);
    expect(dragNode(x0, y0, octave, 0, true).freq).toBe(1070); // 2^0.1 × 1000, three digits
  });

  it("the wheel over a node steps its Q within 0.1…10, finer with Shift", () => {
    const up = wheelQ(1, -100, false);
    expect(up).toBeGreaterThan(1);
    expect(wheelQ(1, 100, false)).toBeLessThan(1);
    expect(Math.abs(wheelQ(1, -100, true) - 1)).toBeLessThan(Math.abs(up - 1));
    expect(wheelQ(10, -100, false)).toBe(10);
    expect(wheelQ(0.1, 100, false)).toBe(0.1);
  });

  it("draws at the mix's rate when it reaches 20 kHz, else at the default rate", () => {
    expect(curveSampleRate(44_100)).toBe(44_100);
    expect(curveSampleRate(96_000)).toBe(96_000);
    expect(curveSampleRate(32_000)).toBe(CURVE_SAMPLE_RATE); // no 20 kHz to draw
    expect(curveSampleRate(null)).toBe(CURVE_SAMPLE_RATE);
    expect(curveSampleRate(Number.NaN)).toBe(CURVE_SAMPLE_RATE);
  });
});
