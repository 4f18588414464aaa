/** Anything that can say how much each of its dynamics modules reduces the gain now (a `WorkletChain`). */
export interface GainReductionSource {
  /** Writes each module's gain reduction now, dB ≥ 0, into `out` (one entry per module). */
  readGainReduction(out: Float32Array): void;
}

/**
 * The gain reduction the desk shows, read after every block and held at its peak over an interval
 * (~33 ms): a limiter that grabs for 3 ms between two readings still shows. `update` says when an
 * interval is complete; `reading` then holds its peaks until the next one completes. A run of
 * all-zero readings is reported once, so a silent or bypassed chain sends nothing.
 *
 * Allocates only in the constructor: the chain worklet calls `update` from `process`.
 */
export class GainReductionMeter {
  /** The peaks of the last complete interval, dB ≥ 0, one per module. */
  readonly reading: Float32Array;
  private readonly now: Float32Array;
  private readonly held: Float32Array;
  private elapsed = 0;
  private reportedZero = false;

  constructor(
    readonly count: number,
    readonly intervalFrames: number,
  ) {
    if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`count must be a whole number, got ${count}`);
    if (!(intervalFrames >= 1)) throw new RangeError(`intervalFrames must be at least 1, got ${intervalFrames}`);
    this.reading = new Float32Array(count);
    this.now = new Float32Array(count);
    this.held = new Float32Array(count);
  }

  /** After a block of `frames`: reads `source`, holds the peaks; true when a new `reading` is ready. */
  update(source: GainReductionSource, frames: number): boolean {
    if (this.count === 0) return false;
    source.readGainReduction(this.now);
    for (let i = 0; i < this.count; i++) if (this.now[i]! > this.held[i]!) this.held[i] = this.now[i]!;
    this.elapsed += frames;
    if (this.elapsed < this.intervalFrames) return false;
    this.elapsed -= this.intervalFrames;
    let any = false;
    for (let i = 0; i < this.count; i++) {
      this.reading[i] = this.held[i]!;
      this.held[i] = 0;
      if (this.reading[i]! > 0) any = true;
    }
    if (any) {
      this.reportedZero = false;
      return true;
    }
    if (this.reportedZero) return false;
    this.reportedZero = true;
    return true;
  }

  /** Starts a new interval with nothing held. */
  reset(): void {
    this.held.fill(0);
    this.reading.fill(0);
    this.elapsed = 0;
    this.reportedZero = false;
  }
}
