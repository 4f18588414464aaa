/**
 * Content-addressed storage for audio bytes (uploads, exports). Callers hand over bytes and get back a
 * `BlobRef` whose key is derived from the content, so identical bytes are stored once and a key can
 * never point at different bytes. Two implementations share one contract (`blobStore.contract.test.ts`):
 * `LocalBlobStore` (a directory on disk) and `MemoryBlobStore` (for tests of code that uses storage).
 */

export type StorageErrorCode = "NOT_FOUND" | "TOO_LARGE" | "INVALID_KEY" | "IO";

export class StorageError extends Error {
  override name = "StorageError";
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where a blob lives and what it is. `key` is `sha256/<h0h1>/<h2h3>/<64 hex>`, a pure function of the bytes. */
export interface BlobRef {
  readonly key: string;
  readonly sha256: string;
  readonly size: number;
}

export interface PutOptions {
  /** Reject (code `TOO_LARGE`) and store nothing once the source yields more than this many bytes. */
  maxBytes?: number;
}

export type BlobSource = AsyncIterable<Uint8Array> | Uint8Array;

export interface BlobStore {
  /** Store the bytes; resolves once they are durable under their content address. Identical content dedupes. */
  put(source: BlobSource, opts?: PutOptions): Promise<BlobRef>;
  /** Stream the bytes. Errors (`INVALID_KEY`, `NOT_FOUND`, `IO`) surface on iteration. */
  get(key: string): AsyncIterable<Uint8Array>;
  has(key: string): Promise<boolean>;
  /** Size in bytes; `NOT_FOUND` if absent. */
  size(key: string): Promise<number>;
  /** Remove the blob; deleting an absent blob is a no-op (idempotent). */
  delete(key: string): Promise<void>;
  /** Absolute path of the blob's file, for processes that read files (e.g. ffmpeg). Does not check existence. */
  localPath?(key: string): string;
}

const KEY_PATTERN = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
const HEX_PATTERN = /^[0-9a-f]{64}$/;

/** The content address of a lowercase hex sha256 digest. */
export function blobKey(sha256: string): string {
  if (!HEX_PATTERN.test(sha256)) throw new StorageError("INVALID_KEY", "sha256 must be 64 lowercase hex digits");
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/**
 * Validate a key and return its digest. Only the exact shape `blobKey` produces is accepted, so `..`,
 * absolute paths, NUL, backslashes and any other path trickery are `INVALID_KEY` before touching a disk.
 */
export function parseBlobKey(key: string): string {
  const m = typeof key === "string" ? KEY_PATTERN.exec(key) : null;
  if (!m || m[3]!.slice(0, 2) !== m[1] || m[3]!.slice(2, 4) !== m[2]) {
    throw new StorageError("INVALID_KEY", `invalid blob key ${JSON.stringify(String(key).slice(0, 200))}`);
  }
  return m[3]!;
}

/** Validate `maxBytes`: a non-negative integer, or undefined for no limit. */
export function resolveMaxBytes(maxBytes: number | undefined): number {
  if (maxBytes === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new RangeError("maxBytes must be a non-negative integer");
  return maxBytes;
}

export function tooLarge(maxBytes: number): StorageError {
  return new StorageError("TOO_LARGE", `blob exceeds the limit of ${maxBytes} bytes`);
}

/** Treat both source shapes as a stream of chunks. */
export async function* chunksOf(source: BlobSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) yield source;
  else yield* source;
}
