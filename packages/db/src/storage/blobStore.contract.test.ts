import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type BlobStore, blobKey, StorageError } from "./blobStore";
import { LocalBlobStore } from "./localBlobStore";
import { MemoryBlobStore } from "./memoryBlobStore";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempRoot(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "comaster-blobs-"));
  dirs.push(d);
  return d;
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function* chunked(b: Uint8Array, size: number, opts: { failAt?: number; delayMs?: number } = {}) {
  for (let at = 0; at < b.byteLength; at += size) {
    if (opts.failAt !== undefined && at >= opts.failAt) throw new Error("source died");
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    yield b.slice(at, at + size);
  }
}

async function readAll(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return new Uint8Array(Buffer.concat(parts));
}

async function code(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    return e instanceof StorageError ? e.code : `not a StorageError: ${String(e)}`;
  }
  return undefined;
}

/** Every file under `root`, relative, sorted. */
async function files(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

const HOSTILE_KEYS = [
  "../../etc/passwd",
  "sha256/../x",
  "/abs",
  "a\0b",
  "sha256\\ab\\cd\\x",
  "",
  `${blobKey("ab".repeat(32))}/../../x`,
  `/${blobKey("ab".repeat(32))}`,
  `${blobKey("ab".repeat(32))}\n`,
  `sha256/ab/cd/${"AB".repeat(32)}`, // uppercase
  `sha256/00/00/${"ab".repeat(32)}`, // fan-out does not match the digest
  `sha256/ab/ab/${"ab".repeat(31)}a\0`,
];

const implementations: [string, () => Promise<BlobStore>][] = [
  ["MemoryBlobStore", async () => new MemoryBlobStore(1000)],
  ["LocalBlobStore", async () => new LocalBlobStore(await tempRoot(), { readChunkSize: 1000 })],
];

describe.each(implementations)("BlobStore contract: %s", (_name, make) => {
  it("round-trips a Uint8Array and addresses it by sha256", async () => {
    const store = await make();
    const data = bytes(5000);
    const ref = await store.put(data);
    expect(ref).toEqual({ key: blobKey(sha(data)), sha256: sha(data), size: 5000 });
    expect(ref.key).toMatch(/^sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(await readAll(store.get(ref.key))).toEqual(data);
  });

  it("round-trips an async iterable of many chunks and streams it back in several chunks", async () => {
    const store = await make();
    const data = bytes(100_003, 7);
    const ref = await store.put(chunked(data, 997));
    expect(ref.size).toBe(data.byteLength);
    expect(ref.sha256).toBe(sha(data));
    const chunks: Uint8Array[] = [];
    for await (const c of store.get(ref.key)) chunks.push(c);
    expect(chunks.length).toBeGreaterThan(1);
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(data);
  });

  it("stores the empty blob", async () => {
    const store = await make();
    const ref = await store.put(new Uint8Array(0));
    expect(ref.size).toBe(0);
    expect(await store.size(ref.key)).toBe(0);
    expect((await readAll(store.get(ref.key))).byteLength).toBe(0);
  });

  it("dedupes identical content regardless of chunking", async () => {
    const store = await make();
    const data = bytes(4096, 3);
    const a = await store.put(data);
    const b = await store.put(chunked(data, 100));
    expect(b).toEqual(a);
    expect(await readAll(store.get(a.key))).toEqual(data);
  });

  it("copies input: mutating the caller's buffer afterwards does not change the blob", async () => {
    const store = await make();
    const data = bytes(100, 4);
    const ref = await store.put(data);
    data.fill(0);
    expect(sha(await readAll(store.get(ref.key)))).toBe(ref.sha256);
  });

  it("has / size / delete, with delete idempotent", async () => {
    const store = await make();
    const ref = await store.put(bytes(321, 5));
    expect(await store.has(ref.key)).toBe(true);
    expect(await store.size(ref.key)).toBe(321);
    await store.delete(ref.key);
    expect(await store.has(ref.key)).toBe(false);
    await expect(store.delete(ref.key)).resolves.toBeUndefined();
  });

  it("NOT_FOUND for a well-formed key that is not stored", async () => {
    const store = await make();
    const key = blobKey(sha(bytes(10, 9)));
    expect(await store.has(key)).toBe(false);
    expect(await code(store.size(key))).toBe("NOT_FOUND");
    expect(await code(readAll(store.get(key)))).toBe("NOT_FOUND");
  });

  it("TOO_LARGE past maxBytes and stores nothing; exactly maxBytes is accepted", async () => {
    const store = await make();
    const data = bytes(10_000, 11);
    expect(await code(store.put(chunked(data, 1000), { maxBytes: 9_999 }))).toBe("TOO_LARGE");
    expect(await code(store.put(data, { maxBytes: 9_999 }))).toBe("TOO_LARGE");
    expect(await store.has(blobKey(sha(data)))).toBe(false);
    expect((await store.put(data, { maxBytes: 10_000 })).size).toBe(10_000);
  });

  it("stops pulling from the source once TOO_LARGE", async () => {
    const store = await make();
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield new Uint8Array(1024);
      }
    }
    expect(await code(store.put(endless(), { maxBytes: 4096 }))).toBe("TOO_LARGE");
    expect(pulled).toBe(5);
  });

  it.each(HOSTILE_KEYS)("INVALID_KEY for %j on every operation", async (key) => {
    const store = await make();
    expect(await code(store.has(key))).toBe("INVALID_KEY");
    expect(await code(store.size(key))).toBe("INVALID_KEY");
    expect(await code(store.delete(key))).toBe("INVALID_KEY");
    expect(await code(readAll(store.get(key)))).toBe("INVALID_KEY");
    if (store.localPath) expect(await code(() => store.localPath!(key))).toBe("INVALID_KEY");
  });
});

