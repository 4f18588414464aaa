// Renders decoded audio through the chain worklet in an OfflineAudioContext: the preview's code path
// (the same processor, in the browser's 128-frame render quanta) as fast as the machine allows.
// Used by the parity test's page and, later, by the preview (bounce, meters).
import type { Chain } from "@comaster/chain";
import type { ModulePlan } from "@comaster/dsp";
import { CHAIN_PROCESSOR_NAME, type ChainLoad, type ChainProcessorOptions, type FromWorklet } from "./workletMessages";

export const DEFAULT_WORKLET_URL = "/worklets/chain-worklet.js";

export interface OfflineRenderRequest {
  /** Planar samples, one array per channel (1 or 2), all the same length. */
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
  /** A chain validated by packages/chain (`parseChain`). */
  readonly chain: Chain;
  /** The loudness module's gain, dB, as the export applied it (`MasterReport.loudnessGainDb`). */
  readonly loudnessGainDb: number;
  readonly workletUrl?: string;
}

export interface OfflineRenderResult {
  /**
   * The worklet's output, `frames + latencyFrames` long: frame `n + latencyFrames` is programme frame
   * `n` (the first `latencyFrames` are the chain's pre-roll).
   */
  readonly channels: Float32Array[];
  /** The latency the worklet reported. */
  readonly latencyFrames: number;
}

/**
 * Renders `channels` through the chain. The context's length must include the chain's latency,
 * which only the worklet knows, so a first, one-block context asks it; the second renders.
 */
export async function renderOffline(r: OfflineRenderRequest): Promise<OfflineRenderResult> {
  const frames = r.channels[0]?.length ?? 0;
  const count = r.channels.length;
  if (count < 1 || count > 2 || r.channels.some((c) => c.length !== frames)) {
    throw new Error("renderOffline takes 1 or 2 channels of equal length");
  }
  const url = r.workletUrl ?? DEFAULT_WORKLET_URL;
  const load: ChainLoad = {
    modules: r.chain.modules as readonly ModulePlan[],
    loudnessGainDb: r.loudnessGainDb,
    programmeFrames: frames,
  };

  const probe = new OfflineAudioContext({ numberOfChannels: count, length: 128, sampleRate: r.sampleRate });
  await probe.audioWorklet.addModule(url);
  const probeNode = chainNode(probe, count, load);
  probeNode.node.connect(probe.destination);
  await probe.startRendering();
  const latencyFrames = await probeNode.loaded;

  const ctx = new OfflineAudioContext({
    numberOfChannels: count,
    length: frames + latencyFrames,
    sampleRate: r.sampleRate,
  });
  await ctx.audioWorklet.addModule(url);
  const buffer = ctx.createBuffer(count, Math.max(1, frames), r.sampleRate);
  for (let c = 0; c < count; c++) buffer.getChannelData(c).set(r.channels[c]!);
  const source = new AudioBufferSourceNode(ctx, { buffer });
  const { node, loaded, errors } = chainNode(ctx, count, load);
  source.connect(node).connect(ctx.destination);
  source.start(0);
  const rendered = await ctx.startRendering();
  if ((await loaded) !== latencyFrames) throw new Error("the worklet reported two different latencies");
  if (errors.length > 0) throw new Error(`chain worklet: ${errors.join("; ")}`);
  return {
    channels: Array.from({ length: count }, (_, c) => rendered.getChannelData(c).slice()),
    latencyFrames,
  };
}

/** A "comaster-chain" node with the chain loaded at construction, so the first block is processed. */
function chainNode(ctx: BaseAudioContext, channels: number, load: ChainLoad) {
  const processorOptions: ChainProcessorOptions = { channels, load };
  const node = new AudioWorkletNode(ctx, CHAIN_PROCESSOR_NAME, {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [channels],
    channelCount: channels,
    channelCountMode: "explicit",
    channelInterpretation: "discrete",
    processorOptions,
  });
  const errors: string[] = [];
  const loaded = new Promise<number>((resolve, reject) => {
    node.port.onmessage = (event: MessageEvent<FromWorklet>) => {
      const m = event.data;
      if (m.type === "loaded") resolve(m.latencyFrames);
      else if (m.type === "error") {
        errors.push(m.message);
        reject(new Error(`chain worklet: ${m.message}`));
      }
    };
    node.onprocessorerror = () => reject(new Error("the chain worklet failed"));
  });
  // Rejections are read through `errors` or the awaited promise, never left unhandled.
  loaded.catch(() => {});
  return { node, loaded, errors };
}
