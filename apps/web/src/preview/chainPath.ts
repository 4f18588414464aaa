// One "comaster-chain" worklet in the preview's graph and what follows it:
//   input ─► worklet ─► align (delay) ─► level (gain) ─► output
// `align` delays this chain so that chains of different latency (A/B) and the dry bypass stay in
// time with each other; `level` is its share of the crossfade (abMix.ts).
import { CHAIN_PROCESSOR_NAME, type ChainLoad, type FromWorklet, type ToWorklet } from "./workletMessages";

/** Longest alignment delay (seconds) the paths allow: far above any chain's latency. */
export const MAX_ALIGN_S = 1;

export class ChainPath {
  /** The chain's latency as the worklet reported it (0 until its `loaded`). */
  latencyFrames = 0;
  private readonly node: AudioWorkletNode;
  private readonly align: DelayNode;
  private readonly level: GainNode;
  private disposed = false;

  constructor(
    private readonly context: AudioContext,
    private readonly input: AudioNode,
    output: AudioNode,
    channels: number,
    load: ChainLoad,
    options: { readonly level: number; readonly reportGainReduction: boolean; onMessage(m: FromWorklet): void },
  ) {
    this.node = new AudioWorkletNode(context, CHAIN_PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [channels],
      channelCount: channels,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
      processorOptions: { channels, load, reportGainReduction: options.reportGainReduction },
    });
    this.align = context.createDelay(MAX_ALIGN_S);
    this.level = context.createGain();
    this.level.gain.value = options.level;
    this.node.port.onmessage = (e: MessageEvent<FromWorklet>) => {
      if (e.data.type === "loaded") this.latencyFrames = e.data.latencyFrames;
      options.onMessage(e.data);
    };
    input.connect(this.node).connect(this.align).connect(this.level).connect(output);
  }

  post(message: ToWorklet): void {
    if (!this.disposed) this.node.port.postMessage(message);
  }

  /** Delays the chain's output by `frames` more (set when a latency changes). */
  setAlignment(frames: number): void {
    this.align.delayTime.value = frames / this.context.sampleRate;
  }

  /** Fades this path's level to `gain` with time constant `tau` seconds. */
  fadeTo(gain: number, tau: number): void {
    this.level.gain.setTargetAtTime(gain, this.context.currentTime, tau);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.node.port.onmessage = null;
    try {
      this.input.disconnect(this.node);
    } catch {} // already disconnected (the whole graph is going)
    this.node.disconnect();
    this.align.disconnect();
    this.level.disconnect();
  }
}
