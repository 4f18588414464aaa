// One later run of the pipelined stage (see pipelineStage.ts): runs its modules over the blocks it
// receives (from the main thread, or from the run before it through `from`), in order, and passes
// each block on (to the run after it through `to`, or back to the main thread), buffers transferred.
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { ChainRenderer, type ModulePlan } from "@comaster/dsp";

const { modules, spec, from, to } = workerData as {
  modules: ModulePlan[];
  spec: { sampleRate: number; channels: number; maxBlockFrames: number };
  from?: MessagePort;
  to?: MessagePort;
};
const renderer = new ChainRenderer(modules, spec);
const input = from ?? parentPort!;
const output = to ?? parentPort!;
input.on("message", (m: { channels: Float32Array[]; frames: number }) => {
  renderer.process(m.channels, m.frames);
  output.postMessage(
    m,
    m.channels.map((c) => c.buffer as ArrayBuffer),
  );
});
