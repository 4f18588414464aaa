/**
 * The arithmetic of the desk's rotary knobs, kept free of React and the DOM so it tests in Node:
 * value ↔ knob position (linear or logarithmic travel), step rounding, fine adjustment, clamping,
 * and parsing what a person types into a parameter's numeric entry.
 */
import { formatNumber, formatParamValue, formatRange, type NumberParamSpec, type Scale } from "@comaster/chain";

/** What the knob maths needs of a numeric parameter (a `NumberParamSpec` fits). */
export interface KnobRange {
  readonly min: number;
  readonly max: number;
  readonly unit: NumberParamSpec["unit"];
  readonly scale?: Scale;
  readonly step?: number;
}

/** Shift while dragging, scrolling or pressing arrow keys moves the knob ten times slower. */
export const FINE_FACTOR = 0.1;
/** Vertical pointer travel (CSS px) that sweeps the whole range at normal speed. */
export const DRAG_PIXELS = 200;
/** One arrow key press moves this fraction of the travel (PageUp/PageDown ten times as much). */
export const KEY_FRACTION = 0.01;
/** One wheel notch (≈100 px of `deltaY` in pixel mode) moves this fraction of the travel. */
export const WHEEL_FRACTION = 0.02;
/** Significant digits kept for parameters without a `step` (log-scaled times and frequencies). */
export const SIGNIFICANT_DIGITS = 3;

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * How the knob maps travel to value: the spec's scale when it has one, else logarithmic for a
 * frequency. Log travel needs `min > 0`; a range that starts at 0 (e.g. "mono below (0 = off)")
 * falls back to linear.
 */
export function knobScale(range: KnobRange): Scale {
  const wanted = range.scale ?? (range.unit === "Hz" ? "log" : "linear");
  return wanted === "log" && range.min > 0 ? "log" : "linear";
}

/** Knob position in [0, 1] of `value` (clamped to the range). */
export function valueToPosition(value: number, range: KnobRange): number {
  const { min, max } = range;
  if (!(max > min)) return 0;
  const v = clamp(value, min, max);
  const pos = knobScale(range) === "log" ? Math.log(v / min) / Math.log(max / min) : (v - min) / (max - min);
  return clamp(pos, 0, 1);
}

/** Value at knob position `position` (clamped to [0, 1]), not yet rounded to a step. */
export function positionToValue(position: number, range: KnobRange): number {
  const { min, max } = range;
  const p = clamp(position, 0, 1);
  const v = knobScale(range) === "log" ? min * (max / min) ** p : min + p * (max - min);
  return clamp(v, min, max);
}

