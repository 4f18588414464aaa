// The preview's monitoring AudioWorklet entry: registers "comaster-monitor", which sits between the
// chain node ("comaster-chain") and the speakers. Per 128-frame block it copies the master to its
// output, meters it (PreviewMeters: the meters show the MASTER), then applies the listen-as stage
// (MonitorStage) to what the speakers get. It never feeds anything back to the chain, and an export
// never runs it. Bundled by apps/web/build-worklet.mjs into public/worklets/monitor-worklet.js.

import { type WorkletNodeOptions, workletScope } from "../workletScope";
import {
  type FromMonitor,
  MONITOR_PROCESSOR_NAME,
  type MonitorProcessorOptions,
  type ToMonitor,
} from "./monitorMessages";
import { MonitorStage } from "./monitorStage";
import { PreviewMeters } from "./previewMeters";

const scope = workletScope<FromMonitor, ToMonitor, MonitorProcessorOptions>();

/** The render quantum; a larger block (a future Web Audio option) is metered in pieces of this size. */
const QUANTUM = 128;

class MonitorWorkletProcessor extends scope.AudioWorkletProcessor {
  private readonly stage = new MonitorStage(scope.sampleRate, QUANTUM);
  private readonly meters = new PreviewMeters(scope.sampleRate, QUANTUM);

  constructor(options?: WorkletNodeOptions<MonitorProcessorOptions>) {
    super(options);
    const o = options?.processorOptions;
    if (o?.platform !== undefined) this.stage.setPlatform(o.platform);
    if (o?.programmeLufs !== undefined) this.stage.setProgrammeLoudness(o.programmeLufs);
    if (o?.mode !== undefined) this.stage.setMode(o.mode);
    this.port.onmessage = (event) => this.receive(event.data);
  }

  process(inputs: readonly (readonly Float32Array[])[], outputs: readonly (readonly Float32Array[])[]): boolean {
    const output = outputs[0];
    if (!output || output.length === 0) return true;
    const left = output[0]!;
    const right = output[1] ?? left;
    const input = inputs[0];
    // No input connected (or not yet): silence. A mono input plays on both sides.
    if (!input || input.length === 0) {
      left.fill(0);
      right.fill(0);
    } else {
      left.set(input[0]!);
      if (right !== left) right.set(input[1] ?? input[0]!);
    }
    let due = false;
    for (let at = 0; at < left.length; at += QUANTUM) {
      const n = Math.min(QUANTUM, left.length - at);
      const l = at === 0 && n === left.length ? left : left.subarray(at, at + n);
      const r = at === 0 && n === right.length ? right : right.subarray(at, at + n);
      if (this.meters.process(l, r, n)) due = true;
      if (right !== left) this.stage.process(l, r, n);
    }
    if (due) this.port.postMessage({ type: "meters", frame: scope.currentFrame, ...this.meters.reading() });
    return true;
  }

  private receive(message: ToMonitor): void {
    try {
      switch (message.type) {
        case "setMode":
          this.stage.setMode(message.mode);
          return;
        case "setPlatform":
          this.stage.setPlatform(message.platform);
          return;
        case "setProgrammeLoudness":
          this.stage.setProgrammeLoudness(message.lufs);
          return;
        case "resetPeak":
          this.meters.resetPeak();
          return;
        case "reset":
          this.meters.reset();
          this.stage.reset();
          return;
        default:
          throw new Error(`unknown message ${JSON.stringify((message as { type?: unknown }).type)}`);
      }
    } catch (err) {
      this.port.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) });
    }
  }
}

scope.registerProcessor(MONITOR_PROCESSOR_NAME, MonitorWorkletProcessor);
