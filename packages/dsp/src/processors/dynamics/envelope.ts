/*
 * Level detectors of Giannoulis, Massberg & Reiss, "Digital Dynamic Range Compressor Design — A
 * Tutorial and Analysis", JAES 60(6), 2012. They run in the log domain, on the gain reduction
 * x_L = x_G − y_G (dB) that the gain computer produces (the paper's recommended placement: the
 * attack and release times then act on the gain in dB, independently of the signal's level).
 *
 * Eq. (7), the one-pole coefficient for time constant τ at sample rate f_s:
 *   α = exp(−1/(τ·f_s))
 * A one-pole y[n] = α·y[n−1] + (1 − α)·x[n] driven by a step reaches 1 − 1/e of the step after τ.
 *
 * Eq. (16), smooth branching peak detector:
 *   y_L[n] = α_A·y_L[n−1] + (1 − α_A)·x_L[n]   if x_L[n] > y_L[n−1]
 *   y_L[n] = α_R·y_L[n−1] + (1 − α_R)·x_L[n]   otherwise
 *
 * Eq. (17), smooth decoupled peak detector (a release stage that holds the peaks, then the attack
 * one-pole):
 *   y_1[n] = max(x_L[n], α_R·y_1[n−1] + (1 − α_R)·x_L[n])
 *   y_L[n] = α_A·y_L[n−1] + (1 − α_A)·y_1[n]
 *
 * The processors use Eq. (17): on a steady tone the instantaneous x_L drops to 0 at every zero
 * crossing, and Eq. (16) then settles ≈ 1 dB below the peak's reduction (for τ_R/τ_A ≈ 7), so the
 * static curve would not hold on sines; the release stage of Eq. (17) bridges the cycles instead
 * (ripple ≈ half a period/τ_R of the reduction). Its attack step response is exactly the one-pole
 * of Eq. (7) with τ_A; its release is the τ_R decay smoothed by τ_A, which reaches 1 − 1/e of the
 * change after τ_R·(1 + ln(τ_R/(τ_R − τ_A))) ≈ τ_R + τ_A.
 */

/** Below this (dB of gain reduction) a detector state is flushed to 0: no subnormals on silence. */
export const ENVELOPE_FLOOR_DB = 1e-9;

/** Eq. (7): α = exp(−1/(τ·f_s)), τ in milliseconds. 0 for τ = 0 (an instant response). */
export function timeConstantCoef(timeMs: number, sampleRate: number): number {
  if (!(timeMs > 0)) return 0;
  return Math.exp(-1000 / (timeMs * sampleRate));
}

/** One step of the smooth branching peak detector, Eq. (16). Pure. */
export function smoothBranchingStep(yPrev: number, xL: number, alphaA: number, alphaR: number): number {
  const a = xL > yPrev ? alphaA : alphaR;
  return a * yPrev + (1 - a) * xL;
}

/**
 * The smooth decoupled peak detector of Eq. (17), one state pair per channel (Float64, allocated at
 * construction or `resize`). `step` advances one channel by one sample and returns y_L (dB ≥ 0);
 * `run` does the same over a buffer in place.
 */
export class DecoupledPeakDetector {
  alphaA = 0;
  alphaR = 0;
  /** [y_1, y_L] per channel. */
  private state: Float64Array;

  constructor(channels = 1) {
    this.state = new Float64Array(2 * channels);
  }

  resize(channels: number): void {
    if (this.state.length !== 2 * channels) this.state = new Float64Array(2 * channels);
    this.reset();
  }

  setTimes(attackMs: number, releaseMs: number, sampleRate: number): void {
    this.alphaA = timeConstantCoef(attackMs, sampleRate);
    this.alphaR = timeConstantCoef(releaseMs, sampleRate);
  }

  step(ch: number, xL: number): number {
    const st = this.state;
    const i = 2 * ch;
    const aR = this.alphaR;
    const aA = this.alphaA;
    const decayed = aR * st[i]! + (1 - aR) * xL;
    let y1 = Math.max(xL, decayed);
    let yL = aA * st[i + 1]! + (1 - aA) * y1;
    if (y1 < ENVELOPE_FLOOR_DB) y1 = 0;
    if (yL < ENVELOPE_FLOOR_DB) yL = 0;
    st[i] = y1;
    st[i + 1] = yL;
    return yL;
  }

  /** Runs `step` over buf[0 … frames) of channel `ch` in place (x_L in, y_L out), state in locals. */
  run(ch: number, buf: Float64Array, frames: number): void {
    const st = this.state;
    const i0 = 2 * ch;
    const aR = this.alphaR;
    const aA = this.alphaA;
    let y1 = st[i0]!;
    let yL = st[i0 + 1]!;
    for (let i = 0; i < frames; i++) {
      const xL = buf[i]!;
      const decayed = aR * y1 + (1 - aR) * xL;
      y1 = Math.max(xL, decayed);
      yL = aA * yL + (1 - aA) * y1;
      if (y1 < ENVELOPE_FLOOR_DB) y1 = 0;
      if (yL < ENVELOPE_FLOOR_DB) yL = 0;
      buf[i] = yL;
    }
    st[i0] = y1;
    st[i0 + 1] = yL;
  }

  /** State `k` (0: y_1, 1: y_L) of channel `ch`, for processors that inline `run` in their own loop. */
  getState(ch: number, k: 0 | 1): number {
    return this.state[2 * ch + k]!;
  }

  /** Sets the state [y_1, y_L] of channel `ch` (after an inlined `run`). */
  setState(ch: number, y1: number, yL: number): void {
    this.state[2 * ch] = y1;
    this.state[2 * ch + 1] = yL;
  }

  /** The current y_L of a channel (dB of gain reduction). */
  value(ch: number): number {
    return this.state[2 * ch + 1]!;
  }

  reset(): void {
    this.state.fill(0);
  }
}
