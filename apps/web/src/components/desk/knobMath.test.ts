import { type NumberParamSpec, paramSpec } from "@comaster/chain";
import { describe, expect, it } from "vitest";
import {
  clamp,
  DRAG_PIXELS,
  displayValue,
  dragPosition,
  entryText,
  FINE_FACTOR,
  keyFraction,
  knobScale,
  nudge,
  parseEntry,
  positionToValue,
  rangeHint,
  roundSignificant,
  roundToStep,
  valueToPosition,
  wheelFraction,
} from "./knobMath";

const num = (s: ReturnType<typeof paramSpec>) => s as NumberParamSpec;
const ceiling = num(paramSpec("limiter", "ceilingDbtp")); // −12…0 dBTP, step 0.1
const eqFreq = num(paramSpec("eq", "b3Freq")); // 20…20 000 Hz, log
const gain = num(paramSpec("trim", "gainDb")); // −24…24 dB, step 0.1
const ratio = num(paramSpec("compressor", "ratio")); // 1…20:1, log, step 0.1
const monoBelow = num(paramSpec("imager", "monoBelowHz")); // 0…300 Hz, linear, step 1
const attack = num(paramSpec("compressor", "attackMs")); // 0.1…200 ms, log, no step

describe("knobScale", () => {
  it("uses the spec's scale, and log for frequencies without one", () => {
    expect(knobScale(eqFreq)).toBe("log");
    expect(knobScale(gain)).toBe("linear");
    expect(knobScale({ min: 20, max: 500, unit: "Hz" })).toBe("log");
    expect(knobScale({ min: 1, max: 5, unit: "dB" })).toBe("linear");
  });
  it("falls back to linear when the range starts at 0 (log needs min > 0)", () => {
    expect(knobScale(monoBelow)).toBe("linear");
    expect(knobScale({ min: 0, max: 300, unit: "Hz" })).toBe("linear");
    expect(knobScale({ min: 0, max: 300, unit: "Hz", scale: "log" })).toBe("linear");
  });
});

describe("value ↔ position", () => {
  it("is linear for linear parameters", () => {
    expect(valueToPosition(0, gain)).toBeCloseTo(0.5, 12);
    expect(valueToPosition(-24, gain)).toBe(0);
    expect(valueToPosition(24, gain)).toBe(1);
    expect(positionToValue(0.25, gain)).toBeCloseTo(-12, 12);
  });
  it("gives equal travel to equal frequency ratios on a log knob", () => {
    // 20 Hz…20 kHz is three decades: 200 Hz and 2 kHz sit at one and two thirds of the travel.
    expect(valueToPosition(200, eqFreq)).toBeCloseTo(1 / 3, 12);
    expect(valueToPosition(2000, eqFreq)).toBeCloseTo(2 / 3, 12);
    expect(positionToValue(0.5, eqFreq)).toBeCloseTo(Math.sqrt(20 * 20_000), 9);
  });
  it("round-trips inside the range and clamps outside it", () => {
    for (const spec of [gain, eqFreq, ratio, attack, ceiling]) {
      for (const p of [0, 0.1, 0.37, 0.5, 0.99, 1]) {
        expect(valueToPosition(positionToValue(p, spec), spec)).toBeCloseTo(p, 9);
      }
    }
    expect(valueToPosition(99_999, eqFreq)).toBe(1);
    expect(valueToPosition(-5, eqFreq)).toBe(0);
    expect(positionToValue(1.5, gain)).toBe(24);
    expect(positionToValue(-1, gain)).toBe(-24);
  });
  it("survives a degenerate range", () => {
    expect(valueToPosition(3, { min: 3, max: 3, unit: "" })).toBe(0);
  });
});

describe("roundToStep", () => {
  it("rounds to the step without binary noise", () => {
    expect(roundToStep(0.1 + 0.2, gain)).toBe(0.3);
    expect(roundToStep(-1.04999, ceiling)).toBe(-1);
    expect(roundToStep(-1.06, ceiling)).toBe(-1.1);
    expect(roundToStep(1.23456, num(paramSpec("eq", "b1Q")))).toBe(1.23);
  });
  it("keeps 3 significant digits when there is no step", () => {
    expect(roundToStep(1234.567, eqFreq)).toBe(1230);
    expect(roundToStep(0.123456, attack)).toBe(0.123);
    expect(roundSignificant(0)).toBe(0);
  });
  it("clamps and never returns −0", () => {
    expect(roundToStep(0.04, ceiling)).toBe(0);
    expect(Object.is(roundToStep(-0.04, ceiling), 0)).toBe(true);
    expect(roundToStep(30, gain)).toBe(24);
    expect(roundToStep(10, eqFreq)).toBe(20);
  });
});

