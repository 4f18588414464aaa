// The second half of the pipelined stage (see pipelineStage.ts): runs its modules over the blocks
// the main thread sends, in order, and sends each block back (buffers transferred, not copied).
import { parentPort, workerData } from "node:worker_threads";
import { ChainRenderer, type ModulePlan } from "@comaster/dsp";

const { modules, spec } = workerData as {
  modules: ModulePlan[];
  spec: { sampleRate: number; channels: number; maxBlockFrames: number };
};
const renderer = new ChainRenderer(modules, spec);
parentPort!.on("message", (m: { channels: Float32Array[]; frames: number }) => {
  renderer.process(m.channels, m.frames);
  parentPort!.postMessage(
    m,
    m.channels.map((c) => c.buffer as ArrayBuffer),
  );
});
