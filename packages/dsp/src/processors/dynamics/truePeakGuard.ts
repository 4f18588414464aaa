import { nextPow2 } from "./lookaheadGain";
import { intervalPeak, PEAK_LEFT, PEAK_SKIP_GAIN } from "./oversampledPeak";

/** Frames the guard holds back: its latency. */
export const GUARD_FRAMES = 96;
/** The guard checks the interval this many samples behind its newest input (room for the taper). */
export const GUARD_CHECK_DELAY = 16;
/** Half-width of the cosine taper on each side of a correction's flat part. */
const TAPER = 8;
/** Corrections allowed per sample and channel before the guard gives up on a cascade (counted). */
const MAX_FIXES = 64;

/**
 * Final stage of the limiter: an exact check of the output against the ceiling, with hard gain
 * correction. Every sample interval of the would-be output is measured with the same 4× interpolator
 * as the meter (`intervalPeak`); if one exceeds `limit`, the 16 samples that interval depends on
 * are scaled by limit/peak, with a cosine taper of TAPER samples on each side (a short, smooth gain
 * dip rather than a step, so the correction does not itself create new inter-sample peaks).
 * Because scaling a window changes its neighbours' interpolated values, the intervals a correction
 * touched are re-checked (backwards) before any of their samples is released; corrections cascade
 * within the GUARD_FRAMES held back (the taper is cut short at the oldest one). An interval over the
 * limit whose window reaches samples already released is counted in `unverified` (never observed in
 * the tests, even with the guard alone on full-scale noise).
 *
 * Skipping the exact check (it is half the limiter's cost). An interval is skipped when no sample of
 * its window exceeds limit/Σ|c|, or — when the caller passes the gain-path facts with `push` — by
 * this bound: with z_t = s_t·x_t, the gain path's promise s_t·|x_t| ≤ target for every sample, q_k ≥
 * the input's oversampled peak at k and W = Σ|s_t − s_(t−1)| over the window (total variation),
 *   |Σ c_t·s_t·x_t| ≤ s_k·|Σ c_t·x_t| + Σ |c_t|·|s_t − s_k|·|x_t| ≤ s_k·q_k + Σ|c|·target·W/(s_k − W).
 * The bound is not used over samples a correction touched, nor for the frames the caller names in
 * `distrust` (after its promise changed). Rounding of the running sum W is covered by an epsilon.
 *
 * After true-peak checking is switched on, `recheck` applies it to every sample still held back.
 *
 * In sample-peak mode only |sample| ≤ limit is enforced (same correction shape).
 */
export class TruePeakGuard {
  private readonly cap: number;
  private readonly mask: number;
  /** Per channel, each sample stored twice (at p and p + cap) so any window reads contiguously. */
  private rings: Float64Array[] = [];
  /** Per channel: the gain-path gain s of each sample, and its running total variation. */
  private gains: Float64Array[] = [];
  private variation: Float64Array[] = [];
  private lastLoud: Float64Array = new Float64Array(0);
  /** Per channel: the newest sample index a correction touched. */
  private corrected: Float64Array = new Float64Array(0);
  private trustFrom = 0;
  private time = 0;
  private limit = 1;
  /** The limit that decides which samples count as loud (≤ every limit still to be checked). */
  private loudLimit = 1;
  /** Σ|c|·target of the skip bound. */
  private modulationGain = Number.POSITIVE_INFINITY;
  private loudLevel = 1;
  private truePeak = true;
  /** Gains of the taper: 1 − (1 − r)·taper[d] for d = 1 … TAPER samples beyond the flat part. */
  private readonly taper = new Float64Array(TAPER + 1);
  /** Number of corrections made (for diagnostics and tests). */
  corrections = 0;
  /** Corrections whose effect could not be re-checked (should stay 0). */
  unverified = 0;
  /** Exact checks made (diagnostics: how often the bounds could not skip). */
  checks = 0;