describe("fine adjustment, keys, wheel, drag", () => {
  it("a key press moves 1 % of the travel, Shift 0.1 %, PageUp 10 %", () => {
    expect(keyFraction(false)).toBeCloseTo(0.01, 12);
    expect(keyFraction(true)).toBeCloseTo(0.001, 12);
    expect(keyFraction(false, true)).toBeCloseTo(0.1, 12);
    expect(nudge(0, gain, keyFraction(false))).toBe(0.5);
    expect(nudge(0, gain, -keyFraction(false))).toBe(-0.5);
  });
  it("a fine nudge always moves at least one step", () => {
    // 0.1 % of 48 dB is 0.048 dB, less than the 0.1 dB step: it still moves by one step.
    expect(nudge(0, gain, keyFraction(true))).toBe(0.1);
    expect(nudge(0, gain, -keyFraction(true))).toBe(-0.1);
    expect(nudge(24, gain, keyFraction(true))).toBe(24);
  });
  it("moves a log knob by a ratio", () => {
    const up = nudge(1000, eqFreq, 0.1); // a tenth of three decades: ×10^0.3 ≈ ×2
    expect(up).toBe(roundToStep(1000 * 10 ** 0.3, eqFreq));
  });
  it("drags a full range over DRAG_PIXELS, ten times slower with Shift", () => {
    expect(dragPosition(0, -DRAG_PIXELS, false)).toBe(1);
    expect(dragPosition(0.5, DRAG_PIXELS / 2, false)).toBeCloseTo(0, 12);
    expect(dragPosition(0.5, -DRAG_PIXELS, true)).toBeCloseTo(0.5 + FINE_FACTOR, 12);
    expect(dragPosition(0.9, -DRAG_PIXELS, false)).toBe(1);
  });
  it("turns up when the wheel scrolls up", () => {
    expect(wheelFraction(-100, false)).toBeGreaterThan(0);
    expect(wheelFraction(100, false)).toBeLessThan(0);
    expect(wheelFraction(0, false)).toBe(0);
    expect(Math.abs(wheelFraction(100, true))).toBeCloseTo(Math.abs(wheelFraction(100, false)) * FINE_FACTOR, 12);
  });
  it("clamp", () => {
    expect(clamp(5, 0, 1)).toBe(1);
    expect(clamp(-5, 0, 1)).toBe(0);
  });
});

describe("parseEntry", () => {
  it("accepts the typographic minus and other dashes", () => {
    expect(parseEntry("\u22121", ceiling)).toEqual({ ok: true, value: -1 });
    expect(parseEntry("\u20133.5", ceiling)).toEqual({ ok: true, value: -3.5 });
    expect(parseEntry(" -0.3 ", ceiling)).toEqual({ ok: true, value: -0.3 });
  });
  it("accepts a unit after the number", () => {
    expect(parseEntry("-1 dBTP", ceiling)).toEqual({ ok: true, value: -1 });
    expect(parseEntry("-1dB", ceiling)).toEqual({ ok: true, value: -1 });
    expect(parseEntry("4:1", ratio)).toEqual({ ok: true, value: 4 });
    expect(parseEntry("250 Hz", eqFreq)).toEqual({ ok: true, value: 250 });
    expect(parseEntry("12 ms", attack)).toEqual({ ok: true, value: 12 });
  });
  it("reads k and kHz as thousands for frequencies", () => {
    expect(parseEntry("2.5k", eqFreq)).toEqual({ ok: true, value: 2500 });
    expect(parseEntry("2.5 kHz", eqFreq)).toEqual({ ok: true, value: 2500 });
    expect(parseEntry("12K", eqFreq)).toEqual({ ok: true, value: 12_000 });
    expect(parseEntry("2k", gain).ok).toBe(false); // not a frequency
  });
  it("accepts a decimal comma", () => {
    expect(parseEntry("-0,5", ceiling)).toEqual({ ok: true, value: -0.5 });
  });
  it("rounds to the step", () => {
    expect(parseEntry("-1.04", ceiling)).toEqual({ ok: true, value: -1 });
  });
  it("refuses values outside the range, naming the range", () => {
    const r = parseEntry("3", ceiling);
    expect(r).toEqual({ ok: false, error: "3 dBTP is outside the range of Ceiling: \u221212\u20260 dBTP" });
    expect(parseEntry("30k", eqFreq)).toMatchObject({ ok: false, error: expect.stringContaining("20\u202620000 Hz") });
  });
  it("refuses what is not a number", () => {
    for (const text of ["", "abc", "1..2", "--1", "1 2", "k", "Infinity", "NaN", "0x10"]) {
      const r = parseEntry(text, gain);
      expect(r.ok, text).toBe(false);
    }
  });
});

describe("display", () => {
  it("shows the rounded value with its unit and a real minus", () => {
    expect(displayValue(ceiling, -1.0000001)).toBe("\u22121 dBTP");
    expect(displayValue(ratio, 4)).toBe("4:1");
    expect(displayValue(eqFreq, 1234.5)).toBe("1230 Hz");
    expect(entryText(ceiling, -0.30000000004)).toBe("\u22120.3");
  });
  it("describes range and default for the tooltip", () => {
    expect(rangeHint(ceiling)).toBe("\u221212\u20260 dBTP \u00b7 default \u22121 dBTP");
  });
});
