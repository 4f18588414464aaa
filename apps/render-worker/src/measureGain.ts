import type { Chain } from "@comaster/chain";
import { type MasterSink, type ModulePlan, master } from "@comaster/dsp";
import { type ExportFormatName, formatOverrides } from "./exportFormat";
import { stageRunner } from "./masterFile";
import { openAudioSource } from "./readAudioFile";

/** What `comaster gain` prints: the loudness stage's gain a render of the chain applies. */
export interface GainMeasurement {
  /** The gain the loudness module applies, dB; null when the chain has no active loudness module. */
  readonly loudnessGainDb: number | null;
  readonly targetLufs: number | null;
  /** Integrated loudness of the output with that gain (what the export measures), LUFS; null if silent. */
  readonly integratedLufs: number | null;
  readonly passes: number;
  readonly warnings: readonly string[];
}

/** A pass that writes nothing: the master measures each pass itself. */
const nullSink: MasterSink = { write: async () => {}, close: async () => {} };

/**
 * Runs `master()` — the export's own loudness passes (measure the modules before the loudness stage,
 * one gain, limiter and the rest, measure the output, correct) — with sinks that write nothing, so the
 * gain it reports is the gain a render of this chain applies, to the last bit: the preview plays with
 * it. `format` gives the export format's output overrides (dither depth, MP3's rate); without it the
 * chain's own output module decides, as a render in the chain's format does.
 */
export async function measureGain(
  input: string,
  chain: Chain,
  o: { readonly format?: ExportFormatName; onProgress?(fraction: number): void } = {},
): Promise<GainMeasurement> {
  const source = await openAudioSource(input);
  try {
    const output = o.format === undefined ? undefined : formatOverrides(o.format, source.sampleRate, chain, undefined);
    const report = await master(source, {
      modules: chain.modules as readonly ModulePlan[],
      stage: stageRunner(),
      output,
      onProgress: o.onProgress,
      openSink: async () => nullSink,
    });
    return {
      loudnessGainDb: report.loudnessGainDb,
      targetLufs: report.targetLufs,
      integratedLufs: report.analysis.integratedLufs,
      passes: report.passes,
      warnings: [...source.warnings, ...report.warnings],
    };
  } finally {
    await source.close();
  }
}
