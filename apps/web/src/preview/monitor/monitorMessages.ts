// The messages between the preview's main thread and the "comaster-monitor" AudioWorkletProcessor
// (monitorWorklet.ts). Plain structured-clone data.
import type { ListenAsMode, StreamingPlatform } from "./monitorStage";
import type { MeterReading } from "./previewMeters";

/** The name the processor is registered under. */
export const MONITOR_PROCESSOR_NAME = "comaster-monitor";

/** `processorOptions` of the AudioWorkletNode: the starting state, all optional. */
export interface MonitorProcessorOptions {
  readonly mode?: ListenAsMode;
  readonly platform?: StreamingPlatform;
  /** The master's integrated loudness (LUFS), for "platform" mode. */
  readonly programmeLufs?: number | null;
}

export type ToMonitor =
  | { readonly type: "setMode"; readonly mode: ListenAsMode }
  | { readonly type: "setPlatform"; readonly platform: StreamingPlatform }
  | { readonly type: "setProgrammeLoudness"; readonly lufs: number | null }
  /** Clears the held true peak. */
  | { readonly type: "resetPeak" }
  /** Clears every meter and the listen-as filters (a seek, a new programme). */
  | { readonly type: "reset" };

export type FromMonitor =
  /** The meters of the master (before listen-as), at most every 50 ms; `frame` = context frame. */
  | ({ readonly type: "meters"; readonly frame: number } & MeterReading)
  | { readonly type: "error"; readonly message: string };
