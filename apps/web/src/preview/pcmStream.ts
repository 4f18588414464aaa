// Reading an uncompressed mix (WAV, AIFF) over HTTP in pieces: the header first, then ~10 s of
// frames per Range request, converted to planar floats by packages/codecs (the decoder the export
// uses). The preview starts on the first piece instead of waiting for a 100 MB file.
import { decodePcmFrames, isAudioFormatError, type PcmLayout, parsePcmHeader } from "@comaster/codecs";

/** Seconds of audio per Range request. */
export const CHUNK_SECONDS = 10;
/** Bytes fetched first for the header; more (up to `MAX_HEAD_BYTES`) when chunks before `data` are long. */
const HEAD_BYTES = 64 * 1024;
const MAX_HEAD_BYTES = 4 * 1024 * 1024;

export type FetchLike = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

/** A file read piece by piece: `chunk(i)` is frames `[i × chunkFrames, min((i + 1) × chunkFrames, frames))`. */
export interface PcmStream {
  readonly layout: PcmLayout;
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
  readonly chunkFrames: number;
  readonly chunkCount: number;
  /** Planar samples of piece `i`, one array per channel. */
  chunk(i: number): Promise<Float32Array[]>;
}

/** The total size from `Content-Range: bytes a-b/size`, or null. */
function totalOf(res: Response): number | null {
  const m = /\/(\d+)\s*$/.exec(res.headers.get("content-range") ?? "");
  return m ? Number(m[1]) : null;
}

async function fetchRange(fetchImpl: FetchLike, url: string, start: number, end: number): Promise<Response> {
  const res = await fetchImpl(url, { headers: { range: `bytes=${start}-${end}` } });
  if (!res.ok) throw new Error(`fetching ${url} (bytes ${start}-${end}) failed: HTTP ${res.status}`);
  return res;
}

/**
 * Opens `url` as a PCM stream, or returns null when the file is not WAV/AIFF PCM (the caller then
 * decodes the whole file with `decodeAudioData`). A server that ignores `Range` (200) still works:
 * the whole body is kept in memory and sliced.
 */
export async function openPcmStream(
  url: string,
  fetchImpl: FetchLike = (u, init) => fetch(u, init),
  chunkSeconds = CHUNK_SECONDS,
): Promise<PcmStream | null> {
  let want = HEAD_BYTES;
  let whole: Uint8Array | null = null;
  for (;;) {
    const res = await fetchRange(fetchImpl, url, 0, want - 1);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const total = res.status === 206 ? (totalOf(res) ?? bytes.length) : bytes.length;
    if (res.status !== 206) whole = bytes;
    try {
      const layout = parsePcmHeader(bytes, total);
      return pcmStream(layout, url, fetchImpl, chunkSeconds, whole);
    } catch (err) {
      if (!isAudioFormatError(err)) throw err;
      if (err.code !== "TRUNCATED" || whole || want >= MAX_HEAD_BYTES || want >= total) return null;
      want *= 4;
    }
  }
}

function pcmStream(
  layout: PcmLayout,
  url: string,
  fetchImpl: FetchLike,
  chunkSeconds: number,
  whole: Uint8Array | null,
): PcmStream {
  const { sampleRate, channels, bytesPerFrame, dataOffset } = layout;
  const frames = Math.floor(layout.dataBytes / bytesPerFrame);
  const chunkFrames = Math.max(1, Math.round(chunkSeconds * sampleRate));
  const chunkCount = Math.ceil(frames / chunkFrames);
  return {
    layout,
    sampleRate,
    channels,
    frames,
    chunkFrames,
    chunkCount,
    async chunk(i) {
      if (!(i >= 0 && i < chunkCount)) throw new RangeError(`chunk ${i} outside 0…${chunkCount - 1}`);
      const first = i * chunkFrames;
      const n = Math.min(chunkFrames, frames - first);
      const start = dataOffset + first * bytesPerFrame;
      const end = start + n * bytesPerFrame;
      const bytes = whole
        ? whole.subarray(start, end)
        : new Uint8Array(await (await fetchRange(fetchImpl, url, start, end - 1)).arrayBuffer());
      const out = Array.from({ length: channels }, () => new Float32Array(n));
      const { frames: got } = decodePcmFrames(layout, bytes, out);
      if (got !== n) throw new Error(`chunk ${i}: expected ${n} frames, got ${got}`);
      return out;
    },
  };
}
