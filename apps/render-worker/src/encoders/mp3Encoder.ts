import type { AudioEncoder, EncoderTail } from "@comaster/codecs";
import { createMp3Encoder as createLame } from "wasm-media-encoders";

/** MP3 export with LAME (WebAssembly): constant 320 kbit/s, the rate distribution platforms ask for. */
export async function createMp3Encoder(o: { sampleRate: number; channels: number }): Promise<AudioEncoder> {
  if (o.channels !== 1 && o.channels !== 2) throw new Error(`MP3 export takes 1 or 2 channels, not ${o.channels}`);
  if (![32_000, 44_100, 48_000].includes(o.sampleRate))
    throw new Error(`MP3 export needs 32, 44.1 or 48 kHz, not ${o.sampleRate} Hz (set the output sample rate)`);
  const lame = await createLame();
  lame.configure({ sampleRate: o.sampleRate, channels: o.channels as 1 | 2, bitrate: 320 });
  return {
    extension: "mp3",
    mimeType: "audio/mpeg",
    async encode(channels, n) {
      const view = channels.map((ch) => (ch.length === n ? ch : ch.subarray(0, n)));
      return lame.encode(view).slice();
    },
    async finish(): Promise<EncoderTail> {
      return { tail: lame.finalize().slice(), patches: [] };
    },
  };
}