/** Decimal places of a step such as `0.1` (1) or `0.01` (2). */
function decimalsOf(step: number): number {
  const text = String(step);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** `value` rounded to `digits` significant digits (`1234.5` → `1230`, `0.12345` → `0.123`). */
export function roundSignificant(value: number, digits = SIGNIFICANT_DIGITS): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/**
 * `value` as the knob stores it: a multiple of the spec's `step` (from 0, without binary noise
 * such as 0.30000000000000004), else 3 significant digits; always within [min, max].
 */
export function roundToStep(value: number, range: KnobRange): number {
  const { min, max, step } = range;
  let v: number;
  if (step !== undefined && step > 0) {
    v = Number((Math.round(value / step) * step).toFixed(decimalsOf(step)));
  } else {
    v = roundSignificant(value);
  }
  v = clamp(v, min, max);
  return v === 0 ? 0 : v; // no −0
}

/** The smallest change a step allows (`step`, else a thousandth of the range). */
function smallestChange(range: KnobRange): number {
  return range.step ?? (range.max - range.min) / 1000;
}

/**
 * The value after moving the knob by `fraction` of its travel from `value` (negative: down),
 * rounded to the step. A move always changes the value by at least one step when the range allows,
 * so a fine key press never gets stuck on rounding.
 */
export function nudge(value: number, range: KnobRange, fraction: number): number {
  if (fraction === 0) return roundToStep(value, range);
  const target = roundToStep(positionToValue(valueToPosition(value, range) + fraction, range), range);
  if (target !== roundToStep(value, range)) return target;
  const sign = Math.sign(fraction);
  const step = smallestChange(range);
  return roundToStep(clamp(value + sign * step, range.min, range.max), range);
}

/** Fraction of travel for one arrow key press (`fine`: Shift held; `large`: PageUp/PageDown). */
export function keyFraction(fine: boolean, large = false): number {
  return KEY_FRACTION * (fine ? FINE_FACTOR : 1) * (large ? 10 : 1);
}

/** Fraction of travel for a wheel event: scrolling up (negative `deltaY`) turns the knob up. */
export function wheelFraction(deltaY: number, fine: boolean): number {
  if (deltaY === 0) return 0;
  const notches = clamp(Math.abs(deltaY) / 100, 0.25, 3);
  return -Math.sign(deltaY) * notches * WHEEL_FRACTION * (fine ? FINE_FACTOR : 1);
}

/** Knob position after dragging the pointer `dy` CSS px down (negative: up) from `position`. */
export function dragPosition(position: number, dy: number, fine: boolean): number {
  return clamp(position - (dy / DRAG_PIXELS) * (fine ? FINE_FACTOR : 1), 0, 1);
}

/** A value as the desk shows it: rounded like the knob rounds it, with its unit (`−1 dBTP`). */
export function displayValue(spec: NumberParamSpec, value: number): string {
  return formatParamValue(spec, roundToStep(value, spec));
}

/** The number typed into the numeric entry to start from: rounded, with a real minus sign. */
export function entryText(spec: NumberParamSpec, value: number): string {
  return formatNumber(roundToStep(value, spec));
}

/** Result of parsing a typed value. */
export type ParseResult = { ok: true; value: number } | { ok: false; error: string };

/** Unit spellings accepted after a typed number, per unit (case-insensitive; the unit is optional). */
const UNIT_SUFFIXES: Record<NumberParamSpec["unit"], readonly string[]> = {
  dB: ["db"],
  dBTP: ["dbtp", "db"],
  LUFS: ["lufs", "lu"],
  Hz: ["khz", "hz", "k"],
  ms: ["ms"],
  s: ["sec", "s"],
  "%": ["%", "pct"],
  ratio: [":1"],
  x: ["x", "\u00d7"],
  "": [],
};

/**
 * Parses what a person typed for `spec`: accepts the typographic minus (−) and other dashes,
 * a decimal comma, an optional unit after the number (`-1 dBTP`, `4:1`, `30 %`), and for
 * frequencies a `k` / `kHz` suffix (`2.5k` → 2500). Refuses anything else, and values outside the
 * range with a message that names the range. The value is rounded to the parameter's step.
 */
export function parseEntry(text: string, spec: NumberParamSpec): ParseResult {
  let s = text
    .trim()
    .replace(/[\u2212\u2012\u2013\u2014\ufe63\uff0d]/g, "-")
    .replace(/^\+/, "")
    .toLowerCase();
  let factor = 1;
  for (const suffix of UNIT_SUFFIXES[spec.unit]) {
    if (s.endsWith(suffix) && s.length > suffix.length) {
      s = s.slice(0, -suffix.length).trimEnd();
      if (spec.unit === "Hz" && suffix !== "hz") factor = 1000;
      break;
    }
  }
  if (!s.includes(".") && /^-?\d+,\d+$/.test(s)) s = s.replace(",", ".");
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s)) {
    return { ok: false, error: `\u201c${text.trim()}\u201d is not a number; ${spec.label} takes ${formatRange(spec)}` };
  }
  const value = Number(s) * factor;
  if (!Number.isFinite(value)) return { ok: false, error: `${spec.label} takes ${formatRange(spec)}` };
  if (value < spec.min || value > spec.max) {
    return {
      ok: false,
      error: `${formatParamValue(spec, value)} is outside the range of ${spec.label}: ${formatRange(spec)}`,
    };
  }
  return { ok: true, value: roundToStep(value, spec) };
}

/** The tooltip text of a numeric parameter: its range and default. */
export function rangeHint(spec: NumberParamSpec): string {
  return `${formatRange(spec)} \u00b7 default ${formatParamValue(spec, spec.default)}`;
}
