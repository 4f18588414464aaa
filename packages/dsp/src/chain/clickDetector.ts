import { prng } from "../signals";

/*
 * Test support (exported only from @comaster/dsp/testing, src/testing.ts): a click detector for live
 * changes (parameter edits, bypass toggles).
 *
 * A click is a broadband transient: a step or a kink in the waveform. The residual is the third
 * difference r[n] = x[n] − 3·x[n−1] + 3·x[n−2] − x[n−3], a high-pass of gain (2·sin(πf/fs))³:
 * −54 dB at 1 kHz, +6 dB at 20 kHz at 48 kHz. A step of height Δ leaves a residual peak of 2·Δ; a
 * steady programme of a 1 kHz tone and a little noise leaves a residual set by the noise. The score
 * of a change is the residual's peak in a window that starts at the change, over the larger of the
 * peaks in windows of the same length just before it and just after it: about 1 for a change that
 * leaves no trace (the peak of a window of noise varies by some ±10 % between windows), and well
 * above 2 for an unsmoothed step of one decibel on the test programme (clickDetector.test.ts).
 */

/** Frames before the change that the change window also covers (the residual looks 3 frames back). */
export const CLICK_GUARD_FRAMES = 8;

/** Scores at or above this count as a click: the residual peak is 6 dB above the steady windows'. */
export const CLICK_THRESHOLD = 2;

/** Peak |third difference| over frames [from, to) of every channel (from ≥ 3); Infinity for NaN or ±∞. */
export function residualPeak(x: readonly ArrayLike<number>[], from: number, to: number): number {
  let peak = 0;
  for (const c of x) {
    for (let n = Math.max(3, from); n < to; n++) {
      const r = Math.abs(c[n]! - 3 * c[n - 1]! + 3 * c[n - 2]! - c[n - 3]!);
      if (!Number.isFinite(r)) return Number.POSITIVE_INFINITY;
      if (r > peak) peak = r;
    }
  }
  return peak;
}

export interface ClickMeasure {
  /** change / max(before, after). */
  readonly score: number;
  /** Residual peak of the window that starts CLICK_GUARD_FRAMES before the change. */
  readonly change: number;
  readonly before: number;
  readonly after: number;
}

/**
 * Scores the change at `changeFrame`: three adjacent windows of `span` frames (before, change,
 * after), the change window starting CLICK_GUARD_FRAMES before it. `x` must hold at least
 * changeFrame − CLICK_GUARD_FRAMES + 2·span frames, and changeFrame ≥ span + CLICK_GUARD_FRAMES + 3.
 */
export function measureClick(x: readonly ArrayLike<number>[], changeFrame: number, span: number): ClickMeasure {
  const start = changeFrame - CLICK_GUARD_FRAMES;
  const before = residualPeak(x, start - span, start);
  const change = residualPeak(x, start, start + span);
  const after = residualPeak(x, start + span, start + 2 * span);
  return { score: change / Math.max(before, after, 1e-12), change, before, after };
}

/**
 * `before` up to frame `at`, `after` from it: the same change as a hard switch, with nothing
 * smoothed — the reference that shows a change is audible (it must click).
 */
export function hardSwitch(
  before: readonly Float32Array[],
  after: readonly Float32Array[],
  at: number,
): Float32Array[] {
  return before.map((c, ch) => {
    const y = c.slice();
    y.set(after[ch]!.subarray(at), at);
    return y;
  });
}

export interface ClickProgrammeOptions {
  sampleRate: number;
  frames: number;
  /** Peak level of the tone, dBFS. Default −12. */
  toneDb?: number;
  /** Frequency of the tone. Default CLICK_TONE_HZ. */
  toneHz?: number;
  /** RMS level of the noise, dBFS. Default −66. */
  noiseDb?: number;
  seed?: number;
}

/** Frequency of the programme's tone: near 1 kHz, and no whole number of periods per block. */
export const CLICK_TONE_HZ = 997;

/**
 * The steady test programme, stereo: a tone, 997 Hz by default (the right channel a quarter period
 * behind the left, so there is as much side as mid and a step always meets one channel away from a
 * zero crossing) plus independent uniform noise per channel.
 */
export function clickProgramme(o: ClickProgrammeOptions): Float32Array[] {
  const a = 10 ** ((o.toneDb ?? -12) / 20);
  const h = 10 ** ((o.noiseDb ?? -66) / 20) * Math.sqrt(3);
  const rand = prng(o.seed ?? 7);
  const w = (2 * Math.PI * (o.toneHz ?? CLICK_TONE_HZ)) / o.sampleRate;
  return [0, -Math.PI / 2].map((phase) => {
    const x = new Float32Array(o.frames);
    for (let i = 0; i < o.frames; i++) x[i] = a * Math.sin(w * i + phase) + (2 * rand() - 1) * h;
    return x;
  });
}
