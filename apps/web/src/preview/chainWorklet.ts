// The preview's AudioWorklet entry: registers "comaster-chain", a processor that runs the mastering
// chain of packages/dsp (the renderer the export runs, through `WorkletChain`) in the audio thread's
// 128-frame blocks. Bundled by apps/web/build-worklet.mjs into public/worklets/chain-worklet.js.
import { GainReductionMeter } from "./gainReductionMeter";
import { WorkletChain } from "./workletChain";
import {
  CHAIN_PROCESSOR_NAME,
  type ChainLoad,
  type ChainProcessorOptions,
  type FromWorklet,
  GAIN_REDUCTION_INTERVAL_S,
  SOUND_THRESHOLD,
  type ToWorklet,
} from "./workletMessages";
import { type WorkletNodeOptions, workletScope } from "./workletScope";

const scope = workletScope<FromWorklet, ToWorklet, ChainProcessorOptions>();

/** Room for the acknowledgements of the edits of one block (more arrive only under a flood). */
const MAX_PENDING = 256;
/** Room for announced positions not reached yet (the player schedules ~1.5 s ahead: a few pieces). */
const MAX_POSITIONS = 64;
const NO_INPUT: readonly Float32Array[] = [];

/** A `gainReduction` message, made at the load and reused for every reading. */
interface GainReductionMessage {
  readonly type: "gainReduction";
  frame: number;
  readonly ids: readonly string[];
  readonly db: Float32Array;
}

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
  /** Announced positions (context frame → programme frame), oldest first, not reached yet. */
  private readonly positionAt = new Float64Array(MAX_POSITIONS);
  private readonly positionFrame = new Float64Array(MAX_POSITIONS);
  private positionCount = 0;
  /** The last position reached (context frame, programme frame), for a chain loaded later; -1: none. */
  private anchorAt = -1;
  private anchorFrame = 0;
  /** The chain was just loaded: give it the programme position at its first block. */
  private chainIsNew = false;
  private readonly reportGainReduction: boolean;
  private grMeter: GainReductionMeter | null = null;
  private grMessage: GainReductionMessage | null = null;

  constructor(options?: WorkletNodeOptions<ChainProcessorOptions>) {
    super(options);
    this.channels = options?.processorOptions?.channels ?? 2;
    this.reportGainReduction = options?.processorOptions?.reportGainReduction === true;
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
        this.placeInProgramme(chain, n);
        chain.process(inputs[0] ?? NO_INPUT, output, n);
        if (this.grMeter?.update(chain, n)) {
          this.grMessage!.frame = scope.currentFrame;
          this.port.postMessage(this.grMessage!);
        }
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
          this.grMeter?.reset();
          this.positionCount = 0;
          this.anchorAt = -1;
          return;
        case "position":
          this.announce(message.contextFrame, message.frame, message.restart);
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
      const chain = new WorkletChain(load, scope.sampleRate, this.channels);
      this.chain = chain;
      this.chainIsNew = true;
      if (this.reportGainReduction) {
        const interval = Math.max(1, Math.round(GAIN_REDUCTION_INTERVAL_S * scope.sampleRate));
        this.grMeter = new GainReductionMeter(chain.meteredIds.length, interval);
        this.grMessage = { type: "gainReduction", frame: 0, ids: chain.meteredIds, db: this.grMeter.reading };
      }
      this.port.postMessage({ type: "loaded", latencyFrames: chain.latencyFrames });
    } catch (err) {
      this.chain = null;
      this.fail(err);
    }
  }

  /** Queues a position; `restart` first drops the ones not reached (their pieces were cancelled). */
  private announce(contextFrame: number, frame: number, restart: boolean): void {
    if (!Number.isSafeInteger(contextFrame) || !Number.isSafeInteger(frame) || frame < 0) {
      throw new Error(`position must be whole frames, got ${frame} at context frame ${contextFrame}`);
    }
    if (restart) this.positionCount = 0;
    if (this.positionCount === MAX_POSITIONS) {
      this.positionAt.copyWithin(0, 1);
      this.positionFrame.copyWithin(0, 1);
      this.positionCount--;
    }
    this.positionAt[this.positionCount] = contextFrame;
    this.positionFrame[this.positionCount] = frame;
    this.positionCount++;
  }

  /**
   * Before rendering the block that starts at the current context frame: a new chain takes over the
   * programme position, and the positions falling in this block reach the chain at their frame
   * (one announced for a frame already past counts from the block's start, that much later).
   */
  private placeInProgramme(chain: WorkletChain, n: number): void {
    const t0 = scope.currentFrame;
    if (this.chainIsNew) {
      this.chainIsNew = false;
      if (this.anchorAt >= 0) chain.setPosition(Math.max(0, this.anchorFrame + (t0 - this.anchorAt)));
    }
    let k = 0;
    while (k < this.positionCount && this.positionAt[k]! < t0 + n) {
      const at = this.positionAt[k]!;
      const frame = this.positionFrame[k]!;
      chain.setPosition(frame + Math.max(0, t0 - at), Math.max(0, at - t0));
      this.anchorAt = at;
      this.anchorFrame = frame;
      k++;
    }
    if (k > 0) {
      this.positionAt.copyWithin(0, k, this.positionCount);
      this.positionFrame.copyWithin(0, k, this.positionCount);
      this.positionCount -= k;
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
