// The messages between the preview's main thread and the "comaster-chain" AudioWorkletProcessor
// (chainWorklet.ts). Plain structured-clone data: the chain arrives already validated by
// packages/chain on the main thread, as the DSP's `ModulePlan` snapshot.
import type { ModulePlan, ParamValue } from "@comaster/dsp";

/** The name the processor is registered under. */
export const CHAIN_PROCESSOR_NAME = "comaster-chain";

/** What the processor renders: the chain, the loudness gain from the server-side analysis, the programme. */
export interface ChainLoad {
  /** Every module of the validated chain, in order (fade and output included; output is ignored). */
  readonly modules: readonly ModulePlan[];
  /**
   * The gain of the loudness module, dB: the gain the export applies (`MasterReport.loudnessGainDb`).
   * The preview never measures the whole programme, so it is told.
   */
  readonly loudnessGainDb: number;
  /**
   * Frames in the programme. With it, the processor ends the programme as the export does: the
   * post-loudness modules see silence after the programme and the fade-out ends on its last frame.
   * Without it, no fade-out applies. The input is programme frame 0 from the load (or the last
   * reset) on, unless `position` messages say otherwise.
   */
  readonly programmeFrames?: number;
}

/** `processorOptions` of the AudioWorkletNode: the channel count and, optionally, the first chain. */
export interface ChainProcessorOptions {
  readonly channels: number;
  readonly load?: ChainLoad;
  /** Post `gainReduction` readings while it renders (the live preview; an offline render needs none). */
  readonly reportGainReduction?: boolean;
}

/** How often `gainReduction` readings come, seconds of audio (each the peak over the interval). */
export const GAIN_REDUCTION_INTERVAL_S = 1 / 30;

export type ToWorklet =
  /** Replaces the chain (allocates on the audio thread's message handler, not in `process`). */
  | ({ readonly type: "load" } & ChainLoad)
  /** A live edit of one parameter; answered with `paramApplied` after the block that applies it. */
  | {
      readonly type: "setParam";
      readonly moduleId: string;
      readonly key: string;
      readonly value: ParamValue;
      readonly seq: number;
    }
  | { readonly type: "setBypass"; readonly moduleId: string; readonly bypass: boolean; readonly seq: number }
  | { readonly type: "setLoudnessGain"; readonly db: number; readonly seq: number }
  /** Clears every processor's state and starts the programme again at frame 0. */
  | { readonly type: "reset" }
  /**
   * From context frame `contextFrame` on, the input is programme frame `frame` (the player started
   * a piece of the mix there: play, seek, a loop's return, the next piece). `restart` drops the
   * positions announced earlier that have not come yet (the player cancelled those pieces). The
   * chain's fade follows it; a chain loaded later takes the position over.
   */
  | { readonly type: "position"; readonly contextFrame: number; readonly frame: number; readonly restart: boolean }
  /** Asks for a `status` reply (frames processed so far): how a page or a test sees the audio thread run. */
  | { readonly type: "status" }
  /**
   * Arms the sound detector: the first block rendered afterwards with a sample above
   * `SOUND_THRESHOLD` is answered with one `sound` message (play-to-sound measurement).
   */
  | { readonly type: "watchSound" };

export type FromWorklet =
  /** The chain is in place; output frame `n + latencyFrames` is input frame `n`. */
  | { readonly type: "loaded"; readonly latencyFrames: number }
  /**
   * The change numbered `seq` was applied from context frame `frame` on (the first frame of the
   * block that used it); sent once that block is rendered.
   */
  | { readonly type: "paramApplied"; readonly seq: number; readonly frame: number }
  | { readonly type: "error"; readonly message: string; readonly seq?: number }
  /** Frames `process` has rendered since the node was made, and the context frame at the reply. */
  | { readonly type: "status"; readonly processedFrames: number; readonly currentFrame: number }
  /** The first non-silent block after `watchSound` starts at context frame `frame`. */
  | { readonly type: "sound"; readonly frame: number }
  /**
   * With `reportGainReduction`: the gain reduction of each dynamics module (`ids`, chain order), dB
   * ≥ 0, the peak over the interval ending at context frame `frame`. All-zero readings come once.
   */
  | {
      readonly type: "gainReduction";
      readonly frame: number;
      readonly ids: readonly string[];
      readonly db: Float32Array;
    };

/** |sample| above this (−100 dBFS) counts as sound for `watchSound`. */
export const SOUND_THRESHOLD = 1e-5;
