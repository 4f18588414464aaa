import type { Chain } from "@comaster/chain";
import { ChainRenderer, type ModulePlan, processInBlocks } from "@comaster/dsp";

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
  processInBlocks(renderer, out, blockFrames);
  return out;
}
