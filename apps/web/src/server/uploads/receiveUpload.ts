import { createHash, randomUUID } from "node:crypto";
import { type FileHandle, lstat, mkdir, open, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { AudioFormat } from "@comaster/codecs";
import { sniffBytesWanted, sniffUpload } from "./sniffUpload";
import { UploadError } from "./uploadError";

const TEMP_PREFIX = "upload-";
const TEMP_SUFFIX = ".part";

export interface ReceiveOptions {
  /** Directory for the temp file (created if missing). */
  tmpDir: string;
  maxBytes: number;
  /** Content-Length, when the client sent one: fewer bytes than this means the upload was cut off. */
  declaredBytes?: number;
  /** For messages only. */
  fileName: string;
}

/** A complete upload on disk, not yet analysed or stored. The caller owns (and removes) `path`. */
export interface ReceivedUpload {
  path: string;
  sha256: string;
  byteSize: number;
  format: AudioFormat;
}

/**
 * Streams a request body to a new temp file while hashing and counting it. Memory holds one chunk,
 * plus the first bytes until the format is known. Stops reading and rejects as soon as the body is
 * over the limit (TOO_LARGE) or its first bytes are not a format we take (UNSUPPORTED_TYPE), and when
 * the body errors (client abort) or ends short of Content-Length (INCOMPLETE_UPLOAD). On any failure
 * the temp file is gone before the promise settles.
 */
export async function receiveUpload(
  body: ReadableStream<Uint8Array> | null,
  opts: ReceiveOptions,
): Promise<ReceivedUpload> {
  await mkdir(opts.tmpDir, { recursive: true });
  const path = join(opts.tmpDir, `${TEMP_PREFIX}${randomUUID()}${TEMP_SUFFIX}`);
  const reader = body?.getReader();
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, "wx");
    const hash = createHash("sha256");
    let byteSize = 0;
    let head: Uint8Array[] | undefined = [];
    let headBytes = 0;
    let wanted: number | undefined;
    let format: AudioFormat | undefined;

    for (;;) {
      const chunk = await readChunk(reader);
      if (chunk === undefined) break;
      byteSize += chunk.byteLength;
      if (byteSize > opts.maxBytes) throw tooLarge(opts.maxBytes);
      hash.update(chunk);
      await writeAll(fh, chunk);
      if (head) {
        head.push(chunk.slice());
        headBytes += chunk.byteLength;
        if (wanted === undefined && headBytes >= 10) wanted = sniffBytesWanted(concat(head, headBytes));
        if (wanted !== undefined && headBytes >= wanted) {
          format = sniffUpload(concat(head, headBytes), opts.fileName);
          head = undefined; // decided: stop holding bytes
        }
      }
    }
    format ??= sniffUpload(concat(head ?? [], headBytes), opts.fileName); // the whole file was shorter than the sniff window
    if (opts.declaredBytes !== undefined && byteSize !== opts.declaredBytes) {
      throw new UploadError(
        "INCOMPLETE_UPLOAD",
        `The upload stopped after ${byteSize} of ${opts.declaredBytes} bytes; please try again.`,
      );
    }
    await fh.sync();
    await fh.close();
    fh = undefined;
    return { path, sha256: hash.digest("hex"), byteSize, format };
  } catch (err) {
    await reader?.cancel(err).catch(() => {});
    await fh?.close().catch(() => {});
    await rm(path, { force: true });
    throw err;
  }
}

export function tooLarge(maxBytes: number): UploadError {
  return new UploadError("TOO_LARGE", `The file is larger than the limit of ${formatBytes(maxBytes)}.`);
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** The next non-empty chunk, or undefined at the end. A body that errors is the client giving up. */
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array> | undefined): Promise<Uint8Array | undefined> {
  if (!reader) return undefined;
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch (cause) {
      throw new UploadError(
        "INCOMPLETE_UPLOAD",
        "The upload was interrupted before the file arrived; please try again.",
        {
          cause,
        },
      );
    }
    if (result.done) return undefined;
    if (result.value.byteLength > 0) return result.value;
  }
}

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let at = 0;
  while (at < chunk.byteLength) {
    const { bytesWritten } = await fh.write(chunk, at, chunk.byteLength - at);
    at += bytesWritten;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Removes upload temp files in `tmpDir` last written more than `olderThanMs` ago: what a killed server
 * process leaves behind (a live upload writes its file continually). Returns how many were removed.
 */
export async function sweepUploadTemps(tmpDir: string, olderThanMs: number, now = Date.now()): Promise<number> {
  const names = await readdir(tmpDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX) || !name.endsWith(TEMP_SUFFIX)) continue;
    const path = join(tmpDir, name);
    const s = await lstat(path).catch(() => undefined);
    if (!s?.isFile() || now - s.mtimeMs <= olderThanMs) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}