  constructor() {
    this.cap = nextPow2(GUARD_FRAMES + GUARD_CHECK_DELAY + TAPER + 16);
    this.mask = this.cap - 1;
    for (let d = 1; d <= TAPER; d++) this.taper[d] = 0.5 * (1 + Math.cos((Math.PI * d) / (TAPER + 1)));
  }

  prepare(channels: number): void {
    this.rings = Array.from({ length: channels }, () => new Float64Array(2 * this.cap));
    this.gains = Array.from({ length: channels }, () => new Float64Array(this.cap));
    this.variation = Array.from({ length: channels }, () => new Float64Array(this.cap));
    this.lastLoud = new Float64Array(channels);
    this.corrected = new Float64Array(channels);
    this.reset();
  }

  /** `limit`: the output's largest allowed |value|; `target`: the gain path's promise (see above). */
  setLimit(limit: number, truePeak: boolean, target = Infinity): void {
    this.limit = limit;
    this.loudLimit = limit;
    this.modulationGain = PEAK_SKIP_GAIN * target;
    this.truePeak = truePeak;
    this.loudLevel = truePeak ? limit / PEAK_SKIP_GAIN : limit;
  }

  /**
   * The limit for the interval checked by the next `push` only (a limit that glides, limiter.ts). The
   * caller keeps it ≥ the loud limit (`lowerLoudLimit`) and distrusts the skip bound meanwhile.
   */
  setCheckLimit(limit: number): void {
    this.limit = limit;
  }

  /**
   * Lowers the level above which a sample counts as loud to that of `limit` (a lower limit is coming).
   * Samples already held were judged against the higher level: the next windows are checked exactly.
   */
  lowerLoudLimit(limit: number): void {
    if (limit >= this.loudLimit) return;
    this.loudLimit = limit;
    this.loudLevel = this.truePeak ? limit / PEAK_SKIP_GAIN : limit;
    this.lastLoud.fill(this.time - 1);
  }

  /** Switches true-peak checking (then `recheck`); switching it on treats the held samples as loud. */
  setTruePeak(truePeak: boolean): void {
    if (truePeak && !this.truePeak) this.lastLoud.fill(this.time - 1);
    this.truePeak = truePeak;
    this.loudLevel = truePeak ? this.loudLimit / PEAK_SKIP_GAIN : this.loudLimit;
  }

  /** The gain path's promise does not hold for the next `frames` pushes: check exactly. */
  distrust(frames: number): void {
    this.trustFrom = Math.max(this.trustFrom, this.time + frames);
  }

  /**
   * Pushes sample z (= s·x) of channel `ch`, then checks the interval GUARD_CHECK_DELAY behind it. `s` is
   * its gain-path gain and `q` an upper bound of the input's oversampled peak of that interval
   * (pass s = 1, q = Infinity when there is no gain path: every loud interval is checked).
   */
  push(ch: number, z: number, s = 1, q = Number.POSITIVE_INFINITY): void {
    const r = this.rings[ch]!;
    const m = this.mask;
    const t = this.time;
    const p = t & m;
    r[p] = z;
    r[p + this.cap] = z;
    const gains = this.gains[ch]!;
    const tv = this.variation[ch]!;
    const prev = (t - 1) & m;
    tv[p] = tv[prev]! + Math.abs(s - gains[prev]!);
    gains[p] = s;
    if (z > this.loudLevel || z < -this.loudLevel) this.lastLoud[ch] = t;
    const k = t - GUARD_CHECK_DELAY;
    if (this.lastLoud[ch]! < k - PEAK_LEFT) return; // no sample of the window is loud enough
    if (this.truePeak && this.corrected[ch]! < k - PEAK_LEFT && t >= this.trustFrom) {
      const sk = gains[k & m]!;
      const hi = tv[(k + PEAK_LEFT + 1) & m]!;
      const w = hi - tv[(k - PEAK_LEFT) & m]! + 1e-12 + 1e-15 * hi; // + rounding of the running sum
      // s_k·q + K·w/(s_k − w) ≤ limit, multiplied out (K = Σ|c|·target).
      if (sk > w && (this.limit - sk * q) * (sk - w) >= this.modulationGain * w) return;
    }
    this.checks++;
    if (this.peakAt(r, k) > this.limit) this.verify(ch, r, k, k, t - GUARD_FRAMES + 1, true);
  }

