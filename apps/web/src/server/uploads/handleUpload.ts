import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { basename } from "node:path";
import { type BlobStore, blobKey, createAsset, type Db, MAX_ASSET_BYTES } from "@comaster/db";
import { analyzeWithCli } from "./analyzeWithCli";
import { type ReceivedUpload, receiveUpload, tooLarge } from "./receiveUpload";
import { figuresOf, type UploadAnalysis, type UploadFigures } from "./uploadAnalysis";
import { errorResponse, UploadError } from "./uploadError";

/** The limit for one mix. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 ** 3;

export interface UploadDeps {
  db: Db;
  store: BlobStore;
  /** The caller has checked that `userId` may upload to `projectId`. */
  projectId: string;
  /** Who uploads. Not recorded yet: the Asset model has no uploader column. */
  userId: string;
  /** Default `DEFAULT_MAX_UPLOAD_BYTES` (1 GiB); at most 2^31 − 1 (the byteSize column). */
  maxBytes?: number;
  /** Where uploads are spooled before they are analysed and stored. */
  tmpDir: string;
  /** Default `analyzeWithCli` (a child process). */
  analyze?: (path: string) => Promise<UploadAnalysis>;
  /** Called with failures that are the server's fault (500s), for logging. */
  onInternalError?: (err: unknown) => void;
}

/** The 201 body: the new asset, its file facts and the figures the upload page shows. */
export interface UploadedAsset extends UploadFigures {
  id: string;
  projectId: string;
  fileName: string;
  format: string;
  codec: string;
  bitsPerSample: number | null;
  byteSize: number;
  contentHash: string;
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  createdAt: string;
  warnings: string[];
  waveform: UploadAnalysis["waveform"] | null;
}

export const FILE_NAME_HEADER = "x-file-name";

/**
 * The upload route's body: `request.body` is the raw file, `x-file-name` its URI-encoded name. Streams
 * it to a temp file (hashing, counting, sniffing the format from the first bytes), analyses it, then
 * stores the file (content-addressed, reused if already there) and its Asset row. Answers 201
 * `{ asset }`, or `{ error: { code, message } }` with 400/413/415/422/500. Whatever fails, the temp file
 * is removed and neither a blob nor a row is left behind.
 */
export async function handleUpload(request: Request, deps: UploadDeps): Promise<Response> {
  try {
    const asset = await upload(request, deps);
    return Response.json({ asset }, { status: 201 });
  } catch (err) {
    // Refused before reading (bad headers, Content-Length over the limit): do not read the rest.
    if (request.body && !request.body.locked) await request.body.cancel().catch(() => {});
    if (err instanceof UploadError) {
      if (err.status >= 500) deps.onInternalError?.(err);
      return errorResponse(err);
    }
    deps.onInternalError?.(err);
    return errorResponse(new UploadError("INTERNAL", "The upload failed on the server; nothing was stored."));
  }
}

async function upload(request: Request, deps: UploadDeps): Promise<UploadedAsset> {
  const maxBytes = deps.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 0 || maxBytes > MAX_ASSET_BYTES) {
    throw new RangeError(`maxBytes must be an integer from 0 to ${MAX_ASSET_BYTES}`);
  }
  const fileName = readFileName(request);
  const declaredBytes = readContentLength(request);
  if (declaredBytes !== undefined && declaredBytes > maxBytes) throw tooLarge(maxBytes);

  const received = await receiveUpload(request.body, { tmpDir: deps.tmpDir, maxBytes, declaredBytes, fileName });
  try {
    const analysis = await analyzeUpload(received.path, fileName, deps.analyze ?? analyzeWithCli);
    const { key, isNew } = await storeFile(deps.store, received);
    const { waveform, ...figures } = analysis;
    const { file: _tempPath, ...stored } = figures as typeof figures & { file?: unknown };
    let row: Awaited<ReturnType<typeof createAsset>>;
    try {
      row = await createAsset(deps.db, {
        projectId: deps.projectId,
        contentHash: received.sha256,
        format: received.format,
        durationSeconds: analysis.durationSeconds,
        sampleRate: analysis.sampleRate,
        channels: analysis.channels,
        analysis: { ...stored, fileName },
        waveform,
        storageKey: key,
        byteSize: received.byteSize,
      });
    } catch (cause) {
      if (isNew) await deleteIfUnreferenced(deps, key);
      throw new UploadError("STORAGE_FAILED", "The file could not be recorded; nothing was stored.", { cause });
    }
    return {
      id: row.id,
      projectId: row.projectId,
      fileName,
      format: row.format,
      codec: analysis.codec,
      bitsPerSample: analysis.bitsPerSample,
      byteSize: row.byteSize,
      contentHash: row.contentHash,
      durationSeconds: row.durationSeconds,
      sampleRate: row.sampleRate,
      channels: row.channels,
      createdAt: row.createdAt.toISOString(),
      ...figuresOf(analysis),
      warnings: analysis.warnings,
      waveform: waveform ?? null,
    };
  } finally {
    await rm(received.path, { force: true });
  }
}