describe("LocalBlobStore", () => {
  it("lays blobs out at <root>/<key> and exposes that path", async () => {
    const root = await tempRoot();
    const store = new LocalBlobStore(root);
    const ref = await store.put(bytes(10));
    expect(store.localPath(ref.key)).toBe(join(root, ...ref.key.split("/")));
    expect(await files(root)).toEqual([join(...ref.key.split("/"))]);
  });

  it("a source that throws midway leaves no blob under the key and no partial file", async () => {
    const root = await tempRoot();
    const store = new LocalBlobStore(root);
    const data = bytes(50_000, 13);
    await expect(store.put(chunked(data, 1000, { failAt: 25_000 }))).rejects.toThrow("source died");
    expect(await store.has(blobKey(sha(data)))).toBe(false);
    expect(await files(root)).toEqual([]);
  });

  it("a hard crash leaves only a temp file, which is invisible as a blob and swept later", async () => {
    const root = await tempRoot();
    const store = new LocalBlobStore(root);
    const data = bytes(2000, 17);
    // What a writer killed before rename leaves behind: the first half, in the temp directory.
    await store.put(bytes(1)); // creates the directory tree
    const orphan = join(root, ".tmp", "killed-writer.tmp");
    await writeFile(orphan, data.subarray(0, 1000));
    expect(await store.has(blobKey(sha(data)))).toBe(false);
    expect(await code(store.size(blobKey(sha(data))))).toBe("NOT_FOUND");
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(orphan, old, old);
    expect(await store.sweepTemps(3600_000)).toBe(1);
    expect((await files(root)).some((f) => f.startsWith(".tmp"))).toBe(false);
  });

  it("TOO_LARGE removes its temp file; the constructor's maxBytes is the default limit", async () => {
    const root = await tempRoot();
    const store = new LocalBlobStore(root, { maxBytes: 100 });
    expect(await code(store.put(bytes(101)))).toBe("TOO_LARGE");
    expect(await code(store.put(chunked(bytes(500), 50)))).toBe("TOO_LARGE");
    expect(await files(root)).toEqual([]);
    expect((await store.put(bytes(101), { maxBytes: 101 })).size).toBe(101);
  });

  it("concurrent puts of the same content both succeed and leave one file", async () => {
    const root = await tempRoot();
    const store = new LocalBlobStore(root);
    const data = bytes(20_000, 19);
    const refs = await Promise.all([0, 1, 2].map(() => store.put(chunked(data, 2000, { delayMs: 1 }))));
    expect(new Set(refs.map((r) => r.key)).size).toBe(1);
    expect(await files(root)).toEqual([join(...refs[0]!.key.split("/"))]);
    expect(await readAll(store.get(refs[0]!.key))).toEqual(data);
  });

  it("sweepTemps removes only temp files older than the threshold", async () => {
    const root = await tempRoot();
    const store = new LocalBlobStore(root);
    expect(await store.sweepTemps(0)).toBe(0); // no temp directory yet
    const ref = await store.put(bytes(10));
    const now = Date.now();
    const at = (ms: number) => new Date(now - ms);
    await writeFile(join(root, ".tmp", "old.tmp"), "x");
    await writeFile(join(root, ".tmp", "fresh.tmp"), "x");
    await writeFile(join(root, ".tmp", "not-a-temp"), "x");
    await utimes(join(root, ".tmp", "old.tmp"), at(10_000), at(10_000));
    await utimes(join(root, ".tmp", "fresh.tmp"), at(1_000), at(1_000));
    await utimes(join(root, ".tmp", "not-a-temp"), at(10_000), at(10_000));
    expect(await store.sweepTemps(5_000, now)).toBe(1);
    expect(await files(join(root, ".tmp"))).toEqual(["fresh.tmp", "not-a-temp"]);
    expect(await store.has(ref.key)).toBe(true);
  });

  it("a blob stays readable to an open reader when deleted mid-stream", async () => {
    const store = new LocalBlobStore(await tempRoot(), { readChunkSize: 100 });
    const data = bytes(1000, 23);
    const ref = await store.put(data);
    const it = store.get(ref.key)[Symbol.asyncIterator]();
    const first = await it.next();
    await store.delete(ref.key);
    const rest: Uint8Array[] = [first.value as Uint8Array];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(new Uint8Array(Buffer.concat(rest))).toEqual(data);
  });
});
