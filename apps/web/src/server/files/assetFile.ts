// Streaming an uploaded mix out of storage to a member of its project's class, whole or by byte range
// (RFC 9110 §14): the preview fetches a long WAV in ~10 s pieces so it can start playing at once.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { BlobStore, Db } from "@comaster/db";
import { jsonError } from "../http";
import type { SessionUser } from "../trpc/init";

const TYPES: Record<string, string> = {
  wav: "audio/wav",
  aiff: "audio/aiff",
  flac: "audio/flac",
  mp3: "audio/mpeg",
};

/** An inclusive byte range within a file. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The range a `Range` header asks for in a file of `size` bytes (RFC 9110 §14.1.2): `null` for the
 * whole file (no header, another unit, or several ranges — serving all of it is allowed), or
 * `"unsatisfiable"` (→ 416). `bytes=a-b`, `bytes=a-` and the suffix form `bytes=-n` are understood.
 */
export function parseRange(header: string | null, size: number): ByteRange | null | "unsatisfiable" {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return null;
  const [, a, b] = m as unknown as [string, string, string];
  if (a === "" && b === "") return null;
  if (a === "") {
    const n = Number(b);
    if (n === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  if (start >= size) return "unsatisfiable";
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return null; // a syntactically invalid range is ignored (§14.2)
  return { start, end };
}

/** The bytes `range` of a blob: read from the file directly when the store has one, else skipped through. */
function body(store: BlobStore, key: string, range: ByteRange): ReadableStream<Uint8Array> {
  const path = store.localPath?.(key);
  if (path) {
    return Readable.toWeb(createReadStream(path, { start: range.start, end: range.end })) as ReadableStream<Uint8Array>;
  }
  const iterator = store.get(key)[Symbol.asyncIterator]();
  let at = 0; // offset of the next chunk the iterator yields
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          if (at > range.end) {
            await iterator.return?.();
            return controller.close();
          }
          const { value, done } = await iterator.next();
          if (done) return controller.close();
          const from = at;
          at += value.length;
          if (at <= range.start) continue;
          controller.enqueue(
            value.subarray(Math.max(0, range.start - from), Math.min(value.length, range.end + 1 - from)),
          );
          return;
        }
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/**
 * GET /api/assets/:id/file — members of the mix's class only; others (and unknown ids) get 404, so
 * the route does not tell whether a mix exists. Answers 206 with `Content-Range` for a `Range`
 * request, 416 for a range past the end.
 */
export async function downloadAsset(
  db: Db,
  store: BlobStore,
  user: SessionUser | null,
  assetId: string,
  rangeHeader: string | null,
): Promise<Response> {
  if (!user) return jsonError(401, "UNAUTHORIZED", "Please sign in.");
  const asset = await db.asset.findUnique({ where: { id: assetId }, include: { project: true } });
  const member =
    asset &&
    (await db.membership.findUnique({
      where: { userId_classId: { userId: user.id, classId: asset.project.classId } },
    }));
  if (!asset || !member) return jsonError(404, "NOT_FOUND", "No such mix.");

  const size = asset.byteSize;
  const headers: Record<string, string> = {
    "content-type": TYPES[asset.format] ?? "application/octet-stream",
    "accept-ranges": "bytes",
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
  };
  const range = parseRange(rangeHeader, size);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  }
  const r = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : r.end - r.start + 1;
  return new Response(length === 0 ? null : body(store, asset.storageKey, r), {
    status: range ? 206 : 200,
    headers: {
      ...headers,
      "content-length": String(length),
      ...(range ? { "content-range": `bytes ${r.start}-${r.end}/${size}` } : {}),
    },
  });
}
