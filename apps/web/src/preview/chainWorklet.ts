// The preview's AudioWorklet entry: registers "comaster-chain", a processor that runs the mastering
// chain of packages/dsp (the renderer the export runs, through `WorkletChain`) in the audio thread's
// 128-frame blocks. Bundled by apps/web/build-worklet.mjs into public/worklets/chain-worklet.js.
import { WorkletChain } from "./workletChain";
import {
  CHAIN_PROCESSOR_NAME,
  type ChainLoad,
  type ChainProcessorOptions,
  type FromWorklet,
  SOUND_THRESHOLD,
  type ToWorklet,
} from "./workletMessages";
import { type WorkletNodeOptions, workletScope } from "./workletScope";

const scope = workletScope<FromWorklet, ToWorklet, ChainProcessorOptions>();

/** Room for the acknowledgements of the edits of one block (more arrive only under a flood). */
const MAX_PENDING = 256;
const NO_INPUT: readonly Float32Array[] = [];

class ChainWorkletProcessor extends scope.AudioWorkletProcessor {
  private chain: WorkletChain | null = null;
  private readonly channels: number;
  /** Sequence numbers of edits applied since the last block, acknowledged after the next one. */
  private readonly pending = new Float64Array(MAX_PENDING);
  private pendingCount = 0;
  /** Frames rendered since construction (reported by `status`). */
  private processedFrames = 0;
  /** A `watchSound` is waiting for the first non-silent block. */
  private watchingSound = false;

  constructor(options?: WorkletNodeOptions<ChainProcessorOptions>) {
    super(options);
    this.channels = options?.processorOptions?.channels ?? 2;
    this.port.onmessage = (event) => this.receive(event.data);
    const load = options?.processorOptions?.load;
    if (load) this.load(load);
  }

  process(inputs: readonly (readonly Float32Array[])[], outputs: readonly (readonly Float32Array[])[]): boolean {
    const output = outputs[0];
    if (!output || output.length === 0) return true;
    const n = output[0]!.length;
    const chain = this.chain;
    if (chain === null || output.length !== chain.channels) {
      for (let c = 0; c < output.length; c++) output[c]!.fill(0);
    } else {
      try {
        chain.process(inputs[0] ?? NO_INPUT, output, n);
      } catch (err) {
        this.chain = null;
        this.fail(err);
      }
    }
    this.processedFrames += n;
    if (this.watchingSound && isSound(output, n)) {
      this.watchingSound = false;
      this.port.postMessage({ type: "sound", frame: scope.currentFrame });
    }
    if (this.pendingCount > 0) {
      // The edits took effect at this block's first frame; tell the main thread now it is rendered.
      const frame = scope.currentFrame;
      for (let i = 0; i < this.pendingCount; i++) {
        this.port.postMessage({ type: "paramApplied", seq: this.pending[i]!, frame });
      }
      this.pendingCount = 0;
    }
    return true;
  }

  private receive(message: ToWorklet): void {
    try {
      switch (message.type) {
        case "load":
          this.load(message);
          return;
        case "reset":
          this.chain?.reset();
          return;
        case "status":
          this.port.postMessage({
            type: "status",
            processedFrames: this.processedFrames,
            currentFrame: scope.currentFrame,
          });
          return;
        case "watchSound":
          this.watchingSound = true;
          return;
        case "setParam":
          this.requireChain().setParam(message.moduleId, message.key, message.value);
          break;
        case "setBypass":
          this.requireChain().setBypass(message.moduleId, message.bypass);
          break;
        case "setLoudnessGain":
          this.requireChain().setLoudnessGainDb(message.db);
          break;
        default:
          throw new Error(`unknown message ${JSON.stringify((message as { type?: unknown }).type)}`);
      }
      if (this.pendingCount < MAX_PENDING) this.pending[this.pendingCount++] = message.seq;
    } catch (err) {
      this.fail(err, "seq" in message ? message.seq : undefined);
    }
  }

  private load(load: ChainLoad): void {
    try {
      this.chain = new WorkletChain(load, scope.sampleRate, this.channels);
      this.port.postMessage({ type: "loaded", latencyFrames: this.chain.latencyFrames });
    } catch (err) {
      this.chain = null;
      this.fail(err);
    }
  }

  private requireChain(): WorkletChain {
    if (!this.chain) throw new Error("no chain loaded");
    return this.chain;
  }

  private fail(err: unknown, seq?: number): void {
    const message = err instanceof Error ? err.message : String(err);
    this.port.postMessage(seq === undefined ? { type: "error", message } : { type: "error", message, seq });
  }
}

function isSound(block: readonly Float32Array[], n: number): boolean {
  for (let c = 0; c < block.length; c++) {
    const y = block[c]!;
    for (let i = 0; i < n; i++) if (Math.abs(y[i]!) > SOUND_THRESHOLD) return true;
  }
  return false;
}

scope.registerProcessor(CHAIN_PROCESSOR_NAME, ChainWorkletProcessor);
