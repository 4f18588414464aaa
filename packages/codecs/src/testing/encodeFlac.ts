/**
 * Test-only FLAC writer on libflacjs (asm.js build, which needs no wasm file in Node). Its stream
 * encoder cannot seek back to finish STREAMINFO, so we pass the total sample count up front and
 * patch the frame sizes and MD5 from the final metadata callback.
 */
import createLibFlac from "libflacjs";
import { concatBytes } from "./signals.ts";

type LibFlac = ReturnType<typeof createLibFlac>;
let flacPromise: Promise<LibFlac> | undefined;

function libflac(): Promise<LibFlac> {
  flacPromise ??= new Promise((resolve) => {
    const flac = createLibFlac("release.asmjs");
    if (flac.isReady()) resolve(flac);
    else flac.on("ready", () => resolve(flac));
  });
  return flacPromise;
}

export async function encodeFlac(
  channels: Float32Array[],
  sampleRate: number,
  bits: 8 | 12 | 16 | 20 | 24,
  compression: 0 | 5 | 8 = 5,
): Promise<Uint8Array> {
  const flac = await libflac();
  const frames = channels[0]?.length ?? 0;
  const full = 2 ** (bits - 1);
  const interleaved = new Int32Array(frames * channels.length);
  for (let i = 0; i < frames; i++)
    channels.forEach((ch, c) => {
      interleaved[i * channels.length + c] = Math.min(full - 1, Math.max(-full, Math.round((ch[i] as number) * full)));
    });
  const encoder = flac.create_libflac_encoder(sampleRate, channels.length, bits, compression, frames, false);
  if (!encoder) throw new Error("libflacjs: could not create encoder");
  const parts: Uint8Array[] = [];
  let meta: { min_framesize: number; max_framesize: number; md5sum: string } | undefined;
  const status = flac.init_encoder_stream(
    encoder,
    (data, n) => {
      parts.push(data.slice(0, n));
    },
    (m) => {
      meta = m;
    },
  );
  if (status !== 0) throw new Error(`libflacjs: init_encoder_stream status ${status}`);
  if (!flac.FLAC__stream_encoder_process_interleaved(encoder, interleaved, frames))
    throw new Error("libflacjs: encoding failed");
  flac.FLAC__stream_encoder_finish(encoder);
  flac.FLAC__stream_encoder_delete(encoder);
  const out = concatBytes(parts);
  if (meta) {
    // STREAMINFO body starts at 8: min/max block (2+2), min/max frame size (3+3), …, MD5 at 18.
    const put24 = (at: number, v: number) => out.set([(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff], at);
    put24(12, meta.min_framesize);
    put24(15, meta.max_framesize);
    for (let i = 0; i < 16; i++) out[26 + i] = Number.parseInt(meta.md5sum.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}
