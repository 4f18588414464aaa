/**
 * The EQ curve's geometry, free of React and the DOM: frequency ↔ x on a log axis (20 Hz–20 kHz),
 * gain ↔ y (±18 dB, the bands' gain range), the points of the response path, and where a dragged band
 * node lands (clamped, rounded as its knobs round).
 */
import { type NumberParamSpec, paramSpec } from "@comaster/chain";
import { FINE_FACTOR, nudge, roundToStep, wheelFraction } from "./knobMath";

export const CURVE_WIDTH = 520;
export const CURVE_HEIGHT = 140;
export const MIN_HZ = 20;
export const MAX_HZ = 20_000;
/** The dB the axis spans each way: the bands' gain range. */
export const RANGE_DB = 18;
/** The sample rate the curve is drawn at while no mix is there (the mix's rate changes it only near 20 kHz). */
export const CURVE_SAMPLE_RATE = 48_000;

/**
 * The rate to draw the curve at: the mix's (its render runs at it, and near 20 kHz a band's response
 * depends on it), unless it has no 20 kHz to draw (under 40 kHz, or no mix yet): then CURVE_SAMPLE_RATE.
 */
export function curveSampleRate(mixRate: number | null): number {
  return mixRate !== null && Number.isFinite(mixRate) && mixRate >= 2 * MAX_HZ ? mixRate : CURVE_SAMPLE_RATE;
}

const FREQ = paramSpec("eq", "b1Freq") as NumberParamSpec;
const GAIN = paramSpec("eq", "b1Gain") as NumberParamSpec;
const Q = paramSpec("eq", "b1Q") as NumberParamSpec;
const LOG_SPAN = Math.log(MAX_HZ / MIN_HZ);

export function freqToX(hz: number): number {
  return (Math.log(hz / MIN_HZ) / LOG_SPAN) * CURVE_WIDTH;
}

export function xToFreq(x: number): number {
  return MIN_HZ * Math.exp((x / CURVE_WIDTH) * LOG_SPAN);
}

/** y of a gain; values past the axis are drawn at its edge. */
export function dbToY(db: number): number {
  const clamped = Math.max(-RANGE_DB, Math.min(RANGE_DB, db));
  return ((RANGE_DB - clamped) / (2 * RANGE_DB)) * CURVE_HEIGHT;
}

export function yToDb(y: number): number {
  return RANGE_DB - (y / CURVE_HEIGHT) * 2 * RANGE_DB;
}

/** `count` frequencies spread evenly over the log axis, 20 Hz and 20 kHz included. */
export function curveFrequencies(count: number): number[] {
  return Array.from({ length: count }, (_, i) => xToFreq((i / (count - 1)) * CURVE_WIDTH));
}

/** An SVG path through (frequency, dB) points. */
export function curvePath(frequencies: readonly number[], db: ArrayLike<number>): string {
  return frequencies
    .map((f, i) => `${i === 0 ? "M" : "L"}${freqToX(f).toFixed(1)},${dbToY(db[i]!).toFixed(1)}`)
    .join("");
}

/** Where a band node dropped at (x, y) of the curve puts the band: clamped, rounded as its knobs are. */
export function nodeValues(x: number, y: number): { freq: number; gainDb: number } {
  return {
    freq: roundToStep(Math.max(FREQ.min, Math.min(FREQ.max, xToFreq(x))), FREQ),
    gainDb: roundToStep(Math.max(GAIN.min, Math.min(GAIN.max, yToDb(y))), GAIN),
  };
}

/**
 * Where a node lands when the pointer has moved (dx, dy) curve units since it grabbed the node at
 * (x0, y0): it moves with the pointer (no jump to where it was grabbed), ten times slower with Shift,
 * as the knobs do.
 */
export function dragNode(x0: number, y0: number, dx: number, dy: number, fine: boolean) {
  const k = fine ? FINE_FACTOR : 1;
  return nodeValues(x0 + dx * k, y0 + dy * k);
}

/** A band's Q after a wheel notch over its node (up narrows, as on the Q knob), within its range. */
export function wheelQ(q: number, deltaY: number, fine: boolean): number {
  return nudge(q, Q, wheelFraction(deltaY, fine));
}
