import type { Processor, SampleBuffer } from "../processor";

/**
 * Runs a prepared processor in place over `buf` in blocks of `blockFrames` frames — how the preview
 * (128) and the worker (8192) drive it; tests compare block sizes with it.
 */
export function processInBlocks(
  proc: Pick<Processor, "process">,
  buf: readonly SampleBuffer[],
  blockFrames: number,
): void {
  const n = buf[0]!.length;
  for (let off = 0; off < n; off += blockFrames) {
    const len = Math.min(blockFrames, n - off);
    proc.process(
      buf.map((c) => c.subarray(off, off + len)),
      len,
    );
  }
}
