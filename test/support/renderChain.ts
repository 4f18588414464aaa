import type { Chain } from "@comaster/chain";
import { ChainRenderer, type ModulePlan } from "@comaster/dsp";

/**
 * Runs the chain's processors (everything but fade/output stages) over `input` in blocks of
 * `blockFrames`, as the preview (128) or the worker (8192) does; returns the processed copy.
 */
export function renderProcessors(
  chain: Chain,
  input: readonly Float32Array[],
  sampleRate: number,
  blockFrames: number,
  loudnessGainDb = 0,
): Float32Array[] {
  const modules = chain.modules.filter((m) => m.type !== "fade" && m.type !== "output") as readonly ModulePlan[];
  const renderer = new ChainRenderer(modules, { sampleRate, channels: input.length, maxBlockFrames: blockFrames });
  renderer.setLoudnessGainDb(loudnessGainDb);
  const out = input.map((c) => c.slice());
  const frames = out[0]!.length;
  const view = out.map(() => new Float32Array(0));
  for (let at = 0; at < frames; at += blockFrames) {
    const n = Math.min(blockFrames, frames - at);
    for (let c = 0; c < out.length; c++) view[c] = out[c]!.subarray(at, at + n);
    renderer.process(view, n);
  }
  return out;
}
