/**
 * The gain path of a look-ahead limiter, one channel. Fed one peak value q[n] per sample (the
 * largest |value| of the sample interval n, oversampled or not), it returns a gain s[n] with
 *
 *   s[n] ≤ target / q[m]   for every m in [n − L − 16, n − L]   (whenever q[m] > target),
 *
 * i.e. the gain for the sample n − L − 8 is at most the gain that every interval within ±8 samples
 * (the reach of the 16-tap interpolator) needs. Stages:
 *  1. hold: S[n] = max q over the last W = M1 + M2 + 15 samples (a monotonic deque, O(1) amortised);
 *  2. needed gain, log domain: a = min(0, ln target − ln S), release e = min(a, β·e_prev) with
 *     β = exp(−1/(τ_R·f_s)) (an exponential release of the gain in dB);
 *  3. two moving averages of lengths M1 and M2 (M1 + M2 − 2 = L): the gain falls along a smooth
 *     S-shaped (piecewise quadratic) ramp over L samples and has fully reached the minimum of the
 *     window when the peak reaches the output.
 * Proof of the bound: s[n] is an average of e[k], k ∈ [n − M1 − M2 + 2, n], and each e[k] ≤ target/q[m]
 * for m ∈ [k − W + 1, k]; the intersection of these ranges is [n − W + 1, n − M1 − M2 + 2].
 *
 * All buffers are sized in the constructor for the largest L; `configure` changes L without
 * allocating (the caller then replays recent history through `restart` + `step`).
 */
export class LookaheadGain {
  private readonly dqVal: Float64Array;
  private readonly dqTime: Float64Array;
  private readonly dqMask: number;
  private dqHead = 0;
  private dqSize = 0;
  private readonly ma1: Float64Array;
  private readonly ma2: Float64Array;
  private readonly maMask: number;
  private time = 0;
  private pos = 0;
  private m1 = 1;
  private m2 = 1;
  private inv1 = 1;
  private inv2 = 1;
  private hold = 1;
  private sum1 = 0;
  private sum2 = 0;
  private logTarget = 0;
  private target = 1;
  private beta = 0;
  private eLog = 0;
  private lastS = -1;
  private lastA = 0;
  /** The most recent output gain. */
  gain = 1;

  constructor(maxLookahead: number) {
    const dq = nextPow2(maxLookahead + 24);
    this.dqVal = new Float64Array(dq);
    this.dqTime = new Float64Array(dq);
    this.dqMask = dq - 1;
    const ma = nextPow2(maxLookahead + 4);
    this.ma1 = new Float64Array(ma);
    this.ma2 = new Float64Array(ma);
    this.maMask = ma - 1;
    this.configure(maxLookahead, 1, 0);
    this.restart(1);
  }

  /** Samples of history `restart` + `step` need to rebuild the state: W + M1 + M2. */
  get replayLength(): number {
    return this.hold + this.m1 + this.m2;
  }

  /** Sets look-ahead L (samples), the peak target (linear) and the release coefficient β. */
  configure(lookahead: number, target: number, beta: number): void {
    this.m1 = Math.floor(lookahead / 2) + 1;
    this.m2 = lookahead - this.m1 + 2;
    this.inv1 = 1 / this.m1;
    this.inv2 = 1 / this.m2;
    this.hold = this.m1 + this.m2 + 15;
    this.target = target;
    this.logTarget = Math.log(target);
    this.beta = beta;
    this.lastS = -1;
  }

  /**
   * Changes the peak target without rebuilding: the peaks held so far are scaled by new/old target,
   * so that each keeps asking for the gain it asked for (the caller feeds peaks relative to this
   * target: q·target/target(m) for an interval m whose own target differs, limiter.ts).
   */
  retarget(target: number): void {
    const f = target / this.target;
    const dv = this.dqVal;
    for (let k = 0; k < this.dqSize; k++) {
      const i = (this.dqHead + k) & this.dqMask;
      dv[i] = dv[i]! * f;
    }
    this.target = target;
    this.logTarget = Math.log(target);
    this.lastS = -1;
  }

  setRelease(beta: number): void {
    this.beta = beta;
  }

  /** Empties the hold and fills both averages with `gain` (then `step` through the history). */
  restart(gain: number): void {
    this.dqHead = 0;
    this.dqSize = 0;
    this.ma1.fill(gain);
    this.ma2.fill(gain);
    this.sum1 = gain * this.m1;
    this.sum2 = gain * this.m2;
    this.eLog = gain < 1 ? Math.log(gain) : 0;
    this.gain = gain;
    this.lastS = -1;
  }

  step(q: number): number {
    const t = this.time;
    this.time = t + 1;
    // 1. sliding maximum over the last `hold` values.
    const dv = this.dqVal;
    const dt = this.dqTime;
    const dm = this.dqMask;
    let size = this.dqSize;
    const head = this.dqHead;
    while (size > 0 && dv[(head + size - 1) & dm]! <= q) size--;
    dv[(head + size) & dm] = q;
    dt[(head + size) & dm] = t;
    size++;
    if (dt[head]! <= t - this.hold) {
      this.dqHead = (head + 1) & dm;
      size--;
    }
    this.dqSize = size;
    const s = dv[this.dqHead]!;
    // 2. needed gain and release, in the log domain.
    let a = 0;
    if (s > this.target) {
      if (s !== this.lastS) {
        this.lastS = s;
        this.lastA = this.logTarget - Math.log(s);
      }
      a = this.lastA;
    }
    let eLog = this.beta * this.eLog;
    if (eLog > -1e-12) eLog = 0;
    if (a < eLog) eLog = a;
    this.eLog = eLog;
    const e = eLog === 0 ? 1 : Math.exp(eLog);
    // 3. two moving averages.
    const mm = this.maMask;
    const p = this.pos;
    this.pos = (p + 1) & mm;
    const r1 = this.ma1;
    const r2 = this.ma2;
    this.sum1 += e - r1[(p - this.m1) & mm]!;
    r1[p] = e;
    const u = this.sum1 * this.inv1;
    this.sum2 += u - r2[(p - this.m2) & mm]!;
    r2[p] = u;
    if (p === 0) this.resync();
    const g = this.sum2 * this.inv2;
    this.gain = g;
    return g;
  }

  /** Recomputes the running sums exactly (once per ring turn: no drift, independent of blocks). */
  private resync(): void {
    const mm = this.maMask;
    let s1 = 0;
    for (let k = 0; k < this.m1; k++) s1 += this.ma1[(this.pos - 1 - k) & mm]!;
    let s2 = 0;
    for (let k = 0; k < this.m2; k++) s2 += this.ma2[(this.pos - 1 - k) & mm]!;
    this.sum1 = s1;
    this.sum2 = s2;
  }

  reset(): void {
    this.time = 0;
    this.pos = 0;
    this.restart(1);
  }
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
