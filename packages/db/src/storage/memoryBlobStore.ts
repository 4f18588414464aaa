import { createHash } from "node:crypto";
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

/** `BlobStore` in memory, with the same contract as `LocalBlobStore`; for tests of code that uses storage. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Uint8Array>();

  /** `chunkSize`: how `get` slices a blob, so consumers are exercised with several chunks. */
  constructor(private readonly chunkSize = 64 * 1024) {}

  async put(source: BlobSource, opts?: PutOptions): Promise<BlobRef> {
    const max = resolveMaxBytes(opts?.maxBytes);
    const hash = createHash("sha256");
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of chunksOf(source)) {
      if (size + chunk.byteLength > max) throw tooLarge(max);
      size += chunk.byteLength;
      hash.update(chunk);
      parts.push(chunk.slice()); // copy: the caller may reuse its buffer
    }
    const sha256 = hash.digest("hex");
    const key = blobKey(sha256);
    if (!this.blobs.has(key)) {
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.byteLength;
      }
      this.blobs.set(key, bytes);
    }
    return { key, sha256, size };
  }

  async *get(key: string): AsyncIterable<Uint8Array> {
    const bytes = this.require(key);
    for (let at = 0; at < bytes.byteLength; at += this.chunkSize) {
      yield bytes.slice(at, at + this.chunkSize);
    }
  }

  async has(key: string): Promise<boolean> {
    parseBlobKey(key);
    return this.blobs.has(key);
  }

  async size(key: string): Promise<number> {
    return this.require(key).byteLength;
  }

  async delete(key: string): Promise<void> {
    parseBlobKey(key);
    this.blobs.delete(key);
  }

  private require(key: string): Uint8Array {
    parseBlobKey(key);
    const bytes = this.blobs.get(key);
    if (!bytes) throw new StorageError("NOT_FOUND", `no blob ${key}`);
    return bytes;
  }
}
