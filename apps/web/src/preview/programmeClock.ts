/**
 * Where the preview's input stands in the programme: input frame (counted by the chain since its
 * load) → programme frame (counted from the start of the mix). Without seeks the two are the same;
 * a seek or a loop makes the map piecewise: from input frame `counter` on, the programme is at
 * `frame` and advances one frame per frame. The chain needs the map a little in the past too — its
 * output lags its input by the chain's latency, and the fade works on the output — so anchors are
 * kept until no frame still in the chain needs them (`forget`).
 *
 * Fixed capacity, no allocation after construction: the audio thread calls everything here.
 */
export class ProgrammeClock {
  /** Input frame where each anchor starts, increasing. */
  private readonly counters: Float64Array;
  /** Programme frame at that input frame. */
  private readonly frames: Float64Array;
  private count = 1;

  constructor(readonly capacity = 32) {
    if (!(capacity >= 2)) throw new RangeError(`capacity must be at least 2, got ${capacity}`);
    this.counters = new Float64Array(capacity);
    this.frames = new Float64Array(capacity);
  }

  /** Back to one anchor: input frame 0 is programme frame 0. */
  reset(): void {
    this.counters[0] = 0;
    this.frames[0] = 0;
    this.count = 1;
  }

  /**
   * From input frame `counter` on, the programme is at `frame`. Anchors at or after `counter` are
   * replaced (a new seek overrides a planned one). When full, the oldest anchor goes.
   */
  set(counter: number, frame: number): void {
    let n = this.count;
    while (n > 0 && this.counters[n - 1]! >= counter) n--;
    if (n === this.capacity) {
      this.counters.copyWithin(0, 1);
      this.frames.copyWithin(0, 1);
      n--;
    }
    this.counters[n] = counter;
    this.frames[n] = frame;
    this.count = n + 1;
  }

  /** Drops the anchors that no input frame at or after `counter` needs. */
  forget(counter: number): void {
    let k = 0;
    while (k + 1 < this.count && this.counters[k + 1]! <= counter) k++;
    if (k === 0) return;
    this.counters.copyWithin(0, k, this.count);
    this.frames.copyWithin(0, k, this.count);
    this.count -= k;
  }

  /**
   * The programme frame at input frame `counter`. Before the first anchor (a frame already
   * forgotten, or the chain's pre-roll) it extrapolates the first one backwards.
   */
  at(counter: number): number {
    const k = this.indexAt(counter);
    return this.frames[k]! + (counter - this.counters[k]!);
  }

  /** The next input frame after `counter` where an anchor starts (+∞ if none): the end of a linear run. */
  nextAfter(counter: number): number {
    for (let k = 0; k < this.count; k++) if (this.counters[k]! > counter) return this.counters[k]!;
    return Number.POSITIVE_INFINITY;
  }

  /** Anchors held (for tests). */
  get size(): number {
    return this.count;
  }

  private indexAt(counter: number): number {
    let k = 0;
    while (k + 1 < this.count && this.counters[k + 1]! <= counter) k++;
    return k;
  }
}