  /** Advances time after all channels were pushed and read. */
  advance(): void {
    this.time++;
  }

  /** The released sample of channel `ch` for the current step (GUARD_FRAMES behind the newest). */
  output(ch: number): number {
    return this.rings[ch]![(this.time - GUARD_FRAMES) & this.mask]!;
  }

  private peakAt(r: Float64Array, k: number): number {
    if (!this.truePeak) return Math.abs(r[k & this.mask]!);
    return intervalPeak(r, (k - PEAK_LEFT) & this.mask);
  }

  /**
   * Checks intervals `from` … `to` of one channel and corrects those over the limit, scaling only
   * samples ≥ `lowest` (the oldest not yet released). After a correction, the intervals whose windows
   * overlap the corrected samples are checked again. An interval over the limit whose window reaches
   * released samples cannot be fixed: counted in `unverified` when `countReleased`.
   */
  private verify(ch: number, r: Float64Array, from: number, to: number, lowest: number, countReleased: boolean): void {
    const floor = lowest - PEAK_LEFT - 1; // older intervals' windows are entirely released
    let k = Math.max(from, floor);
    let fixes = 0;
    while (k <= to) {
      const v = this.peakAt(r, k);
      if (v <= this.limit) {
        k++;
      } else if (k - PEAK_LEFT < lowest || fixes >= MAX_FIXES) {
        if (countReleased || fixes >= MAX_FIXES) this.unverified++;
        k++;
      } else {
        fixes++;
        this.corrections++;
        this.scaleAround(r, k, this.limit / v, lowest);
        this.corrected[ch] = Math.max(this.corrected[ch]!, k + PEAK_LEFT + 1 + TAPER);
        // Re-check every interval whose window overlaps the corrected samples [k − 15, k + 16].
        k = Math.max(k - (2 * PEAK_LEFT + 1 + TAPER), floor);
      }
    }
  }

  /**
   * Re-checks every interval still held back against the current limit (after the limit fell or
   * true-peak detection was switched on): from the next released sample on, the output keeps it.
   */
  recheck(): void {
    const lowest = this.time - GUARD_FRAMES;
    const newest = this.time - 1 - GUARD_CHECK_DELAY;
    for (let ch = 0; ch < this.rings.length; ch++) {
      this.verify(ch, this.rings[ch]!, lowest - PEAK_LEFT - 1, newest, lowest, false);
      this.corrected[ch] = Math.max(this.corrected[ch]!, this.time); // no skip bound over old samples
    }
  }

  /**
   * Scales samples k − 7 … k + 8 by `g` (a hair below, for rounding) and tapers TAPER samples on
   * each side; never touches samples before `lowest` (already released).
   */
  private scaleAround(r: Float64Array, k: number, g: number, lowest: number): void {
    const gain = g * (1 - 1e-12);
    const m = this.mask;
    const cap = this.cap;
    const lo = k - PEAK_LEFT;
    const hi = k + PEAK_LEFT + 1;
    for (let n = lo; n <= hi; n++) {
      const i = n & m;
      r[i] = r[i]! * gain;
      r[i + cap] = r[i]!;
    }
    for (let d = 1; d <= TAPER; d++) {
      const w = 1 - (1 - gain) * this.taper[d]!;
      if (lo - d >= lowest) {
        const a = (lo - d) & m;
        r[a] = r[a]! * w;
        r[a + cap] = r[a]!;
      }
      const b = (hi + d) & m;
      r[b] = r[b]! * w;
      r[b + cap] = r[b]!;
    }
  }

  reset(): void {
    for (const r of this.rings) r.fill(0);
    for (const g of this.gains) g.fill(1);
    for (const v of this.variation) v.fill(0);
    this.lastLoud.fill(-1e9);
    this.corrected.fill(-1e9);
    this.trustFrom = 0;
    this.checks = 0;
    this.time = 0;
    this.corrections = 0;
    this.unverified = 0;
  }
}
