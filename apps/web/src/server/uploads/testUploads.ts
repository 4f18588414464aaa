// Test helpers for the upload tests (not part of the module's API): requests, fixtures, and the checks
// that nothing was left behind.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { encodeWav } from "@comaster/codecs";
import { FILE_NAME_HEADER } from "./handleUpload";

/** A stereo test signal: two sines and a little seeded noise, touching full scale once (a clipped sample). */
export function testSignal(seconds: number, sampleRate = 48_000): Float32Array[] {
  const frames = Math.round(seconds * sampleRate);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32) * 2 - 1;
  return [220, 330].map((f, c) => {
    const ch = new Float32Array(frames);
    for (let i = 0; i < frames; i++) ch[i] = 0.5 * Math.sin((2 * Math.PI * f * i) / sampleRate + c) + 0.05 * rnd();
    ch[100] = 1;
    return ch;
  });
}

export function wavBytes(seconds = 4, sampleRate = 48_000): Uint8Array {
  return encodeWav(testSignal(seconds, sampleRate), sampleRate, "pcm16");
}

export interface RequestOptions {
  name?: string | null;
  /** Set Content-Length to this (default: the body's length; null for none). */
  contentLength?: number | null;
}

/** A request carrying `bytes` as its raw body, as the browser client sends it. */
export function uploadRequest(bytes: Uint8Array, o: RequestOptions = {}): Request {
  const headers = new Headers({ "content-type": "application/octet-stream" });
  const name = o.name === undefined ? "mix.wav" : o.name;
  if (name !== null) headers.set(FILE_NAME_HEADER, encodeURIComponent(name));
  const length = o.contentLength === undefined ? bytes.byteLength : o.contentLength;
  if (length !== null) headers.set("content-length", String(length));
  // A stream body, so Content-Length is not recomputed and the handler sees chunks as from a socket.
  return new Request("http://localhost/api/projects/p/upload", {
    method: "POST",
    headers,
    body: chunkedStream(bytes, 16 * 1024),
    duplex: "half",
  } as RequestInit);
}

/** Streams `bytes` in chunks; with `failAfter`, errors (a client abort) once that many bytes are out. */
export function chunkedStream(bytes: Uint8Array, chunkSize: number, failAfter?: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter !== undefined && at >= failAfter) {
        controller.error(new Error("client aborted"));
        return;
      }
      if (at >= bytes.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(bytes.byteLength, at + chunkSize, failAfter ?? Number.POSITIVE_INFINITY);
      controller.enqueue(bytes.slice(at, end));
      at = end;
    },
  });
}

/** Every file under `dir`, recursively (relative paths). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
}

export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}
