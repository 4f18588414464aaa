import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type ModulePlan, runStageInThread, type StageBlock, type StageRunner } from "@comaster/dsp";

/**
 * Relative cost of each module type per sample (measured with a CPU profile of the streaming preset
 * with every module on); used only to balance the two halves of the pipeline.
 */
const COST: Readonly<Record<string, number>> = {
  trim: 0.05,
  highpass: 0.2,
  eq: 0.45,
  compressor: 0.7,
  multiband: 1.5,
  saturation: 2.9,
  imager: 0.1,
  deesser: 1.6,
  reverb: 0.7,
  limiter: 1,
  loudness: 0,
};

/** Blocks in flight between the two threads. */
const IN_FLIGHT = 4;

/**
 * A stage runner that splits the modules into two runs of about equal cost and runs the second run
 * in a worker thread while this thread runs the first: a two-stage pipeline over the stream. The
 * samples are those of the in-thread runner (each module still sees the whole stream in order).
 * With one CPU, or too little work to be worth a thread, it falls back to the in-thread runner.
 */
export function pipelinedStage(workerUrl: URL): StageRunner {
  return (modules, spec, input) => {
    const cost = (m: ModulePlan) => (m.bypass ? 0 : (COST[m.type] ?? 1));
    const total = modules.reduce((a, m) => a + cost(m), 0);
    if (availableParallelism() < 2 || total < 0.5) return runStageInThread(modules, spec, input);
    // Split where the first run's cost reaches half; the first run may be empty (then this thread
    // is left free for the caller's own work: output stage, analysis, encoding).
    let acc = 0;
    let split = 0;
    while (split < modules.length && acc + cost(modules[split]!) <= total / 2) acc += cost(modules[split++]!);
    if (split === modules.length) return runStageInThread(modules, spec, input);
    return pipeline(workerUrl, modules.slice(0, split), modules.slice(split), spec, input);
  };
}

async function* pipeline(
  workerUrl: URL,
  first: readonly ModulePlan[],
  second: readonly ModulePlan[],
  spec: { sampleRate: number; channels: number; maxBlockFrames: number },
  input: AsyncIterable<StageBlock>,
): AsyncIterable<StageBlock> {
  const worker = new Worker(workerUrl, { workerData: { modules: second, spec } });
  const results: StageBlock[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on("message", (m: { channels: Float32Array[]; frames: number }) => {
    results.push(m);
    notify();
  });
  worker.on("error", (err) => {
    failure = err;
    notify();
  });
  worker.on("exit", (code) => {
    if (code !== 0 && !failure) failure = new Error(`pipeline worker exited with code ${code}`);
    notify();
  });
  const waitForResult = () => new Promise<void>((resolve) => (wake = resolve));
  const renderer = first;
  const local = runStageInThread(renderer, spec, input)[Symbol.asyncIterator]();
  let sent = 0;
  let received = 0;
  try {
    let done = false;
    while (!done || received < sent) {
      while (!done && sent - received < IN_FLIGHT) {
        const next = await local.next();
        if (next.done) {
          done = true;
          break;
        }
        // Copy out of the runner's reused work buffer into buffers we can transfer.
        const channels = next.value.channels.map((c) => c.slice(0, next.value.frames));
        worker.postMessage(
          { channels, frames: next.value.frames },
          channels.map((c) => c.buffer as ArrayBuffer),
        );
        sent++;
      }
      if (received < sent) {
        while (results.length === 0 && !failure) await waitForResult();
        if (failure) throw failure;
        received++;
        yield results.shift()!;
      }
    }
  } finally {
    await worker.terminate();
  }
}
