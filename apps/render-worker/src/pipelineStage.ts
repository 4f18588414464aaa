import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import { type ModulePlan, runStageInThread, type StageBlock, type StageRunner } from "@comaster/dsp";

/**
 * Relative cost of each module type per sample (CPU time of each processor over a 4-minute 44.1 kHz
 * stereo song, streaming preset with every module on, in seconds); used only to balance the runs of
 * the pipeline.
 */
const COST: Readonly<Record<string, number>> = {
  trim: 0.05,
  highpass: 0.2,
  eq: 0.4,
  compressor: 0.35,
  multiband: 1.55,
  saturation: 2.5,
  imager: 0.07,
  deesser: 1.15,
  reverb: 0.85,
  limiter: 1.3,
  loudness: 0,
};

/** Blocks in flight through the pipeline. */
const IN_FLIGHT = 6;
/** Most runs (threads) one stage is split into. */
const MAX_RUNS = 3;

/**
 * A stage runner that splits the modules into consecutive runs of about equal cost and runs each in
 * its own thread: this thread runs the first run, worker threads the others, each passing its blocks
 * on to the next (a pipeline over the stream). The samples are those of the in-thread runner (each
 * module still sees the whole stream in order). One run more than there are CPUs: this thread also
 * decodes, measures and encodes, and a run that waits for its input leaves its CPU to another, so
 * the spare run evens out the load where the modules' costs do not split evenly.
 * With one CPU, or too little work to be worth a thread, it falls back to the in-thread runner.
 */
export function pipelinedStage(workerUrl: URL): StageRunner {
  return (modules, spec, input) => {
    const cost = (m: ModulePlan) => (m.bypass ? 0 : (COST[m.type] ?? 1));
    const total = modules.reduce((a, m) => a + cost(m), 0);
    const cpus = availableParallelism();
    if (cpus < 2 || total < 0.5) return runStageInThread(modules, spec, input);
    const runs = splitRuns(modules.map(cost), Math.min(MAX_RUNS, cpus + 1));
    // The first run may be empty: then this thread is left free for the caller's own work (output
    // stage, analysis, encoding).
    const [first, ...rest] = runs.map(([from, to]) => modules.slice(from, to));
    const others = rest.filter((r) => r.length > 0);
    if (others.length === 0) return runStageInThread(modules, spec, input);
    return pipeline(workerUrl, first!, others, spec, input);
  };
}

/**
 * Cuts costs into at most `runs` consecutive runs [from, to) with the smallest largest run (the
 * pipeline's bottleneck); among equal splits, the one with the lightest first run (this thread's).
 * Exhaustive: a chain has a dozen modules at most.
 */
export function splitRuns(costs: readonly number[], runs: number): [number, number][] {
  const n = costs.length;
  const sum = (a: number, b: number) => costs.slice(a, b).reduce((s, c) => s + c, 0);
  let best: { cuts: number[]; worst: number; head: number } | null = null;
  const visit = (cuts: number[]) => {
    if (cuts.length === runs - 1) {
      const bounds = [0, ...cuts, n];
      let worst = 0;
      for (let i = 0; i + 1 < bounds.length; i++) worst = Math.max(worst, sum(bounds[i]!, bounds[i + 1]!));
      const head = sum(0, bounds[1]!);
      if (!best || worst < best.worst - 1e-9 || (Math.abs(worst - best.worst) <= 1e-9 && head < best.head)) {
        best = { cuts: [...cuts], worst, head };
      }
      return;
    }
    for (let c = cuts.length === 0 ? 0 : cuts[cuts.length - 1]!; c <= n; c++) visit([...cuts, c]);
  };
  visit([]);
  const bounds = [0, ...best!.cuts, n];
  return bounds.slice(1).map((to, i) => [bounds[i]!, to]);
}

async function* pipeline(
  workerUrl: URL,
  first: readonly ModulePlan[],
  later: readonly (readonly ModulePlan[])[],
  spec: { sampleRate: number; channels: number; maxBlockFrames: number },
  input: AsyncIterable<StageBlock>,
): AsyncIterable<StageBlock> {
  // Worker i reads from the one before it through a channel (the first from this thread), and the
  // last one sends its blocks back here.
  const links: MessageChannel[] = later.slice(1).map(() => new MessageChannel());
  const workers = later.map((modules, i) => {
    const from: MessagePort | undefined = i > 0 ? links[i - 1]!.port2 : undefined;
    const to: MessagePort | undefined = i < links.length ? links[i]!.port1 : undefined;
    const ports = [from, to].filter((p): p is MessagePort => p !== undefined);
    return new Worker(workerUrl, { workerData: { modules, spec, from, to }, transferList: ports });
  });
  const last = workers[workers.length - 1]!;
  const results: StageBlock[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  last.on("message", (m: { channels: Float32Array[]; frames: number }) => {
    results.push(m);
    notify();
  });
  for (const worker of workers) {
    worker.on("error", (err) => {
      failure ??= err;
      notify();
    });
    worker.on("exit", (code) => {
      if (code !== 0 && !failure) failure = new Error(`pipeline worker exited with code ${code}`);
      notify();
    });
  }
  const waitForResult = () => new Promise<void>((resolve) => (wake = resolve));
  const local = runStageInThread(first, spec, input)[Symbol.asyncIterator]();
  const head = workers[0]!;
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
        head.postMessage(
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
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
