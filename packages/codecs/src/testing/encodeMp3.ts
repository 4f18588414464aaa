/** Test-only MP3 writer on wasm-media-encoders (LAME). */
import { createMp3Encoder } from "wasm-media-encoders";
import { concatBytes } from "./signals.ts";

export async function encodeMp3(
  channels: Float32Array[],
  sampleRate: number,
  bitrate: 64 | 128 | 192 = 128,
): Promise<Uint8Array> {
  const encoder = await createMp3Encoder();
  encoder.configure({ sampleRate, channels: channels.length as 1 | 2, bitrate });
  const body = encoder.encode(channels).slice();
  const tail = encoder.finalize().slice();
  return concatBytes([body, tail]);
}
