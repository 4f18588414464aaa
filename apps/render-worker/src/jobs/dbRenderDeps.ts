import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Chain } from "@comaster/chain";
import { type BlobStore, type Db, type RenderJobRef, StorageError } from "@comaster/db";
import { CliError } from "../cliError";
import { EXPORT_FORMATS, type ExportFormatName } from "../exportFormat";
import { loadChain, parseChainJson, withOverrides } from "../loadChain";
import { masterChain } from "../masterFile";
import { type ExportRef, type RenderDeps, RenderJobError, type RenderJobPayload } from "./runRenderJob";

/** A render job payload as stored in the RenderJob table: its columns, and the worker's options. */
export type StoredRenderPayload = RenderJobPayload & RenderJobRef;

/** The payload for rendering `versionId`'s chain over `assetId` to `format` at `targetLufs`. */
export function renderPayload(ref: RenderJobRef): StoredRenderPayload {
  return { ...ref, options: { format: ref.format as ExportFormatName, targetLufs: ref.targetLufs } };
}

export interface DbRenderDepsOptions {
  readonly db: Db;
  /** Must store blobs as local files (`localPath`): the decoder reads the asset from disk. */
  readonly blobs: BlobStore & { localPath(key: string): string };
  /** Folder for renders in progress. */
  readonly tmpDir: string;
}

const EXTENSIONS: Record<ExportFormatName, string> = {
  wav16: "wav",
  wav24: "wav",
  wav32f: "wav",
  flac: "flac",
  mp3: "mp3",
};

/**
 * `RenderDeps` over the database and the blob store: the input is the asset's blob, the chain is the
 * job's stored version (its frozen chainJson, with the job's loudness target), and the export goes
 * into the blob store with one Export row per job (upserted, so a re-run after a lost lease replaces it).
 *
 * A job that can never render (no asset, its file gone from storage, a damaged chain, a file that is
 * not audio) fails at once (`permanent`) with a message a teacher can act on; a storage or disk
 * failure is retried.
 */
export function dbRenderDeps({ db, blobs, tmpDir }: DbRenderDepsOptions): RenderDeps {
  return {
    tempPath: (job) => join(tmpDir, `render-${job.id}.${EXTENSIONS[job.payload.options.format]}`),

    async loadInput(job) {
      const { assetId, versionId, options } = job.payload;
      if (!EXPORT_FORMATS.includes(options.format)) {
        throw new RenderJobError("BAD_JOB", `"${options.format}" is not an export format this app knows.`, true);
      }
      const asset = await db.asset.findUnique({ where: { id: assetId } });
      if (!asset) throw new RenderJobError("BAD_JOB", "The uploaded audio for this render has been deleted.", true);
      const chain = versionId === null ? await loadChain(options) : await versionChain(db, versionId, options);
      if (!(await blobs.has(asset.storageKey))) {
        throw new RenderJobError(
          "BAD_JOB",
          "The uploaded audio file for this render is missing from storage; upload the file again.",
          true,
        );
      }
      return { path: blobs.localPath(asset.storageKey), chain };
    },

    async master(job, input, output, onProgress) {
      try {
        return await masterChain(input.path, output, input.chain ?? (await loadChain(job.payload.options)), {
          ...job.payload.options,
          onProgress,
        });
      } catch (err) {
        throw readableInputError(err, input.path);
      }
    },

    async saveExport(job, path, mastered): Promise<ExportRef> {
      const { integratedLufs, truePeakDbtp } = mastered.analysis;
      try {
        if (integratedLufs === null || truePeakDbtp === null) {
          throw new RenderJobError("EXPORT", "The render is silent, so its loudness cannot be measured.", true);
        }
        const blob = await blobs.put(createReadStream(path)).catch((err: unknown) => {
          throw storageFailure(err);
        });
        const data = {
          storageKey: blob.key,
          contentHash: blob.sha256,
          byteSize: blob.size,
          format: job.payload.options.format,
          integratedLufs,
          truePeakDbtp,
        };
        const row = await db.export.upsert({
          where: { jobId: job.id },
          create: { jobId: job.id, ...data },
          update: data,
        });
        return { id: row.id, storageKey: row.storageKey, byteSize: row.byteSize };
      } finally {
        await rm(path, { force: true });
      }
    },
  };
}

/** The version's stored chain, validated, with the job's loudness target and ceiling. */
async function versionChain(db: Db, versionId: string, options: RenderJobPayload["options"]): Promise<Chain> {
  const version = await db.version.findUnique({ where: { id: versionId } });
  if (!version) throw new RenderJobError("BAD_JOB", "The version to render has been deleted.", true);
  const origin = `version "${version.label}"`;
  let json: unknown;
  try {
    json = JSON.parse(version.chainJson);
  } catch {
    throw new RenderJobError(
      "BAD_JOB",
      `The saved chain of ${origin} is damaged (not valid JSON); save it again.`,
      true,
    );
  }
  try {
    return withOverrides(parseChainJson(origin, json), origin, options);
  } catch (err) {
    // parseChainJson names the module and the parameter: already readable.
    if (err instanceof CliError)
      throw new RenderJobError("BAD_JOB", `The chain of ${err.message}`, true, { cause: err });
    throw err;
  }
}

/**
 * The decoder names the input by its storage path (`/…/sha256/ab/cd/…: not an audio file`), which
 * means nothing to a teacher: say "the uploaded audio" instead. A file that is not audio is permanent;
 * a read failure (I/O) may pass.
 */
function readableInputError(err: unknown, inputPath: string): unknown {
  if (!(err instanceof CliError) || !err.message.startsWith(`${inputPath}: `)) return err;
  const detail = err.message.slice(inputPath.length + 2);
  if (err.code === "IO") {
    return new RenderJobError("INPUT", `The uploaded audio could not be read (${detail}).`, false, { cause: err });
  }
  return new RenderJobError("BAD_JOB", `The uploaded audio cannot be mastered: ${detail}.`, true, { cause: err });
}

/** A failed write to storage, said plainly (the errno and path go to the `cause`); worth a retry. */
function storageFailure(err: unknown): RenderJobError {
  if (!(err instanceof StorageError)) {
    return new RenderJobError("EXPORT", "The finished render could not be saved.", false, { cause: err });
  }
  const errno = (err.cause as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    errno === "ENOSPC" || errno === "EDQUOT"
      ? "the storage disk is full"
      : errno === "EACCES" || errno === "EPERM" || errno === "EROFS"
        ? "the storage folder is not writable"
        : "the storage folder is not usable";
  return new RenderJobError("EXPORT", `The finished render could not be saved: ${reason}.`, false, { cause: err });
}
