import type { Chain } from "@comaster/chain";
import { type AudioEncoder, createWavEncoder } from "@comaster/codecs";
import type { OutputSettings } from "@comaster/dsp";
import { CliError } from "./cliError";
import { createFlacEncoder } from "./encoders/flacEncoder";
import { createMp3Encoder } from "./encoders/mp3Encoder";

export const EXPORT_FORMATS = ["wav16", "wav24", "wav32f", "flac", "mp3"] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

/** The format named by --format, or by OUT's extension (.wav = 24-bit), or an error. */
export function resolveFormat(flag: string | undefined, outPath: string): ExportFormatName {
  if (flag !== undefined) {
    if ((EXPORT_FORMATS as readonly string[]).includes(flag)) return flag as ExportFormatName;
    throw new CliError("USAGE", `--format must be one of ${EXPORT_FORMATS.join(", ")}, not "${flag}"`);
  }
  const ext = outPath.toLowerCase().split(".").pop();
  if (ext === "wav") return "wav24";
  if (ext === "flac") return "flac";
  if (ext === "mp3") return "mp3";
  throw new CliError("USAGE", `cannot tell the format from "${outPath}": use --format ${EXPORT_FORMATS.join("|")}`);
}

/**
 * What the format asks of the chain's output stage (word length, and a sample rate MP3 can carry);
 * FLAC keeps the 16-bit word length of the chain's active output module.
 */
export function formatOverrides(
  format: ExportFormatName,
  inputRate: number,
  chain: Chain,
  requestedRate: number | undefined,
): Partial<OutputSettings> {
  const outputModule = chain.modules.find((m) => m.type === "output" && !m.bypass);
  const chainBitDepth = outputModule ? String((outputModule.params as Record<string, unknown>).bitDepth) : undefined;
  const o: { sampleRate?: number; bitDepth?: OutputSettings["bitDepth"] } = {};
  if (requestedRate !== undefined) o.sampleRate = requestedRate;
  if (format === "wav16") o.bitDepth = "16";
  else if (format === "wav24") o.bitDepth = "24";
  else if (format === "wav32f") o.bitDepth = "32f";
  else if (format === "flac") o.bitDepth = chainBitDepth === "16" ? "16" : "24";
  else {
    o.bitDepth = "32f"; // LAME takes float; its own quantisation replaces dither
    const rate = requestedRate ?? inputRate;
    if (![32_000, 44_100, 48_000].includes(rate)) {
      if (requestedRate !== undefined) throw new CliError("USAGE", `MP3 carries 32, 44.1 or 48 kHz, not ${rate} Hz`);
      o.sampleRate = inputRate % 11_025 === 0 ? 44_100 : 48_000;
    }
  }
  return o;
}

export async function createEncoder(
  format: ExportFormatName,
  o: { sampleRate: number; channels: number; bitDepth: OutputSettings["bitDepth"] },
): Promise<AudioEncoder> {
  switch (format) {
    case "wav16":
      return createWavEncoder({ ...o, format: "pcm16" });
    case "wav24":
      return createWavEncoder({ ...o, format: "pcm24" });
    case "wav32f":
      return createWavEncoder({ ...o, format: "float32" });
    case "flac":
      return createFlacEncoder({ ...o, bitsPerSample: o.bitDepth === "16" ? 16 : 24 });
    case "mp3":
      return createMp3Encoder(o);
  }
}
