import { type AudioEncoder, concatBytes, type EncoderTail } from "@comaster/codecs";
import createLibFlac from "libflacjs";

type LibFlac = ReturnType<typeof createLibFlac>;
let flacPromise: Promise<LibFlac> | undefined;

/** libFLAC compiled to asm.js (no .wasm file to locate at run time); loaded once, on first use. */
function libflac(): Promise<LibFlac> {
  flacPromise ??= new Promise((resolve) => {
    const flac = createLibFlac("release.asmjs");
    if (flac.isReady()) resolve(flac);
    else flac.on("ready", () => resolve(flac));
  });
  return flacPromise;
}

/**
 * Streaming FLAC export with libFLAC (compression level 5). Samples must already be at the word
 * length (the chain's output stage dithers); they are converted exactly to integers. libFLAC's stream
 * encoder cannot seek, so `finish()` patches STREAMINFO: frame sizes, total samples and MD5.
 */
export async function createFlacEncoder(o: {
  sampleRate: number;
  channels: number;
  bitsPerSample: 16 | 24;
}): Promise<AudioEncoder> {
  const flac = await libflac();
  const encoder = flac.create_libflac_encoder(o.sampleRate, o.channels, o.bitsPerSample, 5, 0, false);
  if (!encoder) throw new Error("libFLAC: could not create an encoder");
  let pending: Uint8Array[] = [];
  let meta: { min_framesize: number; max_framesize: number; md5sum: string; total_samples: number } | undefined;
  const status = flac.init_encoder_stream(
    encoder,
    (data: Uint8Array, n: number) => {
      pending.push(data.slice(0, n));
    },
    (m: unknown) => {
      meta = m as typeof meta;
    },
  );
  if (status !== 0) throw new Error(`libFLAC: init_encoder_stream status ${status}`);
  const full = 2 ** (o.bitsPerSample - 1);
  let buffers: Int32Array<ArrayBuffer>[] = [];
  let frames = 0;
  const take = () => {
    const out = concatBytes(pending);
    pending = [];
    return out;
  };
  return {
    extension: "flac",
    mimeType: "audio/flac",
    async encode(channels, n) {
      if (buffers.length === 0 || buffers[0]!.length < n) buffers = channels.map(() => new Int32Array(n));
      for (let c = 0; c < o.channels; c++) {
        const src = channels[c]!;
        const dst = buffers[c]!;
        for (let i = 0; i < n; i++) {
          const x = src[i]!;
          let v = Math.round((Number.isNaN(x) ? 0 : x) * full);
          if (v > full - 1) v = full - 1;
          else if (v < -full) v = -full;
          dst[i] = v;
        }
      }
      if (!flac.FLAC__stream_encoder_process(encoder, buffers, n)) throw new Error("libFLAC: encoding failed");
      frames += n;
      return take();
    },
    async finish(): Promise<EncoderTail> {
      flac.FLAC__stream_encoder_finish(encoder);
      flac.FLAC__stream_encoder_delete(encoder);
      const tail = take();
      const patches: { offset: number; bytes: Uint8Array }[] = [];
      // STREAMINFO body starts at byte 8: min/max block size (2+2), min/max frame size (3+3) at 12/15,
      // then 20 bits rate, 3 channels-1, 5 bps-1, 36 bits total samples (bytes 18–25), MD5 at 26.
      const streamInfo = new Uint8Array(34 - 4);
      if (meta) {
        put24(streamInfo, 12 - 8, meta.min_framesize);
        put24(streamInfo, 15 - 8, meta.max_framesize);
      }
      const rate = o.sampleRate;
      const b = 18 - 8;
      streamInfo[b] = (rate >> 12) & 0xff;
      streamInfo[b + 1] = (rate >> 4) & 0xff;
      streamInfo[b + 2] = ((rate & 0x0f) << 4) | (((o.channels - 1) & 0x07) << 1) | (((o.bitsPerSample - 1) >> 4) & 1);
      const hi = Math.floor(frames / 2 ** 32) & 0x0f;
      streamInfo[b + 3] = (((o.bitsPerSample - 1) & 0x0f) << 4) | hi;
      new DataView(streamInfo.buffer).setUint32(b + 4, frames >>> 0);
      if (meta?.md5sum)
        for (let i = 0; i < 16; i++) streamInfo[26 - 8 + i] = Number.parseInt(meta.md5sum.slice(2 * i, 2 * i + 2), 16);
      // Bytes 8–11 (block sizes) are right in the header libFLAC wrote; patch from 12 on.
      patches.push({ offset: 12, bytes: streamInfo.subarray(4) });
      return { tail, patches };
    },
  };
}

function put24(bytes: Uint8Array, at: number, v: number): void {
  bytes[at] = (v >> 16) & 0xff;
  bytes[at + 1] = (v >> 8) & 0xff;
  bytes[at + 2] = v & 0xff;
}
