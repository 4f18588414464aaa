import { existsSync, rmSync } from "node:fs";
import { type FileHandle, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Chain } from "@comaster/chain";
import { type MasterReport, type MasterSink, type ModulePlan, master, type StageRunner } from "@comaster/dsp";
import { analyzeFile, describe, type FileAnalysis } from "./analyzeFile";
import { CliError } from "./cliError";
import { createEncoder, type ExportFormatName, formatOverrides } from "./exportFormat";
import { type ChainChoice, loadChain } from "./loadChain";
import { pipelinedStage } from "./pipelineStage";
import { openAudioSource } from "./readAudioFile";

export interface MasterFileOptions extends ChainChoice {
  readonly format: ExportFormatName;
  readonly sampleRate?: number;
  onProgress?(fraction: number): void;
}

export interface MasterFileResult {
  readonly report: MasterReport;
  /** The analysis of the file as written (same keys as `comaster analyze`), and how it was made. */
  readonly analysis: FileAnalysis & {
    readonly master: Pick<MasterReport, "targetLufs" | "ceilingDbtp" | "loudnessGainDb" | "passes" | "output">;
  };
}

/** Temporary files of renders in progress, removed on failure and on SIGINT/SIGTERM. */
export const pendingTemps = new Set<string>();

/**
 * Masters IN to OUT with the chain. Validation (chain, format, output folder) happens before any
 * audio is read; every pass is written to a temporary file beside OUT, and only the accepted one is
 * renamed to OUT, so OUT is never a half-written file, whatever happens.
 */
export async function masterFile(input: string, output: string, o: MasterFileOptions): Promise<MasterFileResult> {
  return masterChain(input, output, await loadChain(o), o);
}

/** `masterFile` with a chain already parsed and validated (a stored version's, in the worker). */
export async function masterChain(
  input: string,
  output: string,
  chain: Chain,
  o: Pick<MasterFileOptions, "format" | "sampleRate" | "onProgress">,
): Promise<MasterFileResult> {
  await checkOutputPath(output);
  const source = await openAudioSource(input);
  const temps: string[] = [];
  try {
    const overrides = formatOverrides(o.format, source.sampleRate, chain, o.sampleRate);
    const report = await master(source, {
      modules: chain.modules as readonly ModulePlan[],
      stage: stageRunner(),
      output: overrides,
      onProgress: o.onProgress,
      openSink: async (pass, fmt) => {
        const path = join(dirname(output), `.${basename(output)}.comaster-${process.pid}-${pass}.tmp`);
        temps.push(path);
        pendingTemps.add(path);
        return fileSink(path, await createEncoder(o.format, { ...fmt, bitDepth: overrides.bitDepth ?? "24" }));
      },
    });
    const accepted = temps[report.acceptedPass - 1]!;
    await rename(accepted, output);
    pendingTemps.delete(accepted);
    // Lossy MP3 differs from the samples the master measured: measure the file as written.
    const analysis =
      o.format === "mp3"
        ? await analyzeFile(output)
        : describe(
            output,
            {
              format: o.format.startsWith("wav") ? "wav" : "flac",
              codec: o.format,
              bitsPerSample: bits(report),
              nonFiniteSamples: 0,
              warnings: [],
            },
            report.analysis,
            false,
          );
    return {
      report,
      analysis: {
        ...analysis,
        warnings: [...source.warnings, ...report.warnings, ...analysis.warnings],
        master: {
          targetLufs: report.targetLufs,
          ceilingDbtp: report.ceilingDbtp,
          loudnessGainDb: report.loudnessGainDb,
          passes: report.passes,
          output: report.output,
        },
      },
    };
  } finally {
    await source.close();
    for (const t of temps) {
      if (pendingTemps.delete(t)) await rm(t, { force: true });
    }
  }
}

/**
 * Two threads for the heavy first stage when the bundled worker script is there (the built CLI);
 * COMASTER_THREADS=1 keeps everything in one thread (the output is the same either way).
 */
export function stageRunner(): StageRunner | undefined {
  if (process.env.COMASTER_THREADS === "1") return undefined;
  const url = stageWorkerUrl();
  return url ? pipelinedStage(url) : undefined;
}

/**
 * The bundled worker script, dist/stageWorker.js. This module is bundled into the entry (dist/) or,
 * when the CLI and the worker process share it, into a chunk (dist/chunks/): look in both places.
 * Run from source (tests), there is none.
 */
function stageWorkerUrl(): URL | undefined {
  return [new URL("./stageWorker.js", import.meta.url), new URL("../stageWorker.js", import.meta.url)].find((u) =>
    existsSync(fileURLToPath(u)),
  );
}

function bits(report: MasterReport): number | null {
  return report.output.bitDepth === "32f" ? 32 : Number(report.output.bitDepth);
}

async function checkOutputPath(output: string): Promise<void> {
  const dir = dirname(resolve(output));
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new CliError("IO", `${output}: the folder ${dir} does not exist`);
  const existing = await stat(output).catch(() => null);
  if (existing?.isDirectory()) throw new CliError("BAD_INPUT", `${output}: is a directory`);
}

/** Writes one pass through an encoder to a file; header patches are applied on close. */
async function fileSink(path: string, encoder: Awaited<ReturnType<typeof createEncoder>>): Promise<MasterSink> {
  const handle: FileHandle = await open(path, "w", 0o644);
  let position = 0;
  const append = async (bytes: Uint8Array) => {
    if (bytes.length === 0) return;
    await handle.write(bytes, 0, bytes.length, position);
    position += bytes.length;
  };
  return {
    async write(channels, frames) {
      await append(await encoder.encode(channels, frames));
    },
    async close() {
      try {
        const tail = await encoder.finish();
        await append(tail.tail);
        for (const p of tail.patches) await handle.write(p.bytes, 0, p.bytes.length, p.offset);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * On SIGINT/SIGTERM, removes the temporary files of renders in progress, then exits with the
 * conventional code (128 + signal). OUT is never touched: it only ever appears by rename.
 */
export function removeTempsOnSignals(): void {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      for (const path of pendingTemps) {
        try {
          rmSync(path, { force: true });
        } catch {
          // best effort: the process is going away
        }
      }
      process.exit(code);
    });
  }
}
