import type { Db } from "./client";

/** A stored, analysed mix as the upload stage records it. */
export interface NewAsset {
  projectId: string;
  /** Lowercase hex sha256 of the file's bytes. */
  contentHash: string;
  /** Container: "wav" | "aiff" | "flac" | "mp3". */
  format: string;
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  /** The analysis (figures, spectrum, timeline…), stored as JSON. */
  analysis: unknown;
  /** The waveform overview, stored as JSON apart from the analysis (it is the bulky part). */
  waveform?: unknown;
  /** BlobStore key of the file. */
  storageKey: string;
  /** File size in bytes; at most 2^31 − 1 (an `Int` column on PostgreSQL). */
  byteSize: number;
}

export const MAX_ASSET_BYTES = 2 ** 31 - 1;

export function createAsset(db: Db, asset: NewAsset) {
  if (!Number.isInteger(asset.byteSize) || asset.byteSize < 0 || asset.byteSize > MAX_ASSET_BYTES) {
    throw new RangeError(`byteSize must be an integer from 0 to ${MAX_ASSET_BYTES}`);
  }
  const { analysis, waveform, ...columns } = asset;
  return db.asset.create({
    data: {
      ...columns,
      analysisJson: JSON.stringify(analysis ?? null),
      waveformJson: waveform === undefined ? null : JSON.stringify(waveform),
    },
  });
}

export interface ListAssetsOptions {
  /** Include `waveformJson` (tens of KiB per asset). Default false: it is null in the result. */
  withWaveform?: boolean;
}

/** A project's assets, oldest first. */
export async function listAssets(db: Db, projectId: string, options: ListAssetsOptions = {}) {
  const rows = await db.asset.findMany({
    where: { projectId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    omit: { waveformJson: !options.withWaveform },
  });
  return rows.map((r) => ({ ...r, waveformJson: (r as { waveformJson?: string | null }).waveformJson ?? null }));
}
