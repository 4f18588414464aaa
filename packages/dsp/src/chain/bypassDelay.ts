/**
 * The dry path of a module: a delay of the module's latency, so toggling bypass never shifts the
 * timeline (the live preview toggles it while playing). The renderer feeds it every input frame,
 * bypassed or not, so that the dry signal is ready the moment a bypass crossfade needs it
 * (moduleStage.ts). Allocates in the constructor only.
 */
export class BypassDelay {
  private readonly lines: Float64Array[];
  private pos = 0;

  constructor(
    readonly frames: number,
    channels: number,
  ) {
    this.lines = Array.from({ length: channels }, () => new Float64Array(Math.max(1, frames)));
  }

  reset(): void {
    for (const l of this.lines) l.fill(0);
    this.pos = 0;
  }

  /** Stores `n` input frames without reading the delayed ones (the module is not bypassed). */
  push(block: readonly (Float32Array | Float64Array)[], n: number): void {
    const d = this.frames;
    if (d === 0) return;
    let pos = 0;
    for (let c = 0; c < block.length; c++) {
      const x = block[c]!;
      const line = this.lines[c]!;
      pos = this.pos;
      for (let i = 0; i < n; i++) {
        line[pos] = x[i]!;
        if (++pos === d) pos = 0;
      }
    }
    this.pos = pos;
  }

  /** Replaces `n` frames of `block` with the input `frames` frames earlier, in place. */
  process(block: readonly (Float32Array | Float64Array)[], n: number): void {
    const d = this.frames;
    if (d === 0) return;
    let pos = 0;
    for (let c = 0; c < block.length; c++) {
      const x = block[c]!;
      const line = this.lines[c]!;
      pos = this.pos;
      for (let i = 0; i < n; i++) {
        const y = line[pos]!;
        line[pos] = x[i]!;
        x[i] = y;
        if (++pos === d) pos = 0;
      }
    }
    this.pos = pos;
  }
}
