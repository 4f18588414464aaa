import type { Chain } from "@comaster/chain";
import { CliError } from "../cliError";
import type { ExportFormatName } from "../exportFormat";
import type { ChainChoice } from "../loadChain";
import { masterChain, masterFile } from "../masterFile";
import type { Job } from "./jobQueue";

/** What a render job asks for: which asset, which version, and how to master it. */
export interface RenderJobPayload {
  readonly assetId: string;
  readonly versionId: string | null;
  readonly options: RenderOptions;
}

/** `masterFile`'s options without the progress callback (JSON, so it can live in the job row). */
export interface RenderOptions extends ChainChoice {
  readonly format: ExportFormatName;
  readonly sampleRate?: number;
}

/** Where an export was stored. Keyed by the job id: saving again for the same job replaces it. */
export interface ExportRef {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** The part of `masterFile`'s result the job records (a `MasterFileResult` fits). */
export interface MasterResult {
  readonly analysis: {
    readonly integratedLufs: number | null;
    readonly truePeakDbtp: number | null;
    readonly durationSeconds: number;
    readonly warnings: readonly string[];
    readonly master: { readonly targetLufs: number | null };
  };
}

export interface RenderJobResult {
  readonly export: ExportRef;
  readonly integratedLufs: number | null;
  readonly truePeakDbtp: number | null;
  readonly targetLufs: number | null;
  readonly durationSeconds: number;
  readonly warnings: readonly string[];
}

export type RenderJob = Job<RenderJobPayload, RenderJobResult>;

/** What `loadInput` found for a job: the audio to master and, when the job names one, its chain. */
export interface RenderInput {
  /** A local path to the job's input audio (downloaded from storage if need be). */
  readonly path: string;
  /** The validated chain to render (a stored version's); absent: `options` choose a preset or file. */
  readonly chain?: Chain;
}

/** The I/O a render needs, passed in. Every step receives the job, so no step keeps per-job state. */
export interface RenderDeps {
  /** Finds the input audio and the chain; a job that can never render fails here (`permanent`). */
  loadInput(job: RenderJob): Promise<RenderInput>;
  /** Masters `input` into `output` with the job's options, reporting progress (0–1). */
  master(
    job: RenderJob,
    input: RenderInput,
    output: string,
    onProgress: (fraction: number) => void,
  ): Promise<MasterResult>;
  /**
   * Stores the rendered file as the job's export, keyed by `job.id`: a re-run after a crash replaces
   * the earlier export instead of adding a second one. Owns the file at `path` afterwards. `mastered`
   * is what `master` measured.
   */
  saveExport(job: RenderJob, path: string, mastered: MasterResult): Promise<ExportRef>;
  /** Where to write the render: the same path for the same job id, so a re-run overwrites it. */
  tempPath(job: RenderJob): string;
}

export type RenderErrorCode = "INPUT" | "BAD_JOB" | "RENDER" | "EXPORT" | "LEASE_LOST" | "HANDED_BACK" | "STALLED";

/** A render failure with a code and a message a teacher can read. `permanent`: retrying cannot help. */
export class RenderJobError extends Error {
  override name = "RenderJobError";
  constructor(
    readonly code: RenderErrorCode,
    message: string,
    readonly permanent = false,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Renders one job: input → master → export. Progress (0–1) goes to `onProgress`, which may throw to
 * abort the render (the worker does when it loses the lease or hands the job back); masterFile then
 * removes its temporary files and nothing is exported.
 */
export async function runRenderJob(
  deps: RenderDeps,
  job: RenderJob,
  onProgress: (fraction: number) => void = () => {},
): Promise<RenderJobResult> {
  const input = await step("INPUT", "could not read the input audio", () => deps.loadInput(job));
  const output = deps.tempPath(job);
  const mastered = await step("RENDER", "the render failed", () => deps.master(job, input, output, onProgress));
  // Rendered: said once more before storing, so a job given up meanwhile (lease lost, handed back,
  // stalled) stops here instead of storing an export its retry will store too.
  onProgress(1);
  const ref = await step("EXPORT", "could not store the export", () => deps.saveExport(job, output, mastered));
  const a = mastered.analysis;
  return {
    export: ref,
    integratedLufs: a.integratedLufs,
    truePeakDbtp: a.truePeakDbtp,
    targetLufs: a.master.targetLufs,
    durationSeconds: a.durationSeconds,
    warnings: a.warnings,
  };
}

/** `RenderDeps.master` over the files: the input's chain if it has one, else the job's preset or chain file. */
export function masterWithFile(
  job: RenderJob,
  input: RenderInput,
  output: string,
  onProgress: (fraction: number) => void,
): Promise<MasterResult> {
  const options = { ...job.payload.options, onProgress };
  return input.chain ? masterChain(input.path, output, input.chain, options) : masterFile(input.path, output, options);
}

/** Any error as a `RenderJobError`: bad input or chain is permanent, anything else may be retried. */
export function toRenderJobError(err: unknown, code: RenderErrorCode = "RENDER", context?: string): RenderJobError {
  if (err instanceof RenderJobError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  const message = context ? `${context}: ${detail}` : detail;
  if (err instanceof CliError) {
    return new RenderJobError(err.code === "IO" ? code : "BAD_JOB", message, err.code !== "IO", { cause: err });
  }
  return new RenderJobError(code, message, false, { cause: err });
}

async function step<T>(code: RenderErrorCode, context: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw toRenderJobError(err, code, context);
  }
}
