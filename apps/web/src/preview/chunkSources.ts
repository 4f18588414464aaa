// Where the preview's player gets its pieces of the mix: a PCM stream fetched in Range requests
// (WAV, AIFF), or, for any other format, the whole file decoded at once.
import type { ChunkSource, LoopRegion } from "./chunkPlayer";
import type { PcmStream } from "./pcmStream";

/** Pieces kept around the play position (behind, ahead); the rest are dropped to bound memory. */
const KEEP_BEHIND = 1;
const KEEP_AHEAD = 6;
const PREFETCH_AHEAD = 2;

/** Pieces of a PCM stream as AudioBuffers, loaded once, prefetched ahead, dropped far behind. */
export function streamSource(context: AudioContext, stream: PcmStream): ChunkSource {
  const buffers = new Map<number, AudioBuffer>();
  const loading = new Map<number, Promise<AudioBuffer>>();
  const load = (i: number): Promise<AudioBuffer> => {
    const have = buffers.get(i);
    if (have) return Promise.resolve(have);
    let p = loading.get(i);
    if (!p) {
      p = stream.chunk(i).then((planar) => {
        const b = context.createBuffer(stream.channels, planar[0]!.length, stream.sampleRate);
        for (const [c, x] of planar.entries()) b.copyToChannel(x as Float32Array<ArrayBuffer>, c);
        buffers.set(i, b);
        loading.delete(i);
        return b;
      });
      p.catch(() => loading.delete(i));
      loading.set(i, p);
    }
    return p;
  };
  return {
    sampleRate: stream.sampleRate,
    frames: stream.frames,
    chunkFrames: stream.chunkFrames,
    get: (i) => buffers.get(i),
    load,
    around(frame: number, loop: LoopRegion | null) {
      const at = Math.floor(frame / stream.chunkFrames);
      const loopChunks = loop
        ? [Math.floor(loop.start / stream.chunkFrames), Math.floor((loop.end - 1) / stream.chunkFrames)]
        : null;
      for (const i of buffers.keys()) {
        const inLoop = loopChunks && i >= loopChunks[0]! && i <= loopChunks[1]!;
        if (!inLoop && (i < at - KEEP_BEHIND || i > at + KEEP_AHEAD)) buffers.delete(i);
      }
      // One piece at a time, the one under the play position first: parallel fetches would delay it.
      let next = load(Math.min(at, stream.chunkCount - 1));
      for (let i = at + 1; i <= Math.min(stream.chunkCount - 1, at + PREFETCH_AHEAD); i++)
        next = next.then(() => load(i));
      if (loopChunks) next = next.then(() => load(loopChunks[0]!));
      next.catch(() => {});
    },
  };
}

/** Not streamable PCM (FLAC, MP3…): fetch and decode the whole file, one piece. */
export async function wholeFileSource(context: AudioContext, url: string): Promise<ChunkSource> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url} failed: HTTP ${res.status}`);
  const buffer = await context.decodeAudioData(await res.arrayBuffer());
  return {
    sampleRate: buffer.sampleRate,
    frames: buffer.length,
    chunkFrames: buffer.length,
    get: (i) => (i === 0 ? buffer : undefined),
    load: async () => buffer,
  };
}