function readFileName(request: Request): string {
  const raw = request.headers.get(FILE_NAME_HEADER);
  if (!raw) throw new UploadError("BAD_REQUEST", `Missing the ${FILE_NAME_HEADER} header (the URI-encoded file name).`);
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new UploadError("BAD_REQUEST", `The ${FILE_NAME_HEADER} header is not URI-encoded.`);
  }
  // Only the last path segment, without control characters (the name shows up in messages and JSON).
  const printable = [...name].filter((ch) => ch >= " " && ch !== "\u007f").join("");
  name = basename(printable.replace(/\\/g, "/")).trim();
  if (name === "" || name.length > 255)
    throw new UploadError("BAD_REQUEST", "The file name must be 1 to 255 characters.");
  return name;
}

function readContentLength(request: Request): number | undefined {
  const raw = request.headers.get("content-length");
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) {
    throw new UploadError("BAD_REQUEST", "The Content-Length header is not a byte count.");
  }
  return n;
}

async function analyzeUpload(
  path: string,
  fileName: string,
  analyze: (path: string) => Promise<UploadAnalysis>,
): Promise<UploadAnalysis> {
  try {
    return await analyze(path);
  } catch (err) {
    if (err instanceof UploadError && err.code === "UNREADABLE_AUDIO") {
      throw new UploadError("UNREADABLE_AUDIO", `${JSON.stringify(fileName)} could not be read: ${err.message}`, {
        cause: err,
      });
    }
    if (err instanceof UploadError) throw err;
    throw new UploadError("ANALYSIS_FAILED", "The analysis failed unexpectedly; nothing was stored.", { cause: err });
  }
}

/** Put the spooled file under its content address, unless those bytes are stored already. */
async function storeFile(store: BlobStore, received: ReceivedUpload): Promise<{ key: string; isNew: boolean }> {
  const key = blobKey(received.sha256);
  try {
    if (await store.has(key)) return { key, isNew: false };
    const ref = await store.put(createReadStream(received.path, { highWaterMark: 256 * 1024 }));
    if (ref.key !== key) {
      await store.delete(ref.key);
      throw new Error(`the spooled file changed: stored ${ref.key}, expected ${key}`);
    }
    return { key, isNew: true };
  } catch (cause) {
    throw new UploadError("STORAGE_FAILED", "The file could not be stored; nothing was kept.", { cause });
  }
}

/** Undo a blob this upload added, unless a row (another upload of the same bytes) points at it by now. */
async function deleteIfUnreferenced(deps: UploadDeps, key: string): Promise<void> {
  try {
    const [assets, exports] = await Promise.all([
      deps.db.asset.count({ where: { storageKey: key } }),
      deps.db.export.count({ where: { storageKey: key } }),
    ]);
    if (assets === 0 && exports === 0) await deps.store.delete(key);
  } catch (err) {
    deps.onInternalError?.(err); // the blob stays: an orphan costs disk, a dangling row would cost data
  }
}
