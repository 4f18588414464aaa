import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Chain } from "@comaster/chain";
import type { BlobStore, Db, RenderJobRef } from "@comaster/db";
import { EXPORT_FORMATS, type ExportFormatName } from "../exportFormat";
import { loadChain, parseChainJson, withOverrides } from "../loadChain";
import { type MasterFileResult, masterChain } from "../masterFile";
import { type ExportRef, type RenderDeps, type RenderJob, RenderJobError, type RenderJobPayload } from "./runRenderJob";

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
 * `master` and `saveExport` only see the output path, so the chain (from `loadInput`) and the
 * measurements (from `master`) are kept per output path, which is unique per job (`tempPath`).
 */
export function dbRenderDeps({ db, blobs, tmpDir }: DbRenderDepsOptions): RenderDeps {
  const chains = new Map<string, Chain>();
  const measured = new Map<string, MasterFileResult["analysis"]>();
  const tempPath = (job: RenderJob) => join(tmpDir, `render-${job.id}.${EXTENSIONS[job.payload.options.format]}`);

  return {
    tempPath,

    async loadInput(job) {
      const { assetId, versionId, options } = job.payload;
      if (!EXPORT_FORMATS.includes(options.format)) {
        throw new RenderJobError("BAD_JOB", `unknown export format "${options.format}"`, true);
      }
      const asset = await db.asset.findUnique({ where: { id: assetId } });
      if (!asset) throw new RenderJobError("BAD_JOB", `the asset ${assetId} does not exist`, true);
      let chain: Chain;
      if (versionId === null) {
        chain = await loadChain(options);
      } else {
        const version = await db.version.findUnique({ where: { id: versionId } });
        if (!version) throw new RenderJobError("BAD_JOB", `the version ${versionId} does not exist`, true);
        const origin = `version "${version.label}"`;
        let json: unknown;
        try {
          json = JSON.parse(version.chainJson);
        } catch {
          throw new RenderJobError("BAD_JOB", `${origin}: its chain is not valid JSON`, true);
        }
        chain = withOverrides(parseChainJson(origin, json), origin, options);
      }
      chains.set(tempPath(job), chain);
      return blobs.localPath(asset.storageKey);
    },

    async master(input, output, options, onProgress) {
      const chain = chains.get(output);
      if (!chain) throw new RenderJobError("RENDER", `no chain was loaded for ${output}`);
      chains.delete(output);
      const result = await masterChain(input, output, chain, { ...options, onProgress });
      measured.set(output, result.analysis);
      return result;
    },

    async saveExport(job, path): Promise<ExportRef> {
      const analysis = measured.get(path);
      measured.delete(path);
      if (analysis?.integratedLufs == null || analysis.truePeakDbtp == null) {
        await rm(path, { force: true });
        throw new RenderJobError("EXPORT", "the render has no loudness measurement (is it silent?)", true);
      }
      try {
        const blob = await blobs.put(createReadStream(path));
        const data = {
          storageKey: blob.key,
          contentHash: blob.sha256,
          byteSize: blob.size,
          format: job.payload.options.format,
          integratedLufs: analysis.integratedLufs,
          truePeakDbtp: analysis.truePeakDbtp,
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
