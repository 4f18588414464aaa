import { createHash, randomUUID } from "node:crypto";
import { type FileHandle, lstat, mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import {
  type BlobRef,
  type BlobSource,
  type BlobStore,
  blobKey,
  chunksOf,
  type PutOptions,
  parseBlobKey,
  resolveMaxBytes,
  StorageError,
  tooLarge,
} from "./blobStore";

export interface LocalBlobStoreOptions {
  /** Limit applied when `put` is called without `maxBytes` (e.g. 1 GiB for uploads). Default: none. */
  maxBytes?: number;
  /** Size of the chunks `get` yields. Default 256 KiB. */
  readChunkSize?: number;
}

/** Temp files live here, inside the root, so the final `rename` never crosses a filesystem. */
const TMP_DIR = ".tmp";
const TMP_SUFFIX = ".tmp";

/**
 * `BlobStore` on a local directory. Layout: `<root>/sha256/ab/cd/<hex>` for blobs, `<root>/.tmp/*.tmp`
 * for writes in progress. A write streams to a temp file while hashing, fsyncs, then renames to its
 * content address, so a crash leaves at most a temp file (see `sweepTemps`), never a partial blob.
 */
export class LocalBlobStore implements BlobStore {
  readonly root: string;
  private readonly tmpDir: string;
  private readonly defaultMaxBytes: number | undefined;
  private readonly readChunkSize: number;

  constructor(root: string, options: LocalBlobStoreOptions = {}) {
    this.root = resolve(root);
    this.tmpDir = join(this.root, TMP_DIR);
    this.defaultMaxBytes = options.maxBytes;
    resolveMaxBytes(options.maxBytes); // validate early
    this.readChunkSize = options.readChunkSize ?? 256 * 1024;
  }

  async put(source: BlobSource, opts?: PutOptions): Promise<BlobRef> {
    const max = resolveMaxBytes(opts?.maxBytes ?? this.defaultMaxBytes);
    await io("create temp directory", mkdir(this.tmpDir, { recursive: true }));
    const tmp = join(this.tmpDir, `${randomUUID()}${TMP_SUFFIX}`);
    let fh: FileHandle | undefined;
    try {
      fh = await io("create temp file", open(tmp, "wx"));
      const hash = createHash("sha256");
      let size = 0;
      for await (const chunk of chunksOf(source)) {
        if (size + chunk.byteLength > max) throw tooLarge(max);
        size += chunk.byteLength;
        hash.update(chunk);
        await writeAll(fh, chunk);
      }
      await io("fsync temp file", fh.sync());
      await io("close temp file", fh.close());
      fh = undefined;

      const sha256 = hash.digest("hex");
      const key = blobKey(sha256);
      const final = this.localPath(key);
      await io("create blob directory", mkdir(dirname(final), { recursive: true }));
      const existing = await io("stat blob", stat(final).catch(ifMissing(undefined)));
      if (existing?.isFile() && existing.size === size) {
        await io("remove temp file", unlink(tmp)); // dedupe: the same bytes are already stored
      } else {
        await io("publish blob", rename(tmp, final)); // atomic: readers see all of it or nothing
        await syncDir(dirname(final));
      }
      return { key, sha256, size };
    } catch (e) {
      await fh?.close().catch(() => {});
      await rm(tmp, { force: true }).catch(() => {});
      throw e; // StorageError, or the source's own error as thrown
    }
  }

  async *get(key: string): AsyncIterable<Uint8Array> {
    const path = this.localPath(key);
    const fh = await open(path, "r").catch((e: unknown) => {
      throw isMissing(e) ? new StorageError("NOT_FOUND", `no blob ${key}`) : ioError("open blob", e);
    });
    try {
      for (;;) {
        const buf = new Uint8Array(this.readChunkSize);
        const { bytesRead } = await io("read blob", fh.read(buf, 0, buf.byteLength, null));
        if (bytesRead === 0) return;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close().catch(() => {});
    }
  }

  async has(key: string): Promise<boolean> {
    const s = await io("stat blob", stat(this.localPath(key)).catch(ifMissing(undefined)));
    return s?.isFile() ?? false;
  }

  async size(key: string): Promise<number> {
    const s = await io("stat blob", stat(this.localPath(key)).catch(ifMissing(undefined)));
    if (!s?.isFile()) throw new StorageError("NOT_FOUND", `no blob ${key}`);
    return s.size;
  }

  async delete(key: string): Promise<void> {
    await io("delete blob", unlink(this.localPath(key)).catch(ifMissing(undefined)));
  }

  localPath(key: string): string {
    const hex = parseBlobKey(key); // throws INVALID_KEY: the path below is built only from validated hex
    return join(this.root, "sha256", hex.slice(0, 2), hex.slice(2, 4), hex);
  }

  /**
   * Remove temp files last modified more than `olderThanMs` ago (left by crashed or killed writers).
   * Choose a threshold well above the longest upload, or a live write loses its temp file and fails.
   * Returns how many were removed.
   */
  async sweepTemps(olderThanMs: number, now: number = Date.now()): Promise<number> {
    const names = await io("list temp directory", readdir(this.tmpDir).catch(ifMissing([] as string[])));
    let removed = 0;
    for (const name of names) {
      if (!name.endsWith(TMP_SUFFIX)) continue;
      const path = join(this.tmpDir, name);
      const s = await io("stat temp file", lstat(path).catch(ifMissing(undefined)));
      if (!s?.isFile() || now - s.mtimeMs <= olderThanMs) continue;
      await io("remove temp file", rm(path, { force: true }));
      removed++;
    }
    return removed;
  }
}

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let at = 0;
  while (at < chunk.byteLength) {
    const { bytesWritten } = await io("write temp file", fh.write(chunk, at, chunk.byteLength - at));
    at += bytesWritten;
  }
}

/** fsync a directory so the rename itself survives a power loss; not supported everywhere, so best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // e.g. Windows cannot open directories; the data itself was already fsynced.
  }
}

function isMissing(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function ifMissing<T>(value: T): (e: unknown) => T {
  return (e) => {
    if (isMissing(e)) return value;
    throw e;
  };
}

function ioError(what: string, cause: unknown): StorageError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new StorageError("IO", `${what}: ${detail}`, { cause });
}

/** Wrap filesystem failures as `IO` errors, leaving `StorageError`s as they are. */
async function io<T>(what: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw e instanceof StorageError ? e : ioError(what, e);
  }
}
