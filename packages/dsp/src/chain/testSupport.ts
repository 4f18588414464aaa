import type { ChainProcessor } from "../processors/chainProcessor";
import type { ParamValue } from "./modulePlan";

/* Test support for this folder (not exported from the package). */

/** A live edit: `params` are passed to setParams before frame `frame` is processed. */
export interface Edit {
  readonly frame: number;
  readonly params: Readonly<Record<string, ParamValue>>;
}

/**
 * Runs a prepared processor over a copy of `input` in blocks of `blockFrames` frames, calling
 * setParams at each edit's frame (a block ends there, as the preview's blocks end where an edit
 * arrives); returns the output.
 */
export function renderWithEdits(
  proc: ChainProcessor<unknown>,
  input: readonly Float32Array[],
  blockFrames: number,
  edits: readonly Edit[],
): Float32Array[] {
  const out = input.map((c) => c.slice());
  const total = out[0]!.length;
  const sorted = [...edits].sort((a, b) => a.frame - b.frame);
  let next = 0;
  for (let off = 0; off < total; ) {
    while (next < sorted.length && sorted[next]!.frame <= off) proc.setParams(sorted[next++]!.params);
    const limit = next < sorted.length ? sorted[next]!.frame : total;
    const len = Math.min(blockFrames, limit - off, total - off);
    proc.process(
      out.map((c) => c.subarray(off, off + len)),
      len,
    );
    off += len;
  }
  return out;
}
